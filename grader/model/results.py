"""The result model: what grading one submission found. Rendering and files are built from it."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from grader import __version__
from grader.jail.limits import HeldLimits, Scope, TimeCharge

SCHEMA_PATH = Path(__file__).with_name("result.schema.json")


class Status(StrEnum):
    """How a test ended, or where a manual question stands."""

    PASSED = "passed"
    FAILED = "failed"  # the answer is wrong
    ERROR = "error"  # the test could not get or use an answer (a crash, a missing name, a broken reply)
    TIMEOUT = "timeout"
    PENDING = "pending"  # a manual question waiting for a person
    GRADED = "graded"  # a manual question scored by hand


class Kind(StrEnum):
    AUTO = "auto"  # scored by a test
    MANUAL = "manual"  # scored by a person


class Visibility(StrEnum):
    """When a student may see a test's result (Gradescope's four)."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    AFTER_DUE_DATE = "after_due_date"
    AFTER_PUBLISHED = "after_published"


# How the derived ``output`` text introduces each part after the message (Gradescope shows that text).
TRACEBACK_HEADING = "\n\nTraceback (the submission's lines):\n"
PRINTED_HEADING = "\n\nThe submission printed:\n"
NO_ANSWER = "no answer:"  # how a missing, empty or untouched manual answer is worded in ``message``


@dataclass
class TestResult:
    __test__ = False  # a result, not a test class for pytest to collect

    name: str
    nodeid: str
    score: float
    max_score: float
    status: Status
    kind: Kind = Kind.AUTO
    visibility: Visibility = Visibility.VISIBLE
    # Auto: what is wrong. Manual: why there is no answer while pending, the grader's comment once graded.
    message: str = ""
    traceback: str = ""  # the submission's lines of the traceback, when its code raised
    printed: str = ""  # what the submission printed during the test
    notes: str = ""  # what the jail adds, e.g. that output was cut
    answer: str | None = None  # a manual question's text; None when there is no answer (``message`` says why)
    duration_s: float = 0.0
    machine_busy: bool = False  # stopped by the wall-clock backstop while waiting for a core: grade it again

    def __post_init__(self) -> None:
        self.status, self.kind, self.visibility = Status(self.status), Kind(self.kind), Visibility(self.visibility)

    @property
    def details(self) -> str:
        """What an auto test adds to its message: the traceback, what the submission printed, the notes."""
        parts = [TRACEBACK_HEADING + self.traceback if self.traceback else "",
                 PRINTED_HEADING + self.printed if self.printed else "", f"\n\n{self.notes}" if self.notes else ""]
        return "".join(parts).strip()

    @property
    def output(self) -> str:
        """All of it as one text, for Gradescope."""
        if self.kind == Kind.MANUAL:
            text = self.answer if self.answer is not None else self.message
            return text + (f"\n\n{self.notes}" if self.notes else "")
        return self.message + (f"\n\n{self.details}" if self.details else "")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "notes" not in data:  # written before the parts were stored apart
            fields |= _legacy_parts(data)
        return cls(**fields)


def _legacy_parts(data: dict[str, Any]) -> dict[str, Any]:
    """The parts of a result written before they were stored apart, taken back out of its ``output``."""
    output, message = data.get("output", ""), data.get("message", "")
    if data.get("kind") == Kind.MANUAL:
        graded = data.get("status") == Status.GRADED
        missing = not graded and message.startswith(NO_ANSWER)
        return {"answer": None if missing else (output if graded else message)}
    rest = output.removeprefix(message)
    parts: dict[str, Any] = {}
    for key, heading in (("printed", PRINTED_HEADING), ("traceback", TRACEBACK_HEADING)):
        if heading in rest:
            rest, parts[key] = rest.split(heading, 1)
    if rest.strip():
        parts["notes"] = rest.strip()
    return parts


class TimeSource(StrEnum):
    """Where a submission's time came from, which says how far a late penalty can be trusted."""

    TIMES_FILE = "times_file"  # the instructor's --times sheet, e.g. the LMS's upload times
    FILE_MTIME = "file_mtime"  # the files' modification times: a copy, an unzip or a git clone resets them
    UNKNOWN = "unknown"  # recorded before the gradebook kept the source


@dataclass
class Late:
    """A submission after its due time: ``penalty`` is the fraction of the earned points taken off."""

    submitted_at: str
    due: str
    days_late: int
    penalty: float
    time_source: TimeSource = TimeSource.UNKNOWN


class Points(NamedTuple):
    auto: float
    auto_max: float
    manual: float
    manual_max: float


@dataclass
class SubmissionResult:
    assignment: str
    submission: str
    tests: list[TestResult]
    load_errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    time_in_submission_s: float = 0.0
    cpu_in_submission_s: float | None = None  # CPU time of the submission's processes (None: not measured)
    sandbox: str = "basic"
    files: dict[str, str] = field(default_factory=dict)
    grader_version: str = __version__
    graded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    late: Late | None = None
    limits: HeldLimits | None = None  # which limits held, and how (absent in results from before 0.x)

    def points(self) -> Points:
        """Points earned and possible, auto and manual, in one pass over the tests."""
        auto = auto_max = manual = manual_max = 0.0
        for test in self.tests:
            if test.kind == Kind.AUTO:
                auto += test.score
                auto_max += test.max_score
            else:
                manual += test.score
                manual_max += test.max_score
        return Points(round(auto, 6), round(auto_max, 6), round(manual, 6), round(manual_max, 6))

    @property
    def machine_busy(self) -> bool:
        """Some test could not finish because the machine was too busy: ``--resume`` grades it again."""
        return any(t.machine_busy for t in self.tests)

    @property
    def auto_score(self) -> float:
        return self.points().auto

    @property
    def auto_max_score(self) -> float:
        return self.points().auto_max

    @property
    def manual_max_score(self) -> float:
        return self.points().manual_max

    @property
    def points_deducted(self) -> float:
        return self._deducted(self.points())

    def _deducted(self, points: Points) -> float:
        return round((points.auto + points.manual) * self.late.penalty, 6) if self.late else 0.0

    @property
    def score(self) -> float:
        points = self.points()
        return round(points.auto + points.manual - self._deducted(points), 6)

    @property
    def max_score(self) -> float:
        points = self.points()
        return round(points.auto_max + points.manual_max, 6)

    def apply_manual_scores(self, scores: Mapping[str, tuple[float, str]]) -> bool:
        """Score the manual questions named in ``scores`` (question -> (points, comment)); True if anything
        changed. The answer stays beside the comment."""
        changed = False
        for test in self.tests:
            if test.kind == Kind.MANUAL and test.name in scores:
                points, comment = scores[test.name]
                if (test.status, test.score, test.message) != (Status.GRADED, points, comment):
                    test.status, test.score, test.message = Status.GRADED, float(points), comment
                    changed = True
        return changed

    def to_dict(self) -> dict[str, Any]:
        # A copy level by level (its leaves are immutable), not dataclasses.asdict's deep copy: 5× faster.
        data = dict(vars(self))
        data |= {"tests": [dict(vars(test)) for test in self.tests],
                 "load_errors": [dict(e) for e in self.load_errors], "warnings": list(self.warnings),
                 "files": dict(self.files), "late": asdict(self.late) if self.late else None,
                 "limits": asdict(self.limits) if self.limits else None}
        for name in ("score", "max_score", "auto_score", "auto_max_score", "manual_max_score"):
            data[name] = getattr(self, name)
        for test, result in zip(data["tests"], self.tests):
            test["output"] = result.output
            if not test["machine_busy"]:
                del test["machine_busy"]  # results keep the shape they always had
            for name in ("traceback", "printed") if result.kind == Kind.MANUAL else ("answer",):
                del test[name]
        if self.limits is None:
            del data["limits"]
        if self.cpu_in_submission_s is None:
            del data["cpu_in_submission_s"]
        if self.late is None:
            del data["late"]  # on-time results keep the shape they always had
        else:
            data["late"]["points_deducted"] = self.points_deducted
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, check: bool = True) -> SubmissionResult:
        """The result ``data`` holds, checked against the schema first; ``check=False`` for a record that is
        checked when it is written (a worker's, on its way to the results folder)."""
        if check:
            validate(data)
        data = valid_text(data)
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["tests"] = [TestResult.from_dict(t) for t in data["tests"]]
        if "late" in data:
            late = {k: v for k, v in data["late"].items() if k in Late.__dataclass_fields__}
            fields["late"] = Late(**late | {"time_source": TimeSource(late.get("time_source", TimeSource.UNKNOWN))})
        if "limits" in data:
            held = data["limits"]
            fields["limits"] = HeldLimits(**held | {"time_charged_in": TimeCharge(held["time_charged_in"]),
                                                    "memory_per": Scope(held["memory_per"]),
                                                    "processes_per": Scope(held["processes_per"])})
        return cls(**fields)


def valid_text(value: Any) -> Any:
    """``value`` with every string made encodable as UTF-8 (a lone surrogate written as its escape), so
    that no sink — SQLite, CSV, HTML, a terminal — can fail on a result's text."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8") if not value.isascii() else value
    if isinstance(value, dict):
        return {valid_text(k): valid_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [valid_text(v) for v in value]
    return value


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Any:
    import jsonschema  # deferred: ~50 ms, and a student's check writes no JSON unless asked

    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


@cache
def _compiled() -> Callable[[Any], Any]:
    """The schema compiled to Python: ~25× faster than jsonschema, which a batch of 100 000 needs. Formats
    are not asserted, as jsonschema does not by default; the schema keeps to keywords both read alike."""
    import fastjsonschema

    return fastjsonschema.compile(schema(), use_formats=False)


class InvalidResult(ValueError):
    """Data that is not a valid result; ``error`` is jsonschema's ValidationError (which is no ValueError)."""

    def __init__(self, error: Any) -> None:
        where = "/".join(map(str, error.absolute_path))
        super().__init__(f"{where}: {error.message}" if where else error.message)
        self.error = error


def validate(data: dict[str, Any]) -> None:
    """Raise InvalidResult unless ``data`` is a valid result (naming the error jsonschema.validate would
    pick). The compiled check decides what passes quickly; jsonschema, the reference, judges what it
    refuses. Both validators are built once."""
    import fastjsonschema

    try:
        _compiled()(data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(data))
    if error is not None:
        raise InvalidResult(error)


# The batch's own files in a results folder (summary.json, gradebook.csv) never share a stem with a result.
RESERVED_STEMS = frozenset({"summary", "gradebook"})
UNPORTABLE = frozenset('%/<>:"|?*\\')  # % escapes itself, / separates folders, the rest Windows forbids
MAX_STEM_BYTES = 180  # + a 33-byte digest, ".json" and a temporary file's affixes stay within NAME_MAX (255)


def file_stem(submission: str) -> str:
    """The file name (without suffix) of a submission's result, page or folder: the id itself where that is
    safe, else percent-escaped (``%`` itself, characters Windows forbids, control characters, a leading
    ``.``, the first letter of a reserved stem in any case), so a results folder copies to any system; an
    id longer than MAX_STEM_BYTES keeps its start and gains ``~`` and a digest of the whole id. Distinct
    ids get distinct stems: escaped stems decode back to their id, and shortened ones are longer than any
    stem left whole."""
    text = submission.encode("utf-8", "backslashreplace").decode("utf-8")  # ids are valid text; never fail
    stem = "".join(f"%{ord(c):02X}" if c in UNPORTABLE or ord(c) < 0x20 else c for c in text)
    if stem.startswith(".") or stem.lower() in RESERVED_STEMS:
        stem = f"%{ord(stem[0]):02X}{stem[1:]}"
    encoded = stem.encode("utf-8")
    if len(encoded) <= MAX_STEM_BYTES:
        return stem
    digest = hashlib.sha256(encoded).hexdigest()[:32]
    return f"{encoded[:MAX_STEM_BYTES].decode('utf-8', 'ignore')}~{digest}"


def write_json_atomically(path: Path, data: Any, indent: int | None = 2) -> None:
    """Write to a temporary file in the same folder, then rename: a reader sees all or nothing. ``indent=None``
    for one line, which json writes 10× faster (a result per submission)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # backslashreplace: a stray surrogate (an undecodable file name) must not lose the result
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as stream:
            if indent is None:
                stream.write(json.dumps(data, ensure_ascii=False))  # json's C encoder: one line only
            else:
                json.dump(data, stream, ensure_ascii=False, indent=indent)  # streamed: a large summary too
        # No fsync (~5 ms a file): the rename alone means a reader, or a grader killed at any moment, sees
        # all of a file or none of it. What a power cut may leave half-written is no valid result, and
        # ``--resume`` grades it again.
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_result(path: Path, result: SubmissionResult) -> None:
    data = result.to_dict()
    validate(data)
    write_json_atomically(path, data, indent=None)
