"""Public tests of hw3: run them with `grader check hw3`.

The tests worth points check what the statement gives (row 5, the lecture's points and table). The tests worth
0 points are checks before the deadline: they apply the perceptron's rules to the whole of your TABLE, to your
final model and to your perceptron_train on small data sets they make themselves; the hidden tests grade the
same things. Any legal table passes them; they never say what a row should be.
"""

import pytest
from hw3_helpers import first_broken_rule, margin, scalar, text, vector

from grader.checks import SubmissionRaised, assert_bool, assert_close, describe, translations

_ = translations(__file__)

POINTS = [(3, 3), (4, 3), (1, 1)]  # M1, M2, M3 of the statement
LABELS = [1, 1, -1]
NAMES = ("M1", "M2", "M3")


@pytest.mark.points(1)
def test_step_5_uses_m2(submission):
    """TABLE row 5: M2 is used and the update is right"""
    table = submission.TABLE
    assert isinstance(table, (list, tuple)) and len(table) > 5, (
        _("TABLE should be a list with more than the 5 given rows"))
    row = table[5]
    assert isinstance(row, (list, tuple)) and len(row) == 4, (
        _("row 5 should be (iteration, point, (w1, w2), b), got {row}").format(row=repr(row)))
    iteration, point, w, b = row
    assert iteration == 5, _("row 5 has iteration {iteration}; expected 5").format(iteration=repr(iteration))
    assert point == "M2", _("row 5 uses {point}; the question fixes M2 at step 5").format(point=repr(point))
    assert_close(w, [4, 3], name=_("row {row} w").format(row=5))
    assert_close(b, -1, name=_("row {row} b").format(row=5))


@pytest.mark.points(1)
def test_is_misclassified_examples(submission):
    """is_misclassified on the lecture's points"""
    assert_bool(submission.is_misclassified((0, 0), 0, (3, 3), 1), True, name="is_misclassified((0,0), 0, M1, +1)")
    assert_bool(submission.is_misclassified((3, 3), 1, (3, 3), 1), False, name="is_misclassified((3,3), 1, M1, +1)")
    assert_bool(submission.is_misclassified((3, 3), 1, (1, 1), -1), True, name="is_misclassified((3,3), 1, M3, -1)")
    # On the hyperplane counts as misclassified: y(w·x+b) = 0 <= 0.
    assert_bool(submission.is_misclassified((1, 1), -2, (1, 1), -1), True, name="is_misclassified((1,1), -2, M3, -1)")


@pytest.mark.points(1)
def test_perceptron_step_example(submission):
    """perceptron_step: w + ηyx, b + ηy"""
    result = submission.perceptron_step((3, 3), 1, (1, 1), -1)
    assert isinstance(result, (list, tuple)) and len(result) == 2, (
        _("perceptron_step should return (w, b), got {result}").format(result=repr(result)))
    assert_close(result[0], [2, 2], name="w")
    assert_close(result[1], 0, name="b")
    w, b = submission.perceptron_step((0, 0), 0, (3, 3), 1, eta=0.5)
    assert_close(w, [1.5, 1.5], name=_("w with eta=0.5"))
    assert_close(b, 0.5, name=_("b with eta=0.5"))


LECTURE_TABLE = [
    (0, None, (0, 0), 0), (1, 0, (3, 3), 1), (2, 2, (2, 2), 0), (3, 2, (1, 1), -1), (4, 2, (0, 0), -2),
    (5, 0, (3, 3), -1), (6, 2, (2, 2), -2), (7, 2, (1, 1), -3), (8, None, (1, 1), -3),
]


@pytest.mark.points(1)
def test_perceptron_train_reproduces_lecture(submission):
    """perceptron_train reproduces the lecture's table (lowest-index rule)"""
    trace = submission.perceptron_train([(3, 3), (4, 3), (1, 1)], [1, 1, -1])
    assert isinstance(trace, (list, tuple)), (
        _("perceptron_train should return a list of rows, got {type}").format(type=type(trace).__name__))
    for number, (row, expected) in enumerate(zip(trace, LECTURE_TABLE)):
        assert isinstance(row, (list, tuple)) and len(row) == 4, (
            _("row {row} should have 4 entries, got {found}").format(row=number, found=repr(row)))
        assert row[0] == expected[0], _("row {row}: iteration {iteration}; expected {expected}").format(
            row=number, iteration=repr(row[0]), expected=expected[0])
        assert row[1] == expected[1], _("row {row}: sample {sample}; expected {expected}").format(
            row=number, sample=repr(row[1]), expected=repr(expected[1]))
        assert_close(row[2], expected[2], name=_("row {row} w").format(row=number))
        assert_close(row[3], expected[3], name=_("row {row} b").format(row=number))
    assert len(trace) == len(LECTURE_TABLE), _("the trace has {count} rows; expected {expected}").format(
        count=len(trace), expected=len(LECTURE_TABLE))


@pytest.mark.points(0)
def test_table_follows_the_rules(submission):
    """TABLE: every row follows the perceptron's rules (a check)

    Each row's point is misclassified under the previous row's (w, b), each update is w + ηyx, b + ηy, and the
    final row (None) comes once nothing is misclassified. Graded by the hidden tests; any legal table passes."""
    problem = first_broken_rule(submission.TABLE, POINTS, LABELS, eta=1, w0=(0, 0), b0=0, names=NAMES,
                                forced={5: "M2"})
    assert problem is None, _("TABLE {problem}").format(problem=problem)


@pytest.mark.points(0)
def test_final_model_is_the_tables_end(submission):
    """the final model: FINAL_W and FINAL_B equal your table's last row, no point misclassified (a check)"""
    table, w, b = submission.TABLE, submission.FINAL_W, submission.FINAL_B
    assert isinstance(table, (list, tuple)) and table and isinstance(table[-1], (list, tuple)) \
        and len(table[-1]) == 4, _("TABLE should be a list of rows (iteration, point, (w1, w2), b)")
    final_w, final_b = vector(w, 2), scalar(b)
    assert final_w is not None, _("FINAL_W should be a pair of numbers (w1, w2), got {found}").format(found=describe(w))
    assert final_b is not None, _("FINAL_B should be one number, got {found}").format(found=describe(b))
    last_w, last_b = vector(table[-1][2], 2), scalar(table[-1][3])
    assert last_w is not None and last_b is not None, (
        _("TABLE's last row should hold (w1, w2) and b, got {row}").format(row=repr(table[-1])))
    if not (all(abs(f - v) <= 1e-9 * max(1, abs(v)) for f, v in zip(final_w, last_w))
            and abs(final_b - last_b) <= 1e-9 * max(1, abs(last_b))):
        copied = [row[0] for row in table[:-1] if isinstance(row, (list, tuple)) and len(row) == 4
                  and vector(row[2], 2) == final_w and scalar(row[3]) == final_b]
        hint = _(" (hint: these are the w and b of row {row}, not of the last row)").format(
            row=copied[-1]) if copied else ""
        raise AssertionError(_("FINAL_W={w}, FINAL_B={b} are not your table's last model: "
                               "the last row has w={last_w}, b={last_b}{hint}").format(
                                 w=text(final_w), b=text(final_b), last_w=text(last_w), last_b=text(last_b),
                                 hint=hint))
    for name, x, y in zip(NAMES, POINTS, LABELS):
        value = margin(final_w, final_b, x, y)
        assert value > 0, _("{point} is misclassified by FINAL_W={w}, FINAL_B={b}: y(w·x+b) = {margin} <= 0; "
                            "the final model must classify every point correctly").format(
                              point=name, w=text(final_w), b=text(final_b), margin=text(value))


# Small data sets of the tests' own (not the homework's): three points, separable.
SMALL_X = [(1, 0), (0, 1), (-1, -1)]
SMALL_Y = [1, 1, -1]


@pytest.mark.points(0)
def test_train_follows_schedule(submission):
    """perceptron_train: schedule followed; forcing a correctly classified sample raises ValueError (a check)

    On a small data set of the test's own."""
    try:
        trace = submission.perceptron_train(SMALL_X, SMALL_Y, schedule={1: 1})
    except SubmissionRaised as raised:
        value = margin((0, 0), 0, SMALL_X[1], SMALL_Y[1])
        raise AssertionError(
            _("perceptron_train(X, y, schedule={{1: 1}}) on X={X}, y={y} raised {error}, "
              "but sample 1 is misclassified at iteration 1: under w=(0, 0), b=0, y(w·x+b) = {margin} <= 0 "
              "(a point on the hyperplane counts as misclassified)").format(
                X=SMALL_X, y=SMALL_Y, error=raised.type_name, margin=text(value))) from None
    problem = first_broken_rule(trace, SMALL_X, SMALL_Y, forced={1: 1}, lowest=True, reveal=True)
    assert problem is None, _("perceptron_train(X, y, schedule={{1: 1}}) on X={X}, y={y}: trace {problem}").format(
        X=SMALL_X, y=SMALL_Y, problem=problem)
    with pytest.raises(SubmissionRaised) as raised:
        submission.perceptron_train(SMALL_X, SMALL_Y, schedule={2: 0})
        # No exception: either the schedule check is missing, or the run reached step 2 by another path.
        plain = submission.perceptron_train(SMALL_X, SMALL_Y)
        problem = first_broken_rule(plain, SMALL_X, SMALL_Y, lowest=True, reveal=True)
        if problem is not None:
            pytest.fail(_("perceptron_train(X, y) on X={X}, y={y} took another path: trace {problem}; "
                          "so schedule={{2: 0}} could not be checked (fix the run first)").format(
                            X=SMALL_X, y=SMALL_Y, problem=problem))
        pytest.fail(_("perceptron_train(X, y, schedule={{2: 0}}) on X={X}, y={y} should raise ValueError: "
                      "sample 0 is classified correctly at iteration 2, so it cannot be forced there").format(
                        X=SMALL_X, y=SMALL_Y))
    assert raised.value.type_name == "ValueError", (
        _("forcing a correctly classified sample should raise ValueError, got {error}: {message}").format(
            error=raised.value.type_name, message=raised.value.message))


@pytest.mark.points(0)
def test_train_honours_w0_b0_eta_max_iter(submission):
    """perceptron_train: w0, b0, eta and max_iter honoured (a check)

    On small data sets of the test's own: the run starts from w0, b0, steps by eta, stops after max_iter updates
    without a final row, and still ends with the final row when it converges after exactly max_iter updates."""
    X, y = [(2, 1), (1, 3), (-1, 0)], [1, 1, -1]
    trace = submission.perceptron_train(X, y, eta=0.5, w0=(1, -1), b0=0.5)
    problem = first_broken_rule(trace, X, y, eta=0.5, w0=(1, -1), b0=0.5, lowest=True, reveal=True)
    assert problem is None, (
        _("perceptron_train(X, y, eta=0.5, w0=(1, -1), b0=0.5) on X={X}, y={y}: trace {problem}").format(
            X=X, y=y, problem=problem))
    X, y = [(1, 0), (1, 0)], [1, -1]  # the same point with both labels: never separable
    trace = submission.perceptron_train(X, y, max_iter=4)
    problem = first_broken_rule(trace, X, y, lowest=True, complete=False, reveal=True)
    assert problem is None, _("perceptron_train(X, y, max_iter=4) on X={X}, y={y}: trace {problem}").format(
        X=X, y=y, problem=problem)
    assert len(trace) == 5, _("perceptron_train(X, y, max_iter=4) on X={X}, y={y} (never separable) has "
                              "{count} rows; expected 5: row 0 and 4 updates, and no final row").format(
                                X=X, y=y, count=len(trace))
    trace = submission.perceptron_train(SMALL_X, SMALL_Y, max_iter=2)
    problem = first_broken_rule(trace, SMALL_X, SMALL_Y, lowest=True, reveal=True)
    assert problem is None, _("perceptron_train(X, y, max_iter=2) on X={X}, y={y}, which converges "
                              "after exactly 2 updates: trace {problem}").format(X=SMALL_X, y=SMALL_Y, problem=problem)
