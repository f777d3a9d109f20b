"""Batches at course scale: the class is split into chunks and each chunk is graded by a worker process
(its own pytest session and its own fork server), ``workers`` at a time. Every result is committed
atomically the moment it arrives, so a crash, a SIGKILL or Ctrl-C loses nothing already graded, and
``resume`` grades only what has no committed result for the submission's current files.

Each worker process lives for the whole batch: it takes the next chunk as it finishes one, so numpy,
pytest and its sandboxed fork server start once per worker, not once per chunk. A worker is trusted
code (no submission runs in it); it sends each result as one JSON line on its own channel, and the
parent still checks every result against the schema as it commits it.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import selectors
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, overload

from grader import i18n
from grader.jail.base import Backend
from grader.model.loader import Submission
from grader.model.results import SubmissionResult, file_stem

Commit = Callable[[SubmissionResult], None]


@dataclass(frozen=True)
class Job:
    """What a worker needs to grade a chunk, as plain JSON."""

    assignment: str
    assignments_dir: str
    submissions: list[dict]
    hidden: bool = True  # the hidden tests too
    sandbox: str = "basic"
    language: str | None = None  # --lang or $GRADER_LANG of the grading command; None: the course's

    def to_json(self) -> str:
        return json.dumps(self.__dict__)


def submission_to_dict(submission: Submission) -> dict:
    """Plain JSON with absolute paths: a worker (a Dask worker on another machine above all) has a current
    folder of its own. ``abspath``, not ``resolve``: a link must stay a link for the loader to judge."""
    return {"id": submission.id, "root": os.path.abspath(submission.root), "assignment": submission.assignment,
            "main": os.path.abspath(submission.main) if submission.main else None,
            "files": [os.path.abspath(p) for p in submission.files], "warnings": list(submission.warnings)}


def submission_from_dict(data: dict) -> Submission:
    return Submission(data["id"], Path(data["root"]), Path(data["main"]) if data["main"] else None,
                      [Path(p) for p in data["files"]], list(data["warnings"]), data["assignment"])


def committed(out: Path, submission: Submission) -> SubmissionResult | None:
    """The result already committed for this submission, if it is valid and graded these very files."""
    path = Path(out) / f"{file_stem(submission.id)}.json"
    try:
        result = SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
        current = submission.hashes()
    except (OSError, ValueError, TypeError, KeyError):  # not JSON, or not a valid result (InvalidResult)
        return None
    return result if result.submission == submission.id and result.files == current else None


def chunk_sizes(count: int, workers: int) -> int:
    """Large enough that a chunk's pytest session (collection, ~0.1 s) is small against its work, small
    enough that the last chunks balance the load and a crashed worker costs little."""
    lower = min(20, math.ceil(count / workers))
    return max(1, min(100, max(lower, math.ceil(count / (4 * workers)))))


def split(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def grade_job(job: Job, emit: Callable[[dict], None], backend: Backend | None = None) -> None:
    """Grade one chunk in this process, emitting each result's record as soon as it is final. A given
    ``backend`` (its fork server warm) serves chunk after chunk; else the chunk opens its own."""
    from grader.grading import runner
    from grader.model.assignment import load_assignment

    assignment = load_assignment(job.assignment, Path(job.assignments_dir))
    submissions = [submission_from_dict(s) for s in job.submissions]
    i18n.choose(job.language)
    runner.grade(assignment, submissions, on_result=lambda r: emit({"result": r.to_dict()}), hidden=job.hidden,
                 sandbox=job.sandbox, backend=backend)


@dataclass
class _Worker:
    """A worker process: it grades the chunks it is given one after another, with one warm fork server."""

    process: subprocess.Popen
    stderr: IO[bytes]
    chunk: list[Submission] | None = None  # what it is grading now
    buffer: bytes = b""
    reported: set[str] = field(default_factory=set)

    def give(self, job: Job | None, chunk: list[Submission] | None) -> None:
        """The next chunk, or (None) the end: it leaves once its input closes."""
        stdin = self.process.stdin
        assert stdin is not None  # started with stdin=PIPE
        self.chunk, self.reported = chunk, set()
        try:
            if job is None:
                stdin.close()
            else:
                stdin.write(job.to_json().encode() + b"\n")
                stdin.flush()
        except OSError:  # it died already: its output ends and the chunk is counted as lost
            pass


class Jobs(Sequence[tuple[Job, list[Submission]]]):
    """The chunks of a batch with their jobs, each job made when it is taken: a class of 100 000 does not
    hold every job's JSON at once."""

    def __init__(self, chunks: list[list[Submission]], job_of: Callable[[list[Submission]], Job]) -> None:
        self.chunks, self.job_of = chunks, job_of

    def __len__(self) -> int:
        return len(self.chunks)

    @overload
    def __getitem__(self, index: int) -> tuple[Job, list[Submission]]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Job, list[Submission]]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Job, list[Submission]] | list[tuple[Job, list[Submission]]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.job_of(self.chunks[index]), self.chunks[index]


def run_local(jobs: Iterable[tuple[Job, list[Submission]]], workers: int,
              on_record: Callable[[dict], None]) -> list[tuple[list[Submission], str]]:
    """Run jobs on ``workers`` worker processes, each taking the next job as it finishes one (so each pays
    its start-up once). Returns the submissions of workers that died before reporting them, with what
    the worker wrote to stderr; a worker that dies is replaced while jobs remain."""
    queue = iter(jobs)
    waiting = next(queue, None)
    running: dict[int, _Worker] = {}
    lost: list[tuple[list[Submission], str]] = []
    selector = selectors.DefaultSelector()

    def give_next(worker: _Worker) -> None:
        nonlocal waiting
        if waiting is None:
            worker.give(None, None)
        else:
            worker.give(*waiting)
            waiting = next(queue, None)

    try:
        while waiting is not None or running:
            while waiting is not None and len(running) < workers:
                worker = _start_worker()
                stdout = worker.process.stdout
                assert stdout is not None  # started with stdout=PIPE
                running[stdout.fileno()] = worker
                selector.register(stdout, selectors.EVENT_READ)
                give_next(worker)
            for key, _ in selector.select(timeout=1.0):
                worker = running[key.fd]
                data = os.read(key.fd, 1 << 20)
                if data:
                    worker.buffer += data
                    *lines, worker.buffer = worker.buffer.split(b"\n")
                    for line in lines:
                        record = json.loads(line)
                        if "done" in record:
                            give_next(worker)
                            continue
                        worker.reported.update(_reported([record]))
                        on_record(record)
                    continue
                selector.unregister(key.fileobj)
                del running[key.fd]
                worker.process.wait()
                if worker.chunk and (missing := _unreported(worker.chunk, worker.reported)):
                    worker.stderr.seek(0)
                    lost.append((missing, _tail(worker.stderr.read())))
                worker.stderr.close()
    finally:
        for worker in running.values():
            _stop(worker.process)
            worker.stderr.close()
        selector.close()
    return lost


def _reported(records: list[dict]) -> set[str]:
    return {record["result"]["submission"] for record in records if "result" in record}


def _unreported(chunk: list[Submission], reported: set[str]) -> list[Submission]:
    return [s for s in chunk if s.id not in reported]


def _tail(stderr: bytes) -> str:
    return stderr.decode("utf-8", "replace")[-4000:]


WORKER_COMMAND = [sys.executable, "-m", "grader.grading.batch"]


def _start_worker() -> _Worker:
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the worker is done
    process = subprocess.Popen(
        WORKER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
        start_new_session=True,  # Ctrl-C reaches the parent only; the parent stops its workers itself
    )
    return _Worker(process, stderr)


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def run_inline(jobs: Iterable[tuple[Job, list[Submission]]], workers: int,
               on_record: Callable[[dict], None]) -> list[tuple[list[Submission], str]]:
    """Run jobs one after another in this process: no worker start-up, for one worker and small classes."""
    grade_jobs((job for job, _ in jobs), on_record)
    return []


def grade_jobs(jobs: Iterable[Job], emit: Callable[[dict], None],
               after_each: Callable[[], None] = lambda: None) -> None:
    """Grade jobs one after another in this process with one fork server, in the first job's sandbox (a
    batch has one); ``after_each`` is called once a job's last record is emitted."""
    from grader.jail.backends import open_backend

    backend: Backend | None = None
    try:
        for job in jobs:
            backend = backend or open_backend(job.sandbox)
            grade_job(job, emit, backend)
            after_each()
    finally:
        if backend is not None:
            backend.close()


def grade_chunk_in_process(job_json: str) -> tuple[list[dict], str]:
    """A Dask task: grade one chunk in a fresh worker process on the Dask worker's machine, so pytest never
    shares a process with Dask's threads. Returns the worker's records and its stderr."""
    done = subprocess.run(WORKER_COMMAND, input=job_json.encode() + b"\n", capture_output=True, check=False)
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return [record for record in records if "done" not in record], _tail(done.stderr)


class DaskExecutor:
    """Chunks as tasks on a Dask cluster (``scheduler`` address), or on a LocalCluster when none is given.
    The cluster's workers need the grader installed and the course and submissions at the same paths."""

    def __init__(self, scheduler: str | None = None, workers: int = 1) -> None:
        from distributed import Client, LocalCluster  # the optional extra: pip install 'bp-grader[dask]'

        self.cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1,
                                                           dashboard_address=None)
        self.client = Client(scheduler or self.cluster)

    def __call__(self, jobs: Iterable[tuple[Job, list[Submission]]], workers: int,
                 on_record: Callable[[dict], None]) -> list[tuple[list[Submission], str]]:
        from distributed import as_completed

        futures = {self.client.submit(grade_chunk_in_process, job.to_json(), pure=False): chunk
                   for job, chunk in jobs}
        lost = []
        for future in as_completed(futures):
            try:
                records, why = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost task is retried, then reported per submission
                records, why = [], f"{type(exc).__name__}: {exc}"
            for record in records:
                on_record(record)
            if missing := _unreported(futures[future], _reported(records)):
                lost.append((missing, why))
        return lost

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _worker_main() -> int:
    """``python -m grader.grading.batch``: jobs on stdin, one JSON line each, graded in turn with one fork
    server; on stdout one JSON record per line, nothing else: ``{"result": ...}`` for each submission,
    ``{"done": true}`` after each job, ``{"setup_error": why}`` when the tests themselves cannot run."""
    from grader.jail import launch
    from grader.jail.inside import lifetime

    lifetime.die_with_parent()  # a killed parent takes its workers along
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything else that writes to stdout lands in the worker's log instead
    jobs = (Job(**json.loads(line)) for line in sys.stdin if line.strip())
    job = next(jobs, None)
    if job is None:
        return 0
    launch.prelaunch(job.sandbox)  # warms up while pytest is imported
    from grader.model.assignment import TestSetupError

    def emit(record: dict) -> None:
        # ASCII (\uXXXX escapes): no text in a result, valid Unicode or not, can fail the channel's write.
        channel.write(json.dumps(record) + "\n")
        channel.flush()

    try:
        grade_jobs(itertools.chain([job], jobs), emit, after_each=lambda: emit({"done": True}))
    except TestSetupError as exc:
        emit({"setup_error": str(exc)})
        return 3
    return 0


def grade_in_batches(
    assignment: str,
    assignments_dir: Path,
    submissions: list[Submission],
    commit: Commit,
    *,
    workers: int = 1,
    hidden: bool = True,
    sandbox: str = "basic",
    run: Callable[..., list[tuple[list[Submission], str]]] = run_local,
) -> None:
    """Grade ``submissions`` in chunks on ``workers`` worker processes and ``commit`` each result as it
    arrives (and keep none: a class of 100 000 must not fill this process). A chunk whose worker died is
    retried one submission per worker, so a submission that breaks its worker is named in its own result
    and the others are still graded."""
    setup_errors: list[str] = []

    def receive(record: dict) -> None:
        if "setup_error" in record:
            setup_errors.append(str(record["setup_error"]))
            return
        # Checked against the schema once, as it is committed (the results folder writes only valid results).
        commit(SubmissionResult.from_dict(record["result"], check=False))

    def jobs(chunks: list[list[Submission]]) -> Jobs:
        return Jobs(chunks, lambda chunk: Job(assignment, os.path.abspath(assignments_dir),
                                              [submission_to_dict(s) for s in chunk], hidden, sandbox, i18n.asked()))

    lost = run(jobs(split(submissions, chunk_sizes(len(submissions), workers))), workers, receive)
    if setup_errors:
        from grader.model.assignment import TestSetupError

        raise TestSetupError(setup_errors[0])
    if lost:
        for missing, why in run(jobs([[s] for chunk, _ in lost for s in chunk]), workers, receive):
            for submission in missing:
                commit(worker_failure(assignment, submission, why))


def worker_failure(assignment: str, submission: Submission, why: str) -> SubmissionResult:
    """A schema-valid result for a submission whose grading process died twice: nothing is lost silently."""
    last = why.strip().splitlines()[-1] if why.strip() else "no message"
    return SubmissionResult(assignment=assignment, submission=submission.id, tests=[],
                            load_errors=[{"where": "grader", "error": f"the grading process stopped: {last}",
                                          "traceback": why}],
                            warnings=list(submission.warnings), files=submission.hashes())


if __name__ == "__main__":
    sys.exit(_worker_main())
