"""Grading a class folder (what ``grader grade`` does), as a function tests and scripts call directly."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from grader.grading import batch
from grader.jail.sandbox import require
from grader.model.assignment import find_assignments_dir, load_assignment
from grader.model.deadlines import files_time
from grader.model.discovery import Skipped, survey
from grader.model.results import SubmissionResult
from grader.model.unpack import unpack_class
from grader.sinks import Sink
from grader.sinks.gradebook import GradebookRecorder, RecordedBatch
from grader.sinks.results_folder import ResultsFolder


@dataclass(frozen=True)
class GradeOptions:
    """How a class is graded; the defaults are a single worker in the basic sandbox, hidden tests included."""

    hidden: bool = True  # False: the public tests only
    sandbox: str = "basic"  # "basic" or "strict" (``grader.jail.sandbox``)
    workers: int = 1
    resume: bool = False  # keep committed results that graded the submission's current files
    formats: tuple[str, ...] = ("json",)  # of the results folder: "json" and/or "gradescope"
    db: Path | None = None  # also record the batch in this gradebook, late penalties applied
    times: Mapping[str, datetime] = field(default_factory=dict)  # with db: submission times by student


@dataclass
class GradedClass:
    results: Sequence[SubmissionResult]  # in the class folder's order, read from OUT when asked for
    skipped: list[Skipped]
    folder: Path  # the class folder graded: for a zip, where it was unpacked
    summary: dict  # the batch at a glance, as summary.json holds it (``results_folder.summary``)
    recorded: RecordedBatch | None = None  # with a gradebook: what it recorded, and how far to trust lateness


def grade_folder(assignment_name: str, folder: Path, out: Path, options: GradeOptions = GradeOptions(), *,
                 assignments_dir: Path | None = None, executor: Callable | None = None,
                 on_start: Callable[[int], None] | None = None, sinks: Sequence[Sink] = ()) -> GradedClass:
    """Grade every submission in ``folder`` (a class folder, or a zip of one) into ``out``.

    Each result flows once, as it arrives: the gradebook (with ``options.db``) applies its late penalty and
    carries over manual scores, then the results folder commits it and the gradebook and ``sinks`` take it.
    With ``resume``, committed results of unchanged files flow the same way without being graded again,
    unless the machine was too busy to finish one of their tests. ``executor`` runs the chunks (default:
    worker processes, or this process for one worker); ``on_start`` learns how many submissions there are.
    """
    require(options.sandbox)  # before anything is written: an unavailable sandbox stops us here
    # Absolute paths: workers and executors may run in another folder (a Dask worker does).
    folder, out = Path(folder).resolve(), Path(out).resolve()
    base = (Path(assignments_dir) if assignments_dir else find_assignments_dir()).resolve()
    assignment = load_assignment(assignment_name, base)
    found = unpack_class(folder, out, assignment.name) if folder.is_file() else survey(folder, assignment.name)
    submissions = found.submissions
    recorder = None
    if options.db is not None:
        on_disk = {s.id: files_time(s.files) for s in submissions}
        recorder = GradebookRecorder(options.db, options.times, on_disk, base)
    folder_sink = ResultsFolder(out, options.formats)
    chain: list[Sink] = [folder_sink, *([recorder] if recorder else []), *sinks]
    if on_start is not None:
        on_start(len(submissions))
    # Results stay on disk, not in memory, where the folder holds them (not with the Gradescope format alone).
    results = folder_sink.committed([s.id for s in submissions])
    in_memory: dict[str, SubmissionResult] = {}

    def commit(result: SubmissionResult, graded_now: bool = True) -> None:
        changed = recorder.prepare(result) if recorder is not None else False
        for sink in chain:
            if sink is folder_sink and not (graded_now or changed):
                folder_sink.keep(result)  # a kept result stands in the folder as it is
            else:
                sink.write(result)
        if results is None:
            in_memory[result.submission] = result

    kept_ids: set[str] = set()
    try:
        for submission in submissions if options.resume else ():
            if (kept := batch.committed(out, submission)) is not None and not kept.machine_busy:
                commit(kept, graded_now=False)
                kept_ids.add(submission.id)
        run = executor or (batch.run_inline if options.workers == 1 else batch.run_local)
        batch.grade_in_batches(assignment.name, base, [s for s in submissions if s.id not in kept_ids], commit,
                               workers=options.workers, hidden=options.hidden, sandbox=options.sandbox, run=run)
        results = results if results is not None else [in_memory[s.id] for s in submissions]
        # Graded: their paths go before the summary is made, where a class of 100 000 peaks in memory.
        found.submissions.clear()
    except BaseException:
        if recorder is not None:
            recorder.close()
        raise
    for sink in chain:
        sink.finish(results, found.skipped)
    assert folder_sink.summary is not None  # finish() made it
    return GradedClass(results, found.skipped, found.root, folder_sink.summary,
                       recorder.batch if recorder else None)
