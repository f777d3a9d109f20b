"""A rule checker for perceptron tables and traces, shipped with the public tests of hw3.

It knows only the rules of the statement: a row's point must be misclassified, y(w·x + b) <= 0, under the
previous row's (w, b); the update is w + η·y·x, b + η·y; a final row (point None, the lecture's 无 row) comes
only when no point is misclassified and repeats the last (w, b). It never knows what a table should end in:
any legal run passes, and a message names the first row that breaks a rule, with the numbers of that row and
of the one before it.
"""

import math

import numpy as np

from grader.checks import translations

_ = translations(__file__)

TOLERANCE = 1e-9  # the statement's: values compared, not types


def scalar(value):
    """A plain float, or None for something that is not one number (a string, a bool, a list of two ...)."""
    if isinstance(value, (bool, str, bytes)) or value is None:
        return None
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "iuf" or array.size != 1:
            return None
        result = float(array.reshape(()))
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None


def vector(value, size):
    """A list of `size` floats, or None."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        return None
    try:
        items = list(value)
    except TypeError:
        return None
    if len(items) == 1 and size != 1 and hasattr(items[0], "__len__") and not isinstance(items[0], str):
        items = list(items[0])  # a (1, D) row is a vector too
    numbers = [scalar(v) for v in items]
    if len(numbers) != size or any(v is None for v in numbers):
        return None
    return numbers


def same(a, b):
    return abs(a - b) <= TOLERANCE * max(1.0, abs(b))


def text(value):
    """3 rather than 3.0, as one writes a table by hand."""
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(text(v) for v in value) + ")"
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def margin(w, b, x, y):
    """y (w·x + b)"""
    return y * (sum(wi * xi for wi, xi in zip(w, x)) + b)


def update_hint(old_w, old_b, new_w, new_b, x, y, eta):
    """A known mistake behind a wrong update, or "" when none matches."""
    def w_is(factor):
        return all(same(n, o + factor * xi) for n, o, xi in zip(new_w, old_w, x))

    if w_is(eta * y) and same(new_b, old_b + eta * y):
        return ""
    if eta != 1 and w_is(y) and same(new_b, old_b + y):
        return _(" (hint: the step was taken with η = 1; it must be multiplied by η)")
    if w_is(-eta * y) and same(new_b, old_b - eta * y):
        return _(" (hint: the sign is flipped: the update adds η·y·x and η·y, it does not subtract them)")
    if not w_is(eta * y) and w_is(eta):
        return _(" (hint: w moved by η·x without the label y: the update is w + η·y·x)")
    if w_is(eta * y) and same(new_b, old_b - eta * y):
        return _(" (hint: b moved the wrong way: the update is b + η·y)")
    return ""


def first_broken_rule(rows, X, y, *, eta=1.0, w0=None, b0=0.0, names=None, forced=None, lowest=False,
                      complete=True, reveal=False):
    """The first rule a table or trace breaks, as a message naming the row, or None when it is legal.

    `names` are the points' names in a table ("M1", ...); without them a row's point is a sample index, as in
    perceptron_train's trace. `forced` maps an iteration to the point it must use. With `lowest`, every step
    that is not forced must use the lowest-index misclassified point. With `complete`, the rows must end with
    the final row. With `reveal` (only for data the test made itself) a wrong update also says what the rule
    gives; for the homework's table it does not, since that would be the next row of the answer.
    """
    X = [[float(v) for v in x] for x in X]
    y = [float(v) for v in y]
    size = len(X[0])
    labels = list(names) if names is not None else list(range(len(X)))
    forced = forced or {}

    def label(i):
        return str(labels[i]) if names is not None else _("sample {index}").format(index=i)

    def index_of(point):
        if names is not None:
            return labels.index(point) if isinstance(point, str) and point in labels else None
        value = scalar(point)
        if value is None or not value.is_integer() or not 0 <= value < len(X):
            return None
        return int(value)

    try:
        rows = list(rows)
    except TypeError:
        return _("the table should be a list of rows (iteration, point, w, b), got {type}").format(
            type=type(rows).__name__)
    if not rows:
        return _("the table has no rows: row 0 should be (0, None, w0, b0)")
    w = [0.0] * size if w0 is None else [float(v) for v in w0]
    b = float(b0)
    finished = False
    for k, row in enumerate(rows):
        if finished:
            return _("row {row}: nothing may follow the final row (point None), found {found}").format(
                row=k, found=repr(row))
        if isinstance(row, (str, bytes, dict)) or not hasattr(row, "__len__") or len(row) != 4:
            return _("row {row} should be (iteration, point, w, b), got {found}").format(row=k, found=repr(row))
        iteration, point, row_w, row_b = row
        if scalar(iteration) != k:
            return _("row {row}: the iteration number is {iteration}; rows are numbered 0, 1, 2, ... so expected "
                     "{row}").format(row=k, iteration=repr(iteration))
        new_w, new_b = vector(row_w, size), scalar(row_b)
        if new_w is None:
            return _("row {row}: w should be {size} numbers, got {found}").format(row=k, size=size, found=repr(row_w))
        if new_b is None:
            return _("row {row}: b should be one number, got {found}").format(row=k, found=repr(row_b))
        state = f"w={text(w)}, b={text(b)}"
        margins = [margin(w, b, x, t) for x, t in zip(X, y)]
        wrong = [i for i, m in enumerate(margins) if m <= 0]
        if k == 0:
            if point is not None:
                return _("row 0: the first row names no point (None), got {point}").format(point=repr(point))
            if not all(same(n, o) for n, o in zip(new_w, w)) or not same(new_b, b):
                return _("row 0: the first row holds the initial values {state}, got w={w}, b={b}").format(
                    state=state, w=text(new_w), b=text(new_b))
            continue
        if k in forced and (point is None or index_of(point) != index_of(forced[k])):
            must = label(index_of(forced[k]))
            if point is None:
                return _("row {row}: iteration {row} must use {point} (forced), but the row ends the table").format(
                    row=k, point=must)
            return _("row {row}: iteration {row} must use {point} (forced), but the row uses {used}").format(
                row=k, point=must, used=repr(point))
        if point is None:
            if wrong:
                i = wrong[0]
                return (_("row {row}: final row (point None) while {point} is still misclassified under {state} "
                          "(from row {previous}): y(w·x+b) = {margin} <= 0").format(
                            row=k, point=label(i), state=state, previous=k - 1, margin=text(margins[i]))
                        + (_(" (a point on the hyperplane counts as misclassified)") if margins[i] == 0 else ""))
            if not all(same(n, o) for n, o in zip(new_w, w)) or not same(new_b, b):
                return _("row {row}: the final row (point None) repeats {state} from row {previous}, "
                         "got w={w}, b={b}").format(row=k, state=state, previous=k - 1, w=text(new_w), b=text(new_b))
            finished = True
            continue
        i = index_of(point)
        if i is None:
            known = ", ".join(map(str, labels))
            return _("row {row}: unknown point {point}; expected one of {known}, or None for the final row").format(
                row=k, point=repr(point), known=known)
        if margins[i] > 0:
            return _("row {row}: {point} is not misclassified under {state} (from row {previous}): "
                     "y(w·x+b) = {margin} > 0, so it cannot be used").format(
                        row=k, point=label(i), state=state, previous=k - 1, margin=text(margins[i]))
        if lowest and k not in forced and i != wrong[0]:
            return _("row {row}: uses {point}, but {lower} is misclassified too under {state} and has "
                     "the lower index: the rule picks the lowest-index misclassified sample").format(
                        row=k, point=label(i), lower=label(wrong[0]), state=state)
        step_w = [o + eta * y[i] * xi for o, xi in zip(w, X[i])]
        step_b = b + eta * y[i]
        if not all(same(n, e) for n, e in zip(new_w, step_w)) or not same(new_b, step_b):
            what = "w" if not all(same(n, e) for n, e in zip(new_w, step_w)) else "b"
            return (_("row {row}: {what} does not follow the update with {point}: from {state} (row {previous}), "
                      "x={x}, y={y}, η={eta}, the rule gives w + η·y·x and b + η·y; "
                      "the row has w={w}, b={b}").format(
                        row=k, what=what, point=label(i), state=state, previous=k - 1, x=text(X[i]), y=text(y[i]),
                        eta=text(eta), w=text(new_w), b=text(new_b))
                    + (_("; expected w={w}, b={b}").format(w=text(step_w), b=text(step_b)) if reveal else "")
                    + update_hint(w, b, new_w, new_b, X[i], y[i], eta))
        w, b = new_w, new_b
    if complete and not finished:
        wrong = [i for i, (x, t) in enumerate(zip(X, y)) if margin(w, b, x, t) <= 0]
        if wrong:
            return _("the rows stop at row {last} while {point} is still misclassified under "
                     "w={w}, b={b}: continue until no point is misclassified, then add the final row "
                     "(point None)").format(last=len(rows) - 1, point=label(wrong[0]), w=text(w), b=text(b))
        return _("the rows stop at row {last} without the final row (point None) that says nothing is "
                 "misclassified any more").format(last=len(rows) - 1)
    return None
