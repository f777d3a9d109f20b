"""The result model: typed statuses, the parts of a test's text stored apart, and results written before
that read back into the same parts."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.model.results import Kind, Status, SubmissionResult, TestResult, Visibility


def auto_test(**parts: str) -> TestResult:
    return TestResult("rows", "t::rows", 0.0, 6.0, Status.FAILED, message="row 6: wrong b", **parts)


def round_trip(result: SubmissionResult) -> SubmissionResult:
    return SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict())))


def test_statuses_kinds_and_visibilities_are_typed_and_keep_their_json_values():
    test = TestResult("t", "t", 1.0, 1.0, "passed", kind="auto", visibility="after_published")  # type: ignore[arg-type]
    assert (test.status, test.kind, test.visibility) == (Status.PASSED, Kind.AUTO, Visibility.AFTER_PUBLISHED)
    assert json.loads(json.dumps(SubmissionResult("hw3", "ann", [test]).to_dict()))["tests"][0]["status"] == "passed"
    with pytest.raises(ValueError):
        TestResult("t", "t", 1.0, 1.0, "almost")  # type: ignore[arg-type]


def test_the_parts_survive_a_round_trip_and_output_is_derived_from_them():
    test = auto_test(traceback='  File "hw3.py", line 4\n', printed="hello\n", notes="[output cut]")
    manual = TestResult("Q", "manual::Q", 0.0, 2.0, Status.PENDING, kind=Kind.MANUAL, answer="有用。")
    back = round_trip(SubmissionResult("hw3", "ann", [test, manual]))
    assert back.tests == [test, manual]
    assert test.output == ("row 6: wrong b\n\nTraceback (the submission's lines):\n  File \"hw3.py\", line 4\n"
                           "\n\nThe submission printed:\nhello\n\n\n[output cut]")
    assert manual.output == "有用。"


def test_no_answer_is_typed_not_a_prefix():
    missing = TestResult("Q", "manual::Q", 0.0, 2.0, Status.PENDING, kind=Kind.MANUAL,
                         message="no answer: Q is empty or not a text answer")
    back = round_trip(SubmissionResult("hw3", "ann", [missing])).tests[0]
    assert back.answer is None and back.output == missing.message
    # An answer that happens to start with the words is still an answer.
    worded = TestResult("Q", "manual::Q", 0.0, 2.0, Status.PENDING, kind=Kind.MANUAL, answer="no answer: I don't know")
    assert round_trip(SubmissionResult("hw3", "bob", [worded])).tests[0].answer == "no answer: I don't know"


def test_results_written_before_the_parts_were_stored_apart_read_back_into_them():
    old = {"name": "rows", "nodeid": "t::rows", "score": 0.0, "max_score": 6.0, "status": "error", "kind": "auto",
           "visibility": "visible", "message": "NameError: x",
           "output": "NameError: x\n\nTraceback (the submission's lines):\nline 3\n\nThe submission printed:\nhi"}
    pending = {"name": "Q", "nodeid": "manual::Q", "score": 0.0, "max_score": 2.0, "status": "pending",
               "kind": "manual", "visibility": "visible", "message": "有用。", "output": "有用。"}
    graded = pending | {"status": "graded", "score": 1.5, "message": "good", "output": "有用。"}
    empty = pending | {"message": "no answer: Q is empty", "output": "no answer: Q is empty"}
    data = SubmissionResult("hw3", "ann", []).to_dict() | {"tests": [old, pending, graded, empty]}
    auto, waiting, scored, none = SubmissionResult.from_dict(data).tests
    assert (auto.traceback, auto.printed, auto.notes) == ("line 3", "hi", "")
    assert auto.output == old["output"]
    assert (waiting.answer, scored.answer, scored.message, none.answer) == ("有用。", "有用。", "good", None)


def test_manual_scores_are_applied_on_the_model():
    result = SubmissionResult("hw3", "ann", [TestResult("Q", "manual::Q", 0.0, 2.0, Status.PENDING,
                                                        kind=Kind.MANUAL, answer="有用。")])
    assert result.apply_manual_scores({"Q": (1.5, "good")})
    assert not result.apply_manual_scores({"Q": (1.5, "good")})  # nothing changes the second time
    assert (result.tests[0].status, result.score, result.tests[0].answer) == (Status.GRADED, 1.5, "有用。")


def full_result() -> dict:
    """A result with every optional part: late, limits, the CPU time, a manual question, a load error."""
    from grader.jail.limits import HeldLimits, Limits, Scope
    from grader.model.results import Late, TimeSource

    manual = TestResult("Q", "manual::Q", 1.0, 2.0, Status.GRADED, kind=Kind.MANUAL, answer="有用。")
    result = SubmissionResult("hw3", "ann", [auto_test(traceback="  File x\n"), manual],
                              load_errors=[{"where": "cell 3", "error": "NameError", "traceback": ""}],
                              files={"hw3.py": "0" * 64}, cpu_in_submission_s=0.02,
                              late=Late("2026-01-02T00:00:00+00:00", "2026-01-01T00:00:00+00:00", 1, 0.1,
                                        TimeSource.TIMES_FILE),
                              limits=HeldLimits.of(Limits(), cpu_time=True, memory=Scope.SUBMISSION,
                                                   processes=Scope.UID))
    return json.loads(json.dumps(result.to_dict()))


ODD_VALUES = [None, True, False, 0, -1, 1.5, -0.5, "", "x", "passed", [], {}, [1], {"a": 1}, 2**70]


def paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every key path into a JSON value."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


@given(st.data())
@settings(max_examples=400, deadline=None)
def test_the_fast_schema_check_passes_only_what_jsonschema_passes(data):
    """Every result is checked by a compiled validator and, where it refuses, by jsonschema: the compiled
    one must never let through what jsonschema refuses (a value replaced, a key taken away or added)."""
    from grader.model import results as model

    document = full_result()
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths(document)))
        *parents, last = path
        holder = document
        for key in parents:
            holder = holder[key]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(holder, dict):
            del holder[last]
        elif action == "add" and isinstance(holder, dict):
            holder[data.draw(st.sampled_from(["extra", "score", "late", "limits"]))] = copy.deepcopy(
                data.draw(st.sampled_from(ODD_VALUES)))
        else:
            holder[last] = copy.deepcopy(data.draw(st.sampled_from(ODD_VALUES)))  # later edits must not reach it
    reference = model._validator().is_valid(document)
    try:
        model._compiled()(document)
        compiled = True
    except Exception:  # noqa: BLE001 - fastjsonschema's refusal, whatever its class
        compiled = False
    assert not compiled or reference, f"the compiled check passed what jsonschema refuses: {document}"
    if reference:
        model.validate(document)  # what jsonschema passes is valid, whatever the compiled check said
    else:
        with pytest.raises(ValueError):
            model.validate(document)
