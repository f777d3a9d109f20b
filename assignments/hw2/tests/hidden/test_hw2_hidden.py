"""Hidden tests of hw2: seeded random problems and the logits up to ±800 the contract names, against the
reference implementation (reference/logistic.py). Every random input comes from a fixed seed. sigmoid and
logistic_loss at ±800 are checked by the public tests (against formulas they write themselves), so a student's
`grader check` shows those mistakes; the gradient and gradient descent at large logits are checked here."""

import numpy as np
import pytest
from hw2_helpers import large_logits, number, sigmoid_nan

from grader.checks import as_numbers, assert_close, describe, translations
from reference import logistic

_ = translations(__file__)


def random_problem(rng, n, d, scale=1.0, bias=True):
    """X (n, d) with samples as rows (first column ones when bias), labels 0/1, and weights."""
    X = rng.normal(size=(n, d))
    if bias:
        X[:, 0] = 1.0
    return X, rng.integers(0, 2, size=n), rng.normal(scale=scale, size=d)


SHAPES = [(1, 1), (6, 1), (1, 3), (8, 3), (20, 4), (50, 2), (4, 4), (3, 3)]  # incl. square X: X vs Xᵀ shows


def assert_matches(actual, expected, name, *, n=None, sign=None, finite=None, rtol=1e-6, atol=1e-9):
    """assert_close, plus the likely cause of a wrong value: a mean for a sum, a flipped sign, inf/nan."""
    try:
        assert_close(actual, expected, name=name, rtol=rtol, atol=atol)
    except AssertionError as error:
        raise AssertionError(f"{error}{likely_cause(actual, expected, n, sign, finite)}") from None


def likely_cause(actual, expected, n, sign, finite):
    want = np.asarray(expected, dtype=float)
    try:
        got = np.asarray(actual, dtype=float).reshape(want.shape)
    except (TypeError, ValueError):
        return ""
    if finite and not np.isfinite(got).all():
        return f" — {finite}"
    if n and is_the_mean(got, want, n):
        return _(" — that is the mean over the N = {n} samples; J is a sum over the samples, not a mean").format(n=n)
    if sign and np.allclose(-got, want, rtol=1e-6, atol=1e-9):
        return _(" — the sign is flipped: {sign}").format(sign=sign)
    return ""


def is_the_mean(actual, expected, n):
    """True when ``actual`` is exactly ``expected / n``: a mean for the sum. That mistake costs the loss and
    gradient value tests; the tests about something else (stability, X vs Xᵀ, w0) do not charge it again."""
    try:
        got = np.asarray(actual, dtype=float).reshape(np.shape(expected))
    except (TypeError, ValueError):
        return False
    return n > 1 and np.allclose(got * n, expected, rtol=1e-6, atol=1e-9)


def as_vector(value, name):
    """A (D, 1) column read as (D,): the shape is the public test's business, the values are checked here."""
    array = as_numbers(value, name)
    return array[:, 0] if array.ndim == 2 and array.shape[1] == 1 else array


# --- sigmoid ---------------------------------------------------------------------------


@pytest.mark.points(1)
def test_sigmoid_random(submission):
    """sigmoid on random numbers and arrays of several shapes"""
    rng = np.random.default_rng(20)
    for shape in [(), (7,), (3, 4), (2, 1, 5)]:
        z = rng.normal(scale=8.0, size=shape)
        z = float(z) if shape == () else z  # "a number" is a float, not a 0-d array
        assert_close(submission.sigmoid(z), logistic.sigmoid(z), name=_("sigmoid of shape {shape}").format(shape=shape),
                     convention=_("the same shape as z"))


# --- loss and gradient -----------------------------------------------------------------


@pytest.mark.points(2)
def test_loss_random(submission):
    """logistic_loss on random problems, against the reference (a sum over samples)"""
    rng = np.random.default_rng(21)
    for n, d in SHAPES:
        X, y, w = random_problem(rng, n, d, scale=2.0)
        assert_matches(number(submission.logistic_loss(w, X, y), "logistic_loss"), logistic.loss(w, X, y),
                       name=f"logistic_loss (N={n}, D={d})", n=n, sign="J = -Σ [y ln p + (1 - y) ln(1 - p)] ≥ 0")
    X, y, w = random_problem(rng, 10, 3)
    assert_matches(number(submission.logistic_loss(w, X, y.astype(float)), "logistic_loss"), logistic.loss(w, X, y),
                   name=_("logistic_loss with float labels"), n=10)


def large_logit_problems():
    """Logits exactly ±800, ±745, ±710, ±40, labels both right and wrong; then a random problem scaled so
    that its largest |logit| is 800."""
    z = np.array([800.0, -800.0, 800.0, -800.0, 745.0, -745.0, 710.0, -710.0, 40.0, -40.0])
    yield np.c_[z], np.array([1, 0, 0, 1, 0, 1, 1, 0, 0, 1]), np.array([1.0])
    rng = np.random.default_rng(22)
    X, y, w = random_problem(rng, 12, 3)
    yield X, y, w * 800.0 / np.abs(X @ w).max()


@pytest.mark.points(2)
def test_gradient_random(submission):
    """logistic_gradient on random problems, against the reference: Σ (p - y) x"""
    rng = np.random.default_rng(23)
    for n, d in SHAPES:
        X, y, w = random_problem(rng, n, d, scale=2.0)
        name = f"logistic_gradient (N={n}, D={d})"
        assert_matches(as_vector(submission.logistic_gradient(w, X, y), name), logistic.gradient(w, X, y),
                       name=name, n=n, sign=_("∂J/∂w = Σ (p(x_i) - y_i) x_i, with p - y, not y - p"))


@pytest.mark.points(1)
def test_gradient_square_and_large_logits(submission):
    """logistic_gradient where X and Xᵀ have the same shape, and at logits up to ±800"""
    rng = np.random.default_rng(24)
    problems = [(_("a square X ({d}, {d})").format(d=d), *random_problem(rng, d, d, bias=False)) for d in (2, 5)]
    problems += [(_("large-logit problem {index}").format(index=index), *problem)
                 for index, problem in enumerate(large_logit_problems())]
    for what, X, y, w in problems:
        name = _("logistic_gradient on {what}").format(what=what)
        got, expected = as_vector(submission.logistic_gradient(w, X, y), name), logistic.gradient(w, X, y)
        if not is_the_mean(got, expected, len(y)):
            assert_matches(got, expected, name=name, n=len(y), sign="∂J/∂w = Σ (p(x_i) - y_i) x_i",
                           finite=sigmoid_nan())


# --- Taylor expansion and the descent direction ----------------------------------------


@pytest.mark.points(1)
def test_taylor_first_order_random(submission):
    """taylor_first_order is J(w) + ∇J(w)ᵀΔw"""
    rng = np.random.default_rng(25)
    for d in (1, 3, 10):
        J_w, grad, dw = float(rng.uniform(0, 20)), rng.normal(size=d), rng.normal(scale=0.1, size=d)
        assert_close(number(submission.taylor_first_order(J_w, grad, dw), "taylor_first_order"), J_w + grad @ dw,
                     name=f"taylor_first_order (D={d})")


@pytest.mark.points(1)
def test_predicted_change_random(submission):
    """predicted_change is -α‖∇J‖² (negative, the norm squared)"""
    rng = np.random.default_rng(26)
    for d in (1, 3, 10):
        grad, alpha = rng.normal(scale=3.0, size=d), float(rng.uniform(0.001, 1.0))
        got = number(submission.predicted_change(grad, alpha), "predicted_change")
        expected = -alpha * grad @ grad
        if np.size(got) == 1 and np.isclose(float(np.ravel(got)[0]), -alpha * np.linalg.norm(grad)):
            pytest.fail(_("predicted_change = {got} is -α‖∇J‖; the first-order change of Δw = -α∇J is "
                          "∇Jᵀ(-α∇J) = -α‖∇J‖² = {expected} (the norm squared)").format(got=describe(got),
                                                                                       expected=f"{expected:.10g}"))
        assert_matches(got, expected, name=f"predicted_change (D={d}, alpha={alpha:.4g})",
                       sign=_("∇Jᵀ(-α∇J) = -α‖∇J‖² is negative"))


@pytest.mark.points(1)
def test_steepest_descent_direction_random(submission):
    """steepest_descent_direction is the unit vector -∇J/‖∇J‖, for gradients large and small"""
    rng = np.random.default_rng(27)
    for d, scale in ((1, 1.0), (2, 1e-3), (4, 1.0), (6, 1e3)):
        grad = rng.normal(scale=scale, size=d)
        got = submission.steepest_descent_direction(grad)
        name = f"steepest_descent_direction (D={d})"
        array = as_numbers(got, name)
        if array.size == d and not np.isclose(np.linalg.norm(array), 1.0) and np.allclose(array.ravel(), -grad):
            pytest.fail(_("{name} returns -∇J with length {length}; the steepest direction is a unit vector: "
                          "-∇J / ‖∇J‖").format(name=name, length=f"{np.linalg.norm(array):.6g}"))
        assert_matches(got, -grad / np.linalg.norm(grad), name=name, sign=_("descent goes against the gradient"))


@pytest.mark.points(1)
def test_steepest_descent_direction_zero_gradient(submission):
    """a zero gradient gives the zero vector (no nan, no error)"""
    for d in (1, 4):
        assert_matches(submission.steepest_descent_direction(np.zeros(d)), np.zeros(d),
                       name=f"steepest_descent_direction(zeros({d}))",
                       finite=_("0/0 gives nan; when ‖∇J‖ = 0 return the zero vector"))


# --- gradient descent -------------------------------------------------------------------


def run(submission, X, y, alpha, steps, w0=None):
    """The submission's (w, losses), with a clear failure when the return is not a pair."""
    result = submission.gradient_descent(X, y, alpha, steps) if w0 is None else \
        submission.gradient_descent(X, y, alpha, steps, w0=w0)
    assert isinstance(result, (list, tuple)) and len(result) == 2, \
        _("gradient_descent should return (w, losses), got {result}").format(result=describe(result))
    return result


def assert_losses(losses, expected, what, n):
    """losses[0] = J(w0) and one value per step: name a missing or extra first value before comparing."""
    values = as_numbers(losses, f"losses {what}").ravel()
    if len(values) != len(expected):
        hint = ""
        if len(values) == len(expected) - 1 and np.allclose(values, expected[1:], rtol=1e-6, atol=1e-9):
            hint = _(" — losses[0] = J(w0), the loss before the first step, is missing")
        pytest.fail(_("losses {what} has {count} values; expected steps + 1 = {expected}{hint}").format(
            what=what, count=len(values), expected=len(expected), hint=hint))
    assert_matches(values, expected, name=f"losses {what}", n=n, finite=large_logits())


@pytest.mark.points(2)
def test_gradient_descent_random(submission, partial_credit):
    """gradient_descent from zeros on random problems: the final w (1 point) and the losses (1 point)"""
    problems = []
    for seed, (n, d, alpha, steps) in enumerate([(30, 3, 0.05, 25), (10, 2, 0.2, 40), (1, 2, 0.5, 5)]):
        rng = np.random.default_rng(280 + seed)
        X, y, _w = random_problem(rng, n, d)
        problems.append((X, y, alpha, steps, *logistic.gradient_descent(X, y, alpha, steps)))
    results = [run(submission, X, y, alpha, steps) for X, y, alpha, steps, _w, _losses in problems]
    for (X, y, alpha, steps, w_ref, _losses), (w, _losses) in zip(problems, results):
        what = f"(N={len(y)}, alpha={alpha:g}, steps={steps})"
        assert_matches(as_vector(w, "w"), w_ref, name=_("final w {what}").format(what=what), n=len(y),
                       sign=_("a descent step is w - α∇J(w)"))
    partial_credit(1, 2)
    for (X, y, alpha, steps, _w, losses_ref), (_w, losses) in zip(problems, results):
        assert_losses(losses, losses_ref, f"(N={len(y)}, alpha={alpha:g}, steps={steps})", len(y))


@pytest.mark.points(1)
def test_gradient_descent_from_w0(submission):
    """gradient_descent starts at w0: steps=0 gives (w0, [J(w0)]); one step is w0 - α∇J(w0)"""
    rng = np.random.default_rng(29)
    X, y, w0 = random_problem(rng, 15, 3)
    n, alpha, J0, g0 = len(y), 0.1, logistic.loss(w0, X, y), logistic.gradient(w0, X, y)
    for steps, w_ref in ((0, w0), (1, w0 - alpha * g0)):
        w, losses = run(submission, X, y, alpha, steps, w0=w0)
        values = as_numbers(losses, "losses").ravel()
        if values.size and np.isclose(values[0], logistic.loss(np.zeros(3), X, y)):
            pytest.fail(_("losses[0] = {got} is J(zeros); with w0 given it should be J(w0) = {J0} — is w0 "
                          "ignored?").format(got=f"{values[0]:.10g}", J0=f"{J0:.10g}"))
        assert values.size == steps + 1, \
            _("with steps={steps}, losses has {count} values; expected steps + 1 = {expected} "
              "(losses[0] = J(w0))").format(steps=steps, count=values.size, expected=steps + 1)
        # A mean for the sum (J0 / N, a step of α∇J / N) is charged by the loss and gradient tests, not here.
        if not is_the_mean(values[0], J0, n):
            assert_close(values[0], J0, name=_("losses[0] with w0 given (steps={steps})").format(steps=steps))
        w = as_vector(w, "w")
        if not (steps == 1 and w.shape == w0.shape and np.allclose(w, w0 - alpha * g0 / n)):
            assert_close(w, w_ref, name=_("w after {steps} step(s) from w0").format(steps=steps))


def mean_variants(X, y, alpha, steps):
    """(w, losses) of gradient descent when the loss, the gradient, or both are means (the gradient as a mean
    is descent with step α/N)."""
    n = len(y)
    w_sum, losses_sum = logistic.gradient_descent(X, y, alpha, steps)
    w_mean, losses_mean = logistic.gradient_descent(X, y, alpha / n, steps)
    losses_sum, losses_mean = np.asarray(losses_sum), np.asarray(losses_mean)
    return [(w_sum, losses_sum / n), (w_mean, losses_mean), (w_mean, losses_mean / n)]


@pytest.mark.points(1)
def test_gradient_descent_large_logits(submission):
    """gradient_descent where the logits grow to several hundred (two labels flipped, so the loss stays large)"""
    rng = np.random.default_rng(100)
    X = rng.normal(size=(12, 2)) * 20
    y = (X @ np.array([1.0, -0.5]) > 0).astype(int)
    y[:2] = 1 - y[:2]
    w_ref, losses_ref = logistic.gradient_descent(X, y, 0.1, 15)  # |logits| reach about 520, inside ±800
    w, losses = run(submission, X, y, 0.1, 15)
    w, values = as_vector(w, "w"), as_numbers(losses, "losses").ravel()
    for w_other, losses_other in mean_variants(X, y, 0.1, 15):
        if w.shape == w_other.shape and values.shape == losses_other.shape and np.allclose(w, w_other) \
                and np.allclose(values, losses_other):
            return  # a mean for a sum: charged by the loss, gradient and other gradient_descent tests
    assert_losses(losses, losses_ref, _("(logits up to about ±520)"), len(y))
    assert_close(w, w_ref, name=_("final w (logits up to about ±520)"))
