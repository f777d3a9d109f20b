"""The perceptron of the lecture (004, 感知机): primal and dual training, the
iteration table, and a validator for hand-written tables (homework III).

A point is misclassified when ``y (w·x + b) <= 0``; the update is
``w <- w + eta*y*x``, ``b <- b + eta*y``. A trace is a list of rows
``(iteration, index_or_None, w, b)``: row 0 holds the initial values, row k the
weights after update k, and a final row with index ``None`` (the lecture's 无 row)
says that nothing is misclassified any more.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

Row = tuple[int, int | None, tuple[float, ...], float]  # (iteration, index_or_None, w, b)

HW3_X = [(3, 3), (4, 3), (1, 1)]
HW3_Y = [1, 1, -1]
HW3_NAMES = ("M1", "M2", "M3")

_TOLERANCE = 1e-9


def is_misclassified(w: Any, b: float, x: Any, y: float) -> bool:
    """True when ``y (w·x + b) <= 0`` (a point on the hyperplane counts as wrong)."""
    return bool(y * (np.dot(w, x) + b) <= 0)


def perceptron_step(w: Any, b: float, x: Any, y: float, eta: float = 1.0) -> tuple[np.ndarray, float]:
    """One update with the point ``(x, y)``: ``(w + eta*y*x, b + eta*y)``."""
    return np.asarray(w, dtype=float) + eta * y * np.asarray(x, dtype=float), float(b + eta * y)


def _row(iteration: int, index: int | None, w: np.ndarray, b: float) -> Row:
    return (iteration, index, tuple(float(v) for v in w), float(b))


def perceptron_train(
    X: Any,
    y: Any,
    eta: float = 1.0,
    w0: Any = None,
    b0: float = 0.0,
    schedule: Mapping[int, int] | None = None,
    max_iter: int = 1000,
    rule: str = "lowest",
    seed: int | None = None,
) -> list[Row]:
    """Train the primal perceptron and return its trace, the lecture's table.

    ``X`` is ``(N, D)`` (rows are samples), ``y`` in {-1, +1}. At update k the
    sample is ``schedule[k]`` when given (it must be misclassified, else
    ``ValueError``), otherwise the lowest-index misclassified sample
    (``rule="lowest"``) or a uniformly drawn one (``rule="random"``, drawn with
    ``np.random.default_rng(seed)``). The trace ends with ``(k, None, w, b)`` once
    nothing is misclassified, or without that row after ``max_iter`` updates.
    """
    if rule not in ("lowest", "random"):
        raise ValueError(f"rule must be 'lowest' or 'random', got {rule!r}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    b = float(b0)
    schedule = schedule or {}
    rng = np.random.default_rng(seed)
    trace = [_row(0, None, w, b)]
    for k in range(1, max_iter + 2):
        wrong = np.flatnonzero(y * (X @ w + b) <= 0)
        if k in schedule:
            index = int(schedule[k])
            if index not in wrong:
                raise ValueError(
                    f"schedule forces sample {index} at iteration {k}, but it is not misclassified"
                )
        elif wrong.size == 0:
            trace.append(_row(k, None, w, b))
            return trace
        elif k > max_iter:
            return trace
        else:
            index = int(wrong[0]) if rule == "lowest" else int(rng.choice(wrong))
        w, b = perceptron_step(w, b, X[index], y[index], eta)
        trace.append(_row(k, index, w, b))
    return trace


def perceptron_dual(
    X: Any, y: Any, eta: float = 1.0, max_iter: int = 1000
) -> tuple[np.ndarray, float, list[tuple[int, int | None, tuple[float, ...], float]]]:
    """The dual form: learn ``alpha`` (eta times how often each sample was used).

    ``w = Σ_j alpha_j y_j x_j`` and ``b = Σ_j alpha_j y_j``, so the margin of
    sample i needs only the Gram matrix ``G = X Xᵀ``:
    ``y_i (Σ_j alpha_j y_j G_ji + b)``. Uses the lowest-index rule from zero, so
    its ``w`` equals the primal trace's at every step. Returns
    ``(alpha, b, trace)``; trace rows are ``(iteration, index_or_None, alpha, b)``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    gram = X @ X.T
    alpha = np.zeros(len(y))
    b = 0.0
    trace: list[tuple[int, int | None, tuple[float, ...], float]] = [(0, None, tuple(alpha.tolist()), b)]
    for k in range(1, max_iter + 2):
        wrong = np.flatnonzero(y * ((alpha * y) @ gram + b) <= 0)
        if wrong.size == 0:
            trace.append((k, None, tuple(alpha.tolist()), b))
            break
        if k > max_iter:
            break
        index = int(wrong[0])
        alpha[index] += eta
        b += float(eta * y[index])
        trace.append((k, index, tuple(alpha.tolist()), b))
    return alpha, b, trace


def dual_to_primal(alpha: Any, X: Any, y: Any) -> np.ndarray:
    """``w = Σ_j alpha_j y_j x_j``."""
    return (np.asarray(alpha, dtype=float) * np.asarray(y, dtype=float)) @ np.asarray(X, dtype=float)


def _number_text(value: float) -> str:
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:g}"


def hyperplane_text(w: Any, b: float) -> str:
    """The lecture's 超平面 column: ``w·x + b`` written out, e.g. ``"x1 + x2 - 3"``."""
    terms = [(float(c), f"x{i}") for i, c in enumerate(w, start=1)] + [(float(b), "")]
    text = ""
    for coefficient, variable in terms:
        if coefficient == 0:
            continue
        magnitude = abs(coefficient)
        body = variable if magnitude == 1 and variable else _number_text(magnitude) + variable
        if not text:
            text = ("-" if coefficient < 0 else "") + body
        else:
            text += (" - " if coefficient < 0 else " + ") + body
    return text or "0"


def _vector_text(w: Any) -> str:
    return "(" + ", ".join(_number_text(v) for v in w) + ")"


def trace_table(
    trace: Sequence[Row], names: Sequence[str] | None = None
) -> list[tuple[int, str, str, str, str]]:
    """The trace as the lecture's table: (迭代次数, 误分类点, w, b, 超平面) as text."""
    table = []
    for iteration, index, w, b in trace:
        if index is None:
            point = "无" if iteration > 0 else ""
        else:
            point = names[index] if names else str(index)
        table.append((iteration, point, _vector_text(w), _number_text(b), hyperplane_text(w, b)))
    return table


def format_table(trace: Sequence[Row], names: Sequence[str] | None = None) -> str:
    """A printable plain-text version of :func:`trace_table`."""
    header = ("迭代次数", "误分类点", "w", "b", "超平面")
    rows = [header] + [tuple(str(cell) for cell in row) for row in trace_table(trace, names)]
    widths = [max(_display_width(row[c]) for row in rows) for c in range(len(header))]
    return "\n".join(
        "  ".join(cell + " " * (width - _display_width(cell)) for cell, width in zip(row, widths)).rstrip()
        for row in rows
    )


def _display_width(text: str) -> int:
    # CJK characters take two terminal columns
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# ---------------------------------------------------------------------------
# Validating a hand-written table (homework III)


@dataclass(frozen=True)
class TableVerdict:
    legal_rows: int  # rows legal before the first illegal one, counting from row 0
    complete: bool  # legal, and ends with a 无 row that leaves nothing misclassified
    first_error: str | None  # what is wrong with the first illegal row, with the numbers
    error_row: int | None  # list index of the first illegal row (None when legal)


class _IllegalRow(Exception):
    """Raised inside the checker to stop at the first illegal row."""


def _as_number(value: Any) -> float | None:
    if isinstance(value, (bool, np.bool_, str, bytes)):
        return None
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "iuf" or array.size != 1:
            return None
        number = float(array.reshape(()))
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _as_vector(value: Any, dimension: int) -> np.ndarray | None:
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__"):
        return None
    try:
        if len(value) != dimension:
            return None
        numbers = [_as_number(v) for v in value]
    except (TypeError, ValueError):
        return None
    if any(n is None for n in numbers):
        return None
    return np.array(numbers, dtype=float)


def _close(a: Any, b: Any) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(np.all(np.abs(a - b) <= _TOLERANCE * np.maximum(1.0, np.abs(b))))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _State(NamedTuple):
    """The weights a row starts from, and the text every message quotes them by."""

    w: np.ndarray
    b: float
    text: str

    @classmethod
    def of(cls, w: np.ndarray, b: float) -> _State:
        return cls(w, b, f"w={_vector_text(w)}, b={_number_text(b)}")


class _Rules:
    """The perceptron's rules for one table: the data, how points are named, and the forced steps.

    Each rule raises ``_IllegalRow`` naming what is wrong, with the numbers.
    """

    def __init__(self, X: Any, y: Any, eta: float, names: Sequence[str] | None, forced: Mapping[int, Any] | None):
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.eta = eta
        self.names = names
        self.labels: list[Any] = list(names) if names is not None else list(range(len(self.X)))
        # a forced point may be given by name or by index
        self.required = {
            int(iteration): self.labels[point] if names is not None and isinstance(point, int) else point
            for iteration, point in (forced or {}).items()
        }

    def label(self, point: Any) -> str:
        return str(point) if self.names is not None else f"sample {point}"

    def index_of(self, point: Any) -> int | None:
        if self.names is not None:
            return self.labels.index(point) if isinstance(point, str) and point in self.labels else None
        number = _as_number(point)
        if number is None or not number.is_integer() or not 0 <= number < len(self.X):
            return None
        return int(number)

    def shape(self, k: int, row: Any) -> tuple[Any, np.ndarray, float]:
        """Four items, the iteration number k, and a w and b that parse: ``(point, w, b)``."""
        if isinstance(row, (str, bytes, Mapping)) or not hasattr(row, "__len__") or len(row) != 4:
            raise _IllegalRow(f"row {k}: malformed row {_short(row)}: expected (iteration, point, w, b)")
        iteration, point, row_w, row_b = row
        if _as_number(iteration) != k:
            raise _IllegalRow(f"row {k}: wrong iteration number {_short(iteration)}, expected {k}")
        dimension = self.X.shape[1]
        new_w, new_b = _as_vector(row_w, dimension), _as_number(row_b)
        if new_w is None:
            raise _IllegalRow(f"row {k}: malformed w {_short(row_w)}: expected {dimension} numbers")
        if new_b is None:
            raise _IllegalRow(f"row {k}: malformed b {_short(row_b)}: expected a number")
        return point, new_w, new_b

    def first_row(self, point: Any, new_w: np.ndarray, new_b: float, before: _State) -> None:
        """Row 0 names no point and holds the initial values."""
        if point is not None:
            raise _IllegalRow(f"row 0: the first row has no point (None), got {_short(point)}")
        if not _close(new_w, before.w) or not _close(new_b, before.b):
            raise _IllegalRow(
                f"row 0: the first row must hold the initial values {before.text}, "
                f"got w={_vector_text(new_w)}, b={_number_text(new_b)}"
            )

    def forced_step(self, k: int, point: Any) -> None:
        """A forced iteration uses its point (compared by index, so a name and an index agree)."""
        if k in self.required and (point is None or self.index_of(point) != self.index_of(self.required[k])):
            used = "ends the table" if point is None else f"uses {_short(point)}"
            raise _IllegalRow(
                f"row {k}: iteration {k} must use {self.label(self.required[k])} (forced), but the row {used}"
            )

    def margins(self, before: _State) -> np.ndarray:
        return self.y * (self.X @ before.w + before.b)

    def final_row(self, k: int, new_w: np.ndarray, new_b: float, before: _State) -> None:
        """The 无 row: nothing is misclassified any more, and it repeats the state."""
        margins = self.margins(before)
        wrong = np.flatnonzero(margins <= 0)
        if wrong.size:
            i = int(wrong[0])
            raise _IllegalRow(
                f"row {k}: final row (无) while {self.label(self.labels[i])} is still misclassified under "
                f"{before.text}: y(w·x+b)={_number_text(margins[i])} <= 0"
            )
        if not _close(new_w, before.w) or not _close(new_b, before.b):
            raise _IllegalRow(
                f"row {k}: the final row (无) must repeat {before.text} from row {k - 1}, "
                f"got w={_vector_text(new_w)}, b={_number_text(new_b)}"
            )

    def update_row(
        self, k: int, point: Any, new_w: np.ndarray, new_b: float, before: _State
    ) -> tuple[np.ndarray, float]:
        """A known point, misclassified under the previous state, and w, b after its update."""
        margins = self.margins(before)  # first, so a w0 of the wrong size fails as such, whatever the point
        i = self.index_of(point)
        if i is None:
            expected = ", ".join(map(str, self.labels))
            raise _IllegalRow(f"row {k}: unknown point {_short(point)}, expected one of {expected} or None")
        if margins[i] > 0:
            raise _IllegalRow(
                f"row {k}: {self.label(point)} is not misclassified under {before.text}: "
                f"y(w·x+b)={_number_text(margins[i])} > 0"
            )
        expected_w, expected_b = perceptron_step(before.w, before.b, self.X[i], self.y[i], self.eta)
        if not _close(new_w, expected_w):
            raise _IllegalRow(
                f"row {k}: wrong w after the update with {self.label(point)}: "
                f"w + η·y·x = {_vector_text(expected_w)}, got {_vector_text(new_w)}"
            )
        if not _close(new_b, expected_b):
            raise _IllegalRow(
                f"row {k}: wrong b after the update with {self.label(point)}: "
                f"b + η·y = {_number_text(expected_b)}, got {_number_text(new_b)}"
            )
        return expected_w, expected_b


def check_table(
    rows: Any,
    X: Any,
    y: Any,
    eta: float = 1.0,
    w0: Any = (0, 0),
    b0: float = 0.0,
    names: Sequence[str] | None = None,
    forced: Mapping[int, Any] | None = None,
) -> TableVerdict:
    """Decide whether ``rows`` is a legal perceptron run on ``(X, y)``.

    ``rows`` holds ``(iteration, point, (w1, ..., wD), b)``; ``point`` is a name
    from ``names`` (or a sample index when ``names`` is None), and None on the
    first row and on the final 无 row. ``forced`` maps an iteration to the point
    it must use. Values are compared, not types, with a tolerance of 1e-9.
    Garbage is reported as an illegal row, never raised.
    """
    rules = _Rules(X, y, eta, names, forced)
    try:
        table = list(rows)
    except TypeError:
        return TableVerdict(0, False, f"the table is not a list of rows: {_short(rows)}", 0)

    w, b = np.asarray(w0, dtype=float), float(b0)
    finished = False
    for k, row in enumerate(table):
        try:
            if finished:
                raise _IllegalRow(f"row {k}: nothing may follow the final row (无), found {_short(row)}")
            point, new_w, new_b = rules.shape(k, row)
            before = _State.of(w, b)  # per row, inside the try: a w0 that cannot be written out is reported
            if k == 0:
                rules.first_row(point, new_w, new_b, before)
                continue
            rules.forced_step(k, point)
            if point is None:
                rules.final_row(k, new_w, new_b, before)
                finished = True
            else:
                w, b = rules.update_row(k, point, new_w, new_b, before)
        except _IllegalRow as illegal:
            return TableVerdict(k, False, str(illegal), k)
        except Exception as error:  # noqa: BLE001 - a submission's table must never crash the grader
            return TableVerdict(k, False, f"row {k}: malformed row ({type(error).__name__}: {error})", k)
    return TableVerdict(len(table), finished, None, None)
