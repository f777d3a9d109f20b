"""Where results go: one JSON file per submission, the batch summary, the gradebook CSV, Gradescope."""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, TextIO, overload

from grader.jail.sandbox import describe
from grader.model.discovery import Skipped
from grader.model.results import SubmissionResult, file_stem, write_json_atomically, write_result


def to_gradescope(result: SubmissionResult, sandbox_note: str = "") -> dict:
    """Gradescope's results.json: auto tests with their points; manual questions left to Gradescope.
    Which sandbox ran (and ``sandbox_note``, e.g. why strict could not) is said in ``output`` and
    ``extra_data``."""
    lines = [f"{e['where']}: {e['error']}" for e in result.load_errors] + result.warnings
    lines.append(describe(result.sandbox) + (f" ({sandbox_note})" if sandbox_note else ""))
    return {
        "score": result.auto_score,
        "execution_time": round(result.duration_s, 3),
        "output": "\n".join(lines),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"sandbox": result.sandbox, "sandbox_note": sandbox_note,
                       "grader_version": result.grader_version},
        "tests": [
            {
                "name": test.name,
                "number": str(number),
                "score": test.score,
                "max_score": test.max_score,
                "status": "passed" if test.status == "passed" else "failed",
                "output": f"[{test.status}] {test.output}".strip(),
                "visibility": test.visibility,
            }
            for number, test in enumerate((t for t in result.tests if t.kind == "auto"), start=1)
        ],
    }


class ResultsFolder:
    """``OUT/<id>.json`` written atomically as each result arrives; summary and gradebook at the end. What
    it keeps of each result is its line of the summary, not the result: a batch's memory stays flat."""

    def __init__(self, folder: Path, formats: Iterable[str] = ("json",)) -> None:
        self.folder = Path(folder)
        self.formats = set(formats)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.class_summary = ClassSummary()
        self.summary: dict | None = None  # what summary.json holds, once ``finish`` has written it
        # A write cut short by a kill is never a result. Only where results are written: a class
        # unpacked from a zip into OUT/.unpacked holds the students' own files.
        for leftover in [*self.folder.glob(".*.json.*"), *self.folder.glob("*/.results.json.*")]:
            leftover.unlink(missing_ok=True)

    def write(self, result: SubmissionResult) -> None:
        if "json" in self.formats:
            write_result(self.folder / f"{file_stem(result.submission)}.json", result)
        if "gradescope" in self.formats:
            write_json_atomically(self.folder / file_stem(result.submission) / "results.json", to_gradescope(result))
        self.class_summary.add(result)

    def keep(self, result: SubmissionResult) -> None:
        """A result this folder already holds, unchanged (``--resume``): in the summary, not written again."""
        self.class_summary.add(result)

    def committed(self, ids: Sequence[str]) -> Sequence[SubmissionResult] | None:
        """The results of ``ids`` as this folder holds them, read when asked for; None unless it holds them."""
        return CommittedResults(self.folder, ids) if "json" in self.formats else None

    def finish(self, results: Sequence[SubmissionResult], skipped: Sequence[Skipped] = ()) -> None:
        if isinstance(results, CommittedResults):
            ids = results.ids  # each went through ``write``
        else:
            ids = [result.submission for result in results]
            for result in results:
                if result.submission not in self.class_summary:  # e.g. an unchanged one of a rewrite
                    self.class_summary.add(result)
        self.summary = self.class_summary.to_dict(ids, skipped)
        write_json_atomically(self.folder / "summary.json", self.summary)
        (self.folder / "gradebook.csv").write_text(gradebook_csv(self.summary["results"]), encoding="utf-8")

    def skipped(self) -> list[Skipped]:
        """The entries the batch in this folder skipped, as its summary.json lists them."""
        try:
            data = json.loads((self.folder / "summary.json").read_text(encoding="utf-8"))
            return [Skipped(**entry) for entry in data.get("skipped", [])]
        except (OSError, ValueError, TypeError, AttributeError):  # none yet, or not ours
            return []


class CommittedResults(Sequence[SubmissionResult]):
    """A batch's results in the class folder's order, each read from its committed file when asked for
    (checked against the schema), so that no process holds 100 000 of them at once."""

    def __init__(self, folder: Path, ids: Sequence[str]) -> None:
        self.folder, self.ids = folder, list(ids)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> SubmissionResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[SubmissionResult]: ...

    def __getitem__(self, index: int | slice) -> SubmissionResult | list[SubmissionResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        path = self.folder / f"{file_stem(self.ids[index])}.json"
        return SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))


LINE_KEYS = ("submission", "score", "max_score", "auto_score", "auto_max_score", "manual_pending", "load_errors")
COUNTED = ("passed", "failed", "error", "timeout")  # a line's ``statuses``


class _Entry(NamedTuple):
    """What the summary keeps of one result, compact (a class may have 100 000): its line as values in the
    order of LINE_KEYS + COUNTED + duration and CPU time, and which of its auto tests passed."""

    assignment: str
    line: tuple
    nodeids: tuple[str, ...]  # its auto tests (one tuple shared by every result with the same tests)
    passed: int  # bit i set: nodeids[i] passed
    load_errors: tuple[dict, ...]
    timeouts: tuple[str, ...]  # names of the tests that timed out
    busy: tuple[str, ...]  # names of the tests the machine was too busy to finish

    def line_dict(self) -> dict:
        values = self.line
        line = dict(zip(LINE_KEYS, values))
        line["statuses"] = dict(zip(COUNTED, values[len(LINE_KEYS):len(LINE_KEYS) + len(COUNTED)]))
        line["duration_s"], line["cpu_in_submission_s"] = values[-2:]
        return line


class ClassSummary:
    """The batch at a glance, built as results arrive: every submission's totals, each test's pass rate,
    what broke, the slowest, and what the class folder held that was not graded (``to_dict``)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._test_lists: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __contains__(self, submission: object) -> bool:
        return submission in self._entries

    def add(self, result: SubmissionResult) -> None:
        """Keep what the summary needs of ``result`` (a later result of the same submission replaces it)."""
        auto = [t for t in result.tests if t.kind == "auto"]
        nodeids = tuple(t.nodeid for t in auto)
        nodeids = self._test_lists.setdefault(nodeids, nodeids)
        passed = sum(1 << i for i, t in enumerate(auto) if t.status == "passed")
        self._entries[result.submission] = _Entry(
            result.assignment, _line(result), nodeids, passed, tuple(result.load_errors),
            tuple(t.name for t in result.tests if t.status == "timeout"),
            tuple(t.name for t in result.tests if t.machine_busy))

    def to_dict(self, ids: Iterable[str], skipped: Sequence[Skipped] = ()) -> dict:
        """The summary of the results of ``ids`` (all added), in that order."""
        entries = [(submission, self._entries[submission]) for submission in ids]
        rates: dict[str, list[int]] = {}
        for _, entry in entries:
            for index, nodeid in enumerate(entry.nodeids):
                tally = rates.setdefault(nodeid, [0, 0])
                tally[0] += entry.passed >> index & 1
                tally[1] += 1
        lines = [entry.line_dict() for _, entry in entries]
        return {
            "assignment": entries[0][1].assignment if entries else "",
            "submissions": len(entries),
            "results": lines,
            "pass_rates": {nodeid: round(passed / total, 4) for nodeid, (passed, total) in rates.items()},
            "histogram": histogram(lines),
            "load_errors": [{"submission": s, **e} for s, entry in entries for e in entry.load_errors],
            "timeouts": [{"submission": s, "test": name} for s, entry in entries for name in entry.timeouts],
            "machine_busy": [{"submission": s, "test": name} for s, entry in entries for name in entry.busy],
            "slowest": [{"submission": line["submission"], "duration_s": line["duration_s"]}
                        for line in heapq.nsmallest(SLOWEST, lines, key=lambda line: -line["duration_s"])],
            "skipped": [entry.to_dict() for entry in skipped],
        }


def summary(results: Sequence[SubmissionResult], skipped: Sequence[Skipped] = ()) -> dict:
    """The batch at a glance (``ClassSummary``) of ``results``."""
    built = ClassSummary()
    for result in results:
        built.add(result)
    return built.to_dict([result.submission for result in results], skipped)


def _line(result: SubmissionResult) -> tuple:
    """A submission's line of the summary as ``_Entry.line`` holds it, from one pass over its tests."""
    statuses = Counter(str(test.status) for test in result.tests)  # a str or a Status (a StrEnum)
    points = result.points()
    return (result.submission, result.score, round(points.auto_max + points.manual_max, 6), points.auto,
            points.auto_max, statuses["pending"], len(result.load_errors), *(statuses[key] for key in COUNTED),
            result.duration_s, result.cpu_in_submission_s)


def common_load_error(data: dict) -> str | None:
    """The load error that every submission of a batch (``summary``) of two or more shares, or None.

    When every one fails to load for the same reason, the cause is the setup (the wrong assignment, a
    package the grading machine lacks, workers that cannot reach the files), not the class. Each error
    is compared with the submission's own id taken out (``<submission>``), so a flat file's name or a
    path through the submission's folder does not make two reasons of one."""
    lines = data["results"]
    if len(lines) < 2 or not all(line["load_errors"] for line in lines):
        return None
    reasons: dict[str, set[str]] = {line["submission"]: set() for line in lines}
    for error in data["load_errors"]:
        reasons[error["submission"]].add(_without_id(error["error"], error["submission"]))
    shared = set.intersection(*reasons.values())
    return min(shared) if shared else None


def _without_id(text: str, submission: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(submission)}(?!\w)", "<submission>", text)


SLOWEST = 5
BINS = 10


def histogram(lines: Sequence[dict]) -> list[dict]:
    """Auto scores of a summary's ``lines`` in ten equal bins of the maximum (the last bin holds full marks)."""
    top = max((line["auto_max_score"] for line in lines), default=0) or 1
    counts = [0] * BINS
    for line in lines:
        counts[min(int(line["auto_score"] / top * BINS), BINS - 1)] += 1
    return [{"from": round(top * i / BINS, 6), "to": round(top * (i + 1) / BINS, 6), "count": c}
            for i, c in enumerate(counts)]


# OWASP's CSV-injection rule, plus the full-width forms a Chinese input method types and spreadsheets in
# East Asian locales also take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_text(text: str) -> str:
    """A CSV cell as a spreadsheet will show it, never run it: a leading apostrophe before what would start
    a formula, and any character UTF-8 cannot hold (a stray surrogate) written as its escape."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def from_spreadsheet_text(text: str) -> str:
    """A cell read back from a sheet the grader wrote (or an instructor filled): the apostrophe that
    :func:`spreadsheet_text` put before a formula-like start comes off."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


class SpreadsheetWriter:
    """``csv.writer`` whose every text cell goes through :func:`spreadsheet_text`: the one way the grader
    writes CSV, so no student-chosen id, answer or comment becomes a formula in the instructor's sheet."""

    def __init__(self, stream: TextIO) -> None:
        # RFC 4180's CRLF rows: with "\n" alone, csv leaves a bare "\r" in a cell unquoted, which splits
        # the row for every reader.
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([spreadsheet_text(cell) if isinstance(cell, str) else cell for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def gradebook_csv(lines: Sequence[dict]) -> str:
    """The summary's ``lines`` as the gradebook sheet."""
    stream = io.StringIO()
    writer = SpreadsheetWriter(stream)
    columns = ["submission", "score", "max_score", "auto_score", "auto_max_score", "manual_pending", "load_errors"]
    writer.writerow(columns)
    for line in lines:
        writer.writerow([line[column] for column in columns])
    return stream.getvalue()


def load_results_folder(results_dir: Path, assignment: str | None = None) -> list[SubmissionResult]:
    """Every submission's result in a ``grader grade --out`` folder (schema-checked), by submission id."""
    folder = Path(results_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such results folder: {folder}")
    results = []
    for path in sorted(folder.glob("*.json")):
        if path.name == "summary.json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(data, dict) and "submission" in data and "tests" in data):
            continue
        try:
            result = SubmissionResult.from_dict(data)
        except ValueError as exc:  # InvalidResult, or not JSON at all
            raise ValueError(f"{path}: not a valid result: {str(exc).splitlines()[0]}") from None
        if assignment is None or result.assignment == assignment:
            results.append(result)
    if not results:
        raise FileNotFoundError(f"no results{f' for {assignment}' if assignment else ''} in {folder}")
    return results


def rewrite_results_folder(results_dir: Path, results: list[SubmissionResult],
                           changed: list[SubmissionResult]) -> None:
    """Rewrite the changed results atomically (schema-checked), then the batch's summary and gradebook.csv
    from all of them."""
    folder = ResultsFolder(results_dir)
    for result in changed:
        folder.write(result)
    folder.finish(results, folder.skipped())  # no class folder here to find them again
