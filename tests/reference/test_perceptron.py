"""The perceptron reference against the lecture's table (004) and homework III."""

import numpy as np
import pytest

from reference.perceptron import (
    HW3_NAMES,
    HW3_X,
    HW3_Y,
    TableVerdict,
    check_table,
    dual_to_primal,
    format_table,
    hyperplane_text,
    is_misclassified,
    perceptron_dual,
    perceptron_step,
    perceptron_train,
)

# Copied from the lecture notes (004, 感知机实例): iteration, point, w, b, 超平面
LECTURE_TABLE = [
    (0, None, (0, 0), 0, "0"),
    (1, "M1", (3, 3), 1, "3x1 + 3x2 + 1"),
    (2, "M3", (2, 2), 0, "2x1 + 2x2"),
    (3, "M3", (1, 1), -1, "x1 + x2 - 1"),
    (4, "M3", (0, 0), -2, "-2"),
    (5, "M1", (3, 3), -1, "3x1 + 3x2 - 1"),
    (6, "M3", (2, 2), -2, "2x1 + 2x2 - 2"),
    (7, "M3", (1, 1), -3, "x1 + x2 - 3"),
    (8, None, (1, 1), -3, "x1 + x2 - 3"),
]

# Worked by hand: the lowest-index rule after M2 is forced at step 5
M2_CONTINUATION = [
    (5, "M2", (4, 3), -1),
    (6, "M3", (3, 2), -2),
    (7, "M3", (2, 1), -3),
    (8, "M3", (1, 0), -4),
    (9, "M1", (4, 3), -3),
    (10, "M3", (3, 2), -4),
    (11, "M3", (2, 1), -5),
    (12, None, (2, 1), -5),
]


def named(trace):
    return [(k, None if i is None else HW3_NAMES[i], w, b) for k, i, w, b in trace]


def hw3_rows():
    """The homework's table with M2 at step 5, continued by the lowest-index rule."""
    return [row[:4] for row in LECTURE_TABLE[:5]] + M2_CONTINUATION


def check_hw3(rows):
    return check_table(rows, HW3_X, HW3_Y, names=HW3_NAMES, forced={5: "M2"})


# --- training ---------------------------------------------------------------


def test_lowest_index_rule_reproduces_the_lecture_table_row_for_row():
    trace = perceptron_train(HW3_X, HW3_Y)
    assert named(trace) == [row[:4] for row in LECTURE_TABLE]
    assert [hyperplane_text(w, b) for _, _, w, b in trace] == [row[4] for row in LECTURE_TABLE]


def test_rows_hold_python_floats():
    for iteration, index, w, b in perceptron_train(HW3_X, HW3_Y):
        assert type(iteration) is int
        assert index is None or type(index) is int
        assert isinstance(w, tuple) and all(type(v) is float for v in w)
        assert type(b) is float


def test_m2_at_step_5_ends_at_step_11_with_final_row_12():
    trace = perceptron_train(HW3_X, HW3_Y, schedule={5: 1})
    assert named(trace) == hw3_rows()
    assert trace[-2][0] == 11 and trace[-1] == (12, None, (2.0, 1.0), -5.0)


def test_forcing_a_correctly_classified_sample_raises():
    with pytest.raises(ValueError):
        perceptron_train(HW3_X, HW3_Y, schedule={2: 0})  # after step 1, M1 is right
    with pytest.raises(ValueError):
        perceptron_train(HW3_X, HW3_Y, schedule={8: 2})  # converged before step 8


def test_max_iter_ends_without_final_row():
    trace = perceptron_train(HW3_X, HW3_Y, max_iter=3)
    assert [row[0] for row in trace] == [0, 1, 2, 3]
    assert trace[-1][1] is not None
    # exactly enough updates: converging at the last allowed one still gets the 无 row
    assert perceptron_train(HW3_X, HW3_Y, max_iter=7)[-1] == (8, None, (1.0, 1.0), -3.0)


def test_non_separable_data_stops_at_max_iter():
    trace = perceptron_train([(0, 0), (1, 1), (0, 1), (1, 0)], [1, 1, -1, -1], max_iter=50)
    assert len(trace) == 51 and all(index is not None for _, index, _, _ in trace[1:])


def test_eta_w0_b0_are_used():
    trace = perceptron_train(HW3_X, HW3_Y, eta=0.5, w0=(1, -1), b0=2.0)
    assert trace[0] == (0, None, (1.0, -1.0), 2.0)
    # under w0=(1,-1), b0=2: M1 margin 2 > 0, M2 3 > 0, M3 -(1-1+2) = -2: M3 first
    assert trace[1] == (1, 2, (0.5, -1.5), 1.5)


def test_random_rule_is_deterministic_and_legal():
    first = perceptron_train(HW3_X, HW3_Y, rule="random", seed=3)
    assert first == perceptron_train(HW3_X, HW3_Y, rule="random", seed=3)
    assert check_table(named(first), HW3_X, HW3_Y, names=HW3_NAMES).complete
    with pytest.raises(ValueError):
        perceptron_train(HW3_X, HW3_Y, rule="best")


def test_step_and_misclassification_follow_the_lecture():
    assert is_misclassified((0, 0), 0, (3, 3), 1)  # on the hyperplane counts as wrong
    assert not is_misclassified((1, 1), -3, (3, 3), 1)
    assert is_misclassified((3, 3), 1, (1, 1), -1)
    w, b = perceptron_step((3, 3), 1, (1, 1), -1)
    assert np.array_equal(w, [2, 2]) and b == 0
    w, b = perceptron_step((0, 0), 0, (3, 3), 1, eta=0.1)
    assert np.allclose(w, [0.3, 0.3]) and b == pytest.approx(0.1)


def test_dual_form_follows_the_primal_trace():
    alpha, b, trace = perceptron_dual(HW3_X, HW3_Y)
    primal = perceptron_train(HW3_X, HW3_Y)
    assert [(k, i) for k, i, _, _ in trace] == [(k, i) for k, i, _, _ in primal]
    for (_, _, a, b_dual), (_, _, w, b_primal) in zip(trace, primal):
        assert np.allclose(dual_to_primal(a, HW3_X, HW3_Y), w) and b_dual == b_primal
    assert alpha.tolist() == [2, 0, 5] and b == -3


@pytest.mark.parametrize(
    ("w", "b", "text"),
    [
        ((3, 3), 1, "3x1 + 3x2 + 1"),
        ((1, 1), -3, "x1 + x2 - 3"),
        ((0, 0), -2, "-2"),
        ((0, 0), 0, "0"),
        ((1, 0), -4, "x1 - 4"),
        ((-1, 2), 0, "-x1 + 2x2"),
        ((0, -1), 0.5, "-x2 + 0.5"),
        ((2.5, 0), 0, "2.5x1"),
    ],
)
def test_hyperplane_text(w, b, text):
    assert hyperplane_text(w, b) == text


def test_format_table_prints_the_lecture_columns():
    text = format_table(perceptron_train(HW3_X, HW3_Y), HW3_NAMES)
    lines = text.splitlines()
    assert lines[0].split() == ["迭代次数", "误分类点", "w", "b", "超平面"]
    assert lines[-1].split() == ["8", "无", "(1,", "1)", "-3", "x1", "+", "x2", "-", "3"]
    assert len(lines) == 10


# --- the validator: legal tables -------------------------------------------


def test_validator_accepts_the_lecture_table_and_the_m2_continuation():
    lecture = check_table([row[:4] for row in LECTURE_TABLE], HW3_X, HW3_Y, names=HW3_NAMES)
    assert lecture == TableVerdict(legal_rows=9, complete=True, first_error=None, error_row=None)
    assert check_hw3(hw3_rows()) == TableVerdict(13, True, None, None)


def test_validator_accepts_many_random_legal_continuations():
    given = {1: 0, 2: 2, 3: 2, 4: 2, 5: 1}  # the homework's first five steps
    tables = set()
    for seed in range(40):
        rows = named(perceptron_train(HW3_X, HW3_Y, schedule=given, rule="random", seed=seed))
        verdict = check_hw3(rows)
        assert verdict.complete and verdict.first_error is None, (seed, verdict)
        assert verdict.legal_rows == len(rows)
        tables.add(tuple(rows))
    # after M2 at step 5 only M3 and M1 can ever be wrong: the lecture's data allows two endings
    assert {table[-1][2:] for table in tables} == {((2.0, 1.0), -5.0), ((3.0, 1.0), -5.0)}


def test_validator_accepts_random_runs_on_random_separable_data():
    rng = np.random.default_rng(1)
    for seed in range(60):
        dimension = int(rng.integers(1, 4))
        X = rng.integers(-5, 6, size=(int(rng.integers(1, 8)), dimension)).astype(float)
        y = np.where(X @ rng.normal(size=dimension) + 0.5 >= 0, 1, -1)  # separable by construction
        eta, w0, b0 = float(rng.uniform(0.1, 2)), rng.integers(-2, 3, dimension), float(rng.integers(-2, 3))
        trace = perceptron_train(X, y, eta=eta, w0=w0, b0=b0, rule="random", seed=seed, max_iter=10_000)
        verdict = check_table(trace, X, y, eta=eta, w0=w0, b0=b0)
        assert verdict.complete and verdict.legal_rows == len(trace), (seed, verdict)


def test_validator_accepts_values_of_any_numeric_type():
    rows = [
        [np.int64(k), p, np.array(w, dtype=np.float32), np.float64(b)]
        if k % 2
        else (float(k), p, list(w), int(b))
        for k, p, w, b in hw3_rows()
    ]
    rows[6] = (6, "M3", (3 + 1e-12, 2.0), -2 - 1e-12)
    assert check_hw3(rows).complete


def test_validator_takes_indices_when_names_are_absent():
    rows = [(k, None if p is None else HW3_NAMES.index(p), w, b) for k, p, w, b in hw3_rows()]
    assert check_table(rows, HW3_X, HW3_Y, forced={5: 1}).complete
    rows[5] = (5, 0, (3, 3), -1)
    verdict = check_table(rows, HW3_X, HW3_Y, forced={5: 1})
    assert verdict.error_row == 5 and "sample 1" in verdict.first_error


def test_unfinished_legal_table_is_not_complete():
    verdict = check_hw3(hw3_rows()[:9])
    assert verdict == TableVerdict(9, False, None, None)
    assert check_hw3([]) == TableVerdict(0, False, None, None)


def test_eta_and_initial_values_are_honoured():
    trace = perceptron_train(HW3_X, HW3_Y, eta=0.5, w0=(1, -1), b0=2.0)
    rows = named(trace)
    assert check_table(rows, HW3_X, HW3_Y, eta=0.5, w0=(1, -1), b0=2.0, names=HW3_NAMES).complete
    assert check_table(rows, HW3_X, HW3_Y, names=HW3_NAMES).error_row == 0


# --- the validator: each kind of illegal row -------------------------------


def with_row(index, row, rows=None):
    rows = list(hw3_rows() if rows is None else rows)
    rows[index] = row
    return rows


@pytest.mark.parametrize(
    ("rows", "error_row", "words"),
    [
        (with_row(3, (4, "M3", (1, 1), -1)), 3, ["row 3", "iteration", "4", "expected 3"]),
        (with_row(0, (0, "M1", (0, 0), 0)), 0, ["row 0", "None"]),
        (with_row(0, (0, None, (1, 0), 0)), 0, ["row 0", "initial"]),
        (with_row(6, (6, "M4", (3, 2), -2)), 6, ["row 6", "unknown point", "M4"]),
        (
            with_row(6, (6, "M1", (7, 5), 0)),
            6,
            ["row 6", "M1", "not misclassified", "w=(4, 3), b=-1", "20 > 0"],
        ),
        (with_row(6, (6, "M3", (3, 3), -2)), 6, ["row 6", "wrong w", "(3, 2)", "(3, 3)"]),
        (with_row(6, (6, "M3", (3, 2), -1)), 6, ["row 6", "wrong b", "-2", "-1"]),
        (with_row(5, (5, "M1", (3, 3), -1)), 5, ["row 5", "M2", "forced"]),
        (with_row(5, (5, None, (0, 0), -2)), 5, ["row 5", "M2", "forced"]),
        (hw3_rows()[:7] + [(7, None, (3, 2), -2)], 7, ["row 7", "final", "M3", "misclassified", "-3 <= 0"]),
        (with_row(12, (12, None, (2, 1), -4)), 12, ["row 12", "final", "repeat", "b=-5"]),
        (hw3_rows() + [(13, "M3", (3, 2), -4)], 13, ["row 13", "final row"]),
        (hw3_rows() + [(13, None, (2, 1), -5)], 13, ["row 13", "final row"]),
        (with_row(2, (2, "M3", (2, 2))), 2, ["row 2", "malformed"]),
        (with_row(2, "2 M3 (2, 2) 0"), 2, ["row 2", "malformed"]),
        (with_row(2, None), 2, ["row 2", "malformed"]),
        (with_row(2, (2, "M3", (2, 2, 0), 0)), 2, ["row 2", "malformed w"]),
        (with_row(2, (2, "M3", ("2", "2"), 0)), 2, ["row 2", "malformed w"]),
        (with_row(2, (2, "M3", (2, 2), "0")), 2, ["row 2", "malformed b"]),
        (with_row(2, (2, "M3", (2, [2, [3]]), 0)), 2, ["row 2", "malformed w"]),
        (with_row(2, (2, "M3", (2, float("nan")), 0)), 2, ["row 2", "malformed w"]),
        (with_row(2, ("2", "M3", (2, 2), 0)), 2, ["row 2", "iteration"]),
    ],
)
def test_validator_rejects_each_kind_of_illegal_row(rows, error_row, words):
    verdict = check_hw3(rows)
    assert verdict.error_row == error_row
    assert verdict.legal_rows == error_row
    assert not verdict.complete
    for word in words:
        assert word in verdict.first_error, (word, verdict.first_error)


def test_validator_error_message_names_the_numbers():
    verdict = check_hw3(hw3_rows()[:6] + [(6, "M1", (7, 5), 0)])
    assert verdict.first_error == "row 6: M1 is not misclassified under w=(4, 3), b=-1: y(w·x+b)=20 > 0"


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        5,
        "table",
        {"rows": 1},
        [[]],
        [None],
        [(0, None, None, None)],
        [(0, None, np.zeros((2, 2)), 0)],
        [(0, None, (0, 0), 0), (1, np.array([0, 2]), (3, 3), 1)],
        [(0, None, (0, 0), 0), (1, ["M1"], (3, 3), 1)],
        [(0, None, (0, 0), 0), (1, {"M1"}, (3, 3), 1)],
        [(0, None, (0, 0), 0), (1, 1.5, (3, 3), 1)],
        [(0, None, object(), 0)],
        [(0, None, (0, 0), 10**400)],
        [(True, None, (0, 0), 0)],
    ],
)
def test_validator_never_raises_on_garbage(garbage):
    verdict = check_hw3(garbage)
    assert not verdict.complete and verdict.first_error


def test_validator_never_raises_on_random_junk():
    rng = np.random.default_rng(0)
    atoms = [
        None,
        "M1",
        "M2",
        "M3",
        "无",
        0,
        1,
        -1.5,
        np.nan,
        np.inf,
        (3, 3),
        [2, 2],
        (),
        "x",
        [None],
        np.ones(3),
    ]
    good = hw3_rows()
    for _ in range(500):
        rows = [list(row) for row in good]
        for _ in range(rng.integers(1, 4)):
            k, field = rng.integers(len(rows)), rng.integers(4)
            rows[k][field] = atoms[rng.integers(len(atoms))]
        verdict = check_hw3(rows)
        assert isinstance(verdict, TableVerdict)
        assert (verdict.first_error is None) == (verdict.error_row is None)


def test_validator_survives_objects_that_raise():
    class Hostile:
        def __len__(self):
            raise RuntimeError("no length for you")

        def __eq__(self, other):
            raise RuntimeError("no comparison either")

        __hash__ = object.__hash__

    for row in [(0, None, Hostile(), 0), (0, Hostile(), (0, 0), 0), Hostile()]:
        verdict = check_hw3([row])
        assert verdict.error_row == 0 and not verdict.complete and verdict.first_error.startswith("row 0")
