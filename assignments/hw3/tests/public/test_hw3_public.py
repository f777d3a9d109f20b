"""Public tests of hw3: run them with `grader check hw3`. Expected values are written in."""

import pytest

from grader.checks import assert_bool, assert_close


@pytest.mark.points(1)
def test_step_5_uses_m2(submission):
    """TABLE row 5: M2 is used and the update is right"""
    table = submission.TABLE
    assert isinstance(table, (list, tuple)) and len(table) > 5, "TABLE should be a list with more than the 5 given rows"
    row = table[5]
    assert isinstance(row, (list, tuple)) and len(row) == 4, (
        f"row 5 should be (iteration, point, (w1, w2), b), got {row!r}")
    iteration, point, w, b = row
    assert iteration == 5, f"row 5 has iteration {iteration!r}; expected 5"
    assert point == "M2", f"row 5 uses {point!r}; the question fixes M2 at step 5"
    assert_close(w, [4, 3], name="row 5 w")
    assert_close(b, -1, name="row 5 b")


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
        f"perceptron_step should return (w, b), got {result!r}")
    assert_close(result[0], [2, 2], name="w")
    assert_close(result[1], 0, name="b")
    w, b = submission.perceptron_step((0, 0), 0, (3, 3), 1, eta=0.5)
    assert_close(w, [1.5, 1.5], name="w with eta=0.5")
    assert_close(b, 0.5, name="b with eta=0.5")


LECTURE_TABLE = [
    (0, None, (0, 0), 0), (1, 0, (3, 3), 1), (2, 2, (2, 2), 0), (3, 2, (1, 1), -1), (4, 2, (0, 0), -2),
    (5, 0, (3, 3), -1), (6, 2, (2, 2), -2), (7, 2, (1, 1), -3), (8, None, (1, 1), -3),
]


@pytest.mark.points(1)
def test_perceptron_train_reproduces_lecture(submission):
    """perceptron_train reproduces the lecture's table (lowest-index rule)"""
    trace = submission.perceptron_train([(3, 3), (4, 3), (1, 1)], [1, 1, -1])
    assert isinstance(trace, (list, tuple)), (
        f"perceptron_train should return a list of rows, got {type(trace).__name__}")
    for number, (row, expected) in enumerate(zip(trace, LECTURE_TABLE)):
        assert isinstance(row, (list, tuple)) and len(row) == 4, f"row {number} should have 4 entries, got {row!r}"
        assert row[0] == expected[0], f"row {number}: iteration {row[0]!r}; expected {expected[0]}"
        assert row[1] == expected[1], f"row {number}: sample {row[1]!r}; expected {expected[1]!r}"
        assert_close(row[2], expected[2], name=f"row {number} w")
        assert_close(row[3], expected[3], name=f"row {number} b")
    assert len(trace) == len(LECTURE_TABLE), f"the trace has {len(trace)} rows; expected {len(LECTURE_TABLE)}"
