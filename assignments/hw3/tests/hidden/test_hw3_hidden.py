"""Hidden tests of hw3: every legal table earns full marks; functions are compared with the reference."""

import re

import numpy as np
import pytest

from grader.checks import SubmissionRaised, assert_bool, assert_close, describe, translations
from reference.perceptron import HW3_NAMES, HW3_X, HW3_Y, check_table, is_misclassified, perceptron_train

# .gettext: the release's leak check counts every top-level assignment here as hidden code, and the public
# tests bind their own catalog with `_ = translations(__file__)`; the language is still chosen per message.
_ = translations(__file__).gettext

GIVEN_ROWS = 5  # rows 0-4 come with the question and earn nothing
FORCED = {5: "M2"}

# The reference's check_table says what is wrong with a table in English, in these forms; each is retold
# here, field for field, in the language of the run (the English is the same text). Any other text is shown
# as it is. Ordered: the first form that matches the whole text wins.
def N_(message):
    """Marks a message for the catalog; it is translated where it is used."""
    return message


_ROW = r"row (?P<row>\d+): "
_STATE = r"(?P<state>w=\(.*?\), b=\S+)"
_VERDICTS = [
    (r"the table is not a list of rows: (?P<found>.*)",
     N_("the table is not a list of rows: {found}")),
    (_ROW + r"nothing may follow the final row \(无\), found (?P<found>.*)",
     N_("row {row}: nothing may follow the final row (无), found {found}")),
    (_ROW + r"malformed row (?P<found>.*): expected \(iteration, point, w, b\)",
     N_("row {row}: malformed row {found}: expected (iteration, point, w, b)")),
    (_ROW + r"wrong iteration number (?P<iteration>.*), expected (?P=row)",
     N_("row {row}: wrong iteration number {iteration}, expected {row}")),
    (_ROW + r"malformed w (?P<found>.*): expected (?P<size>\d+) numbers",
     N_("row {row}: malformed w {found}: expected {size} numbers")),
    (_ROW + r"malformed b (?P<found>.*): expected a number",
     N_("row {row}: malformed b {found}: expected a number")),
    (r"row 0: the first row has no point \(None\), got (?P<point>.*)",
     N_("row 0: the first row has no point (None), got {point}")),
    (r"row 0: the first row must hold the initial values " + _STATE + r", got w=(?P<w>\(.*\)), b=(?P<b>\S+)",
     N_("row 0: the first row must hold the initial values {state}, got w={w}, b={b}")),
    (_ROW + r"iteration (?P=row) must use (?P<point>.*) \(forced\), but the row ends the table",
     N_("row {row}: iteration {row} must use {point} (forced), but the row ends the table")),
    (_ROW + r"iteration (?P=row) must use (?P<point>.*) \(forced\), but the row uses (?P<used>.*)",
     N_("row {row}: iteration {row} must use {point} (forced), but the row uses {used}")),
    (_ROW + r"final row \(无\) while (?P<point>.*) is still misclassified under " + _STATE
     + r": y\(w·x\+b\)=(?P<margin>\S+) <= 0",
     N_("row {row}: final row (无) while {point} is still misclassified under {state}: "
                 "y(w·x+b)={margin} <= 0")),
    (_ROW + r"the final row \(无\) must repeat " + _STATE + r" from row (?P<previous>\d+), "
     r"got w=(?P<w>\(.*\)), b=(?P<b>\S+)",
     N_("row {row}: the final row (无) must repeat {state} from row {previous}, "
                 "got w={w}, b={b}")),
    (_ROW + r"unknown point (?P<point>.*), expected one of (?P<known>.*) or None",
     N_("row {row}: unknown point {point}, expected one of {known} or None")),
    (_ROW + r"(?P<point>.*) is not misclassified under " + _STATE + r": y\(w·x\+b\)=(?P<margin>\S+) > 0",
     N_("row {row}: {point} is not misclassified under {state}: y(w·x+b)={margin} > 0")),
    (_ROW + r"wrong w after the update with (?P<point>.*): w \+ η·y·x = (?P<expected>\(.*\)), got (?P<got>.*)",
     N_("row {row}: wrong w after the update with {point}: w + η·y·x = {expected}, got {got}")),
    (_ROW + r"wrong b after the update with (?P<point>.*): b \+ η·y = (?P<expected>\S+), got (?P<got>.*)",
     N_("row {row}: wrong b after the update with {point}: b + η·y = {expected}, got {got}")),
    (_ROW + r"malformed row \((?P<error>\w+): (?P<detail>.*)\)",
     N_("row {row}: malformed row ({error}: {detail})")),
]


def retold(verdict_text):
    """The reference checker's English verdict in the language of the run (the same text in English)."""
    for pattern, message in _VERDICTS:
        found = re.fullmatch(pattern, verdict_text, flags=re.DOTALL)
        if found:
            return _(message).format(**found.groupdict())
    return verdict_text


def rows_still_needed(table, legal_rows):
    """Rows a student would still have to write after the last legal one (lowest-index rule, 无 row
    included), so that credit depends on how far the student got, not on what follows a mistake."""
    if legal_rows <= GIVEN_ROWS:
        return 1  # nothing earned yet: the share is 0 whatever this is
    last = table[legal_rows - 1]
    if last[1] is None:
        return 0
    return len(perceptron_train(HW3_X, HW3_Y, w0=last[2], b0=last[3])) - 1


@pytest.mark.points(5)
def test_table_is_a_legal_run(submission, partial_credit):
    """TABLE is a legal perceptron run from the given rows, with M2 at step 5, to no misclassified point"""
    table = submission.TABLE
    verdict = check_table(table, HW3_X, HW3_Y, eta=1.0, w0=(0, 0), b0=0, names=HW3_NAMES, forced=FORCED)
    earned = max(verdict.legal_rows - GIVEN_ROWS, 0)
    partial_credit(earned, earned + rows_still_needed(table, verdict.legal_rows))
    assert verdict.first_error is None, retold(verdict.first_error)
    assert verdict.complete, (
        _("the table must end with a row whose point is None (无误分类点) once nothing is misclassified"))


@pytest.mark.points(2)
def test_final_model(submission):
    """FINAL_W, FINAL_B are the last model of a legal, complete table and classify every point correctly"""
    w, b = submission.FINAL_W, submission.FINAL_B
    table = submission.TABLE
    last = table[-1] if isinstance(table, (list, tuple)) and len(table) > GIVEN_ROWS else None
    assert isinstance(last, (list, tuple)) and len(last) == 4, (
        _("TABLE needs rows after the given ones, ending in the final model"))
    # The final model is the end of the run: a table that breaks the rules earns nothing for where it ends.
    verdict = check_table(table, HW3_X, HW3_Y, eta=1.0, w0=(0, 0), b0=0, names=HW3_NAMES, forced=FORCED)
    assert verdict.first_error is None and verdict.complete, (
        _("FINAL_W, FINAL_B earn credit only as the end of a legal table; {problem}").format(
            problem=retold(verdict.first_error) if verdict.first_error
            else _("the table does not end with its 无 row")))
    assert_close(w, last[2], name=_("FINAL_W (the last row's w)"))
    assert_close(b, last[3], name=_("FINAL_B (the last row's b)"))
    final_w, final_b = np.ravel(np.asarray(w, dtype=float)), float(np.ravel(np.asarray(b, dtype=float))[0])
    for name, x, y in zip(HW3_NAMES, HW3_X, HW3_Y):
        assert not is_misclassified(final_w, final_b, x, y), \
            _("{point} is still misclassified by FINAL_W={w}, FINAL_B={b}").format(
                point=name, w=describe(w), b=describe(b))


def separable_data(seed):
    """Integer points on both sides of a random hyperplane, at least 1 away from it."""
    rng = np.random.default_rng(seed)
    dim = int(rng.integers(2, 4))
    normal, offset = rng.integers(-3, 4, size=dim), int(rng.integers(-3, 4))
    normal[0] = normal[0] or 1
    candidates = [p for p in rng.integers(-6, 7, size=(60, dim)) if abs(p @ normal + offset) >= 1]
    points = candidates[: int(rng.integers(4, 12))]
    X = np.array(points, dtype=float)
    return X, np.where(X @ normal + offset > 0, 1, -1)


def assert_trace(actual, expected, what):
    assert isinstance(actual, (list, tuple)), _("{what} should return a list of rows, got {found}").format(
        what=what, found=describe(actual))
    for number, (row, want) in enumerate(zip(actual, expected)):
        assert isinstance(row, (list, tuple)) and len(row) == 4, (
            _("{what} row {row} should have 4 entries, got {found}").format(what=what, row=number, found=repr(row)))
        assert row[0] == want[0], _("{what} row {row}: iteration {iteration}; expected {expected}").format(
            what=what, row=number, iteration=repr(row[0]), expected=want[0])
        assert row[1] == want[1], _("{what} row {row}: sample {sample}; expected {expected}").format(
            what=what, row=number, sample=repr(row[1]), expected=repr(want[1]))
        assert_close(row[2], want[2], name=_("{what} row {row} w").format(what=what, row=number))
        assert_close(row[3], want[3], name=_("{what} row {row} b").format(what=what, row=number))
    assert len(actual) == len(expected), _("{what} has {count} rows; expected {expected}").format(
        what=what, count=len(actual), expected=len(expected))


@pytest.mark.points(1)
def test_functions_on_random_points(submission):
    """is_misclassified and perceptron_step on random inputs, boundary cases included"""
    rng = np.random.default_rng(3)
    for _case in range(20):
        w, x = rng.integers(-3, 4, size=3).astype(float), rng.integers(-3, 4, size=3).astype(float)
        b, y = float(rng.integers(-3, 4)), float(rng.choice([-1, 1]))
        if rng.random() < 0.3:
            b = -float(w @ x)  # exactly on the hyperplane
        assert_bool(submission.is_misclassified(w, b, x, y), is_misclassified(w, b, x, y),
                    name=f"is_misclassified(w={w.tolist()}, b={b:g}, x={x.tolist()}, y={y:g})")
        eta = float(rng.choice([1.0, 0.5, 0.1]))
        new_w, new_b = submission.perceptron_step(w, b, x, y, eta=eta)
        assert_close(new_w, w + eta * y * x, name=f"perceptron_step w (eta={eta:g})")
        assert_close(new_b, b + eta * y, name=f"perceptron_step b (eta={eta:g})")


@pytest.mark.points(1)
def test_train_on_other_data_and_schedules(submission):
    """perceptron_train on other separable data sets, with eta, w0, b0 and schedules"""
    for seed in range(4):
        X, y = separable_data(seed)
        expected = perceptron_train(X, y)
        assert_trace(submission.perceptron_train(X, y), expected, _("data set {seed}").format(seed=seed))
        expected = perceptron_train(X, y, eta=0.5, w0=np.ones(X.shape[1]), b0=1.0)
        assert_trace(submission.perceptron_train(X, y, eta=0.5, w0=np.ones(X.shape[1]), b0=1.0), expected,
                     _("data set {seed} with eta=0.5, w0=1, b0=1").format(seed=seed))
    assert_trace(submission.perceptron_train(HW3_X, HW3_Y, schedule={5: 1}),
                 perceptron_train(HW3_X, HW3_Y, schedule={5: 1}), _("schedule={{5: 1}} (M2 at step 5)").format())


def took_another_path(trace, expected, before):
    """The first row before iteration `before` where the submission's trace left the expected run, or None."""
    if not isinstance(trace, (list, tuple)):
        return None
    for number, want in enumerate(expected[:before]):
        row = trace[number] if number < len(trace) else None
        if not (isinstance(row, (list, tuple)) and len(row) == 4 and row[0] == want[0] and row[1] == want[1]
                and np.allclose(np.ravel(np.asarray(row[2], dtype=float)), want[2], rtol=1e-6, atol=1e-9)
                and np.isclose(float(np.ravel(np.asarray(row[3], dtype=float))[0]), want[3], rtol=1e-6, atol=1e-9)):
            return _("row {row} is {found}, the lowest-index rule gives {expected}").format(
                row=number, found=repr(row), expected=repr(want))
    return None


@pytest.mark.points(1)
def test_train_edge_cases(submission):
    """a forced sample that is not misclassified raises ValueError; max_iter stops a run, but not its final row

    max_iter stops a run that cannot end; a run that converges after exactly max_iter updates still ends with its
    final row."""
    with pytest.raises(SubmissionRaised) as raised:
        trace = submission.perceptron_train(HW3_X, HW3_Y, schedule={2: 0})
        # No ValueError: if the run had left the lowest-index path before step 2, M1 may really be misclassified
        # there, and the mistake is the path, not the missing ValueError.
        other = took_another_path(trace, perceptron_train(HW3_X, HW3_Y), before=2)
        if other is not None:
            pytest.fail(_("schedule={{2: 0}}: the run took another path before iteration 2 ({other}), so M1 was "
                          "not the correctly classified sample this test forces; fix the selection rule first").format(
                            other=other))
        pytest.fail(_("forcing M1 at step 2 (it is classified correctly then) should raise ValueError"))
    assert raised.value.type_name == "ValueError", _("expected ValueError, got {message}").format(
        message=raised.value.message)
    X, y = [(0, 0), (1, 1), (0, 0)], [1, 1, -1]  # the same point with both labels: never separable
    trace = submission.perceptron_train(X, y, max_iter=7)
    assert_trace(trace, perceptron_train(X, y, max_iter=7), _("non-separable data with max_iter=7"))
    # The lecture's data converges after exactly 7 updates: max_iter=7 still ends with the final (None) row.
    trace = submission.perceptron_train(HW3_X, HW3_Y, max_iter=7)
    assert_trace(trace, perceptron_train(HW3_X, HW3_Y, max_iter=7),
                 _("the lecture's data with max_iter=7 (it converges after exactly 7 updates, so the final row "
                   "stays)"))
