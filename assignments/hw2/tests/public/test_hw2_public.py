"""Public tests of hw2: run them with `grader check hw2`. Expected values are written in.

The small example used throughout: three samples as rows, the first column is the bias. The tests at logits
up to ±800 compare with formulas written here that never overflow (e^{-|z|} ≤ 1), on inputs they build themselves.
"""

import numpy as np
import pytest
from hw2_helpers import clipped, large_logits, number, sigmoid_nan

from grader.checks import ValueMismatch, as_numbers, assert_close, describe, fmt, translations

_ = translations(__file__)

X = [[1.0, 2.0], [1.0, -1.0], [1.0, 0.0]]
Y = [1, 0, 1]
W = [0.5, -0.25]
N, D = 3, 2


def own_sigmoid(z):
    """σ(z) from e^{-|z|}, which is at most 1: 1 / (1 + e^{-z}) for z ≥ 0, e^{z} / (1 + e^{z}) below."""
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))
    return np.where(z < 0, small, 1.0) / (1.0 + small)


def own_softplus(z):
    """ln(1 + e^{z}) = max(z, 0) + ln(1 + e^{-|z|}): exact and finite for every z; -ln σ(z) = softplus(-z)."""
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def own_loss(w, X, y):
    """J(w) = Σ y softplus(-z) + (1 - y) softplus(z), z = Xw."""
    z, y = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float), np.asarray(y, dtype=float)
    return float(np.sum(y * own_softplus(-z) + (1.0 - y) * own_softplus(z)))


def with_hint(check, hint):
    """Run ``check`` (an assert_close); when it fails, add what ``hint()`` says about the likely cause, if anything."""
    try:
        check()
    except AssertionError as error:
        extra = hint()
        # The test's own hint is the more specific: it replaces assert_close's general one.
        told = error.without_hint if extra and isinstance(error, ValueMismatch) else str(error)
        raise AssertionError(f"{told}{' — ' + extra if extra else ''}") from None


def flipped(actual, expected):
    """True when ``actual`` is ``-expected`` (and not zero): a sign lost."""
    try:
        got = np.asarray(actual, dtype=float).reshape(np.shape(expected))
    except (TypeError, ValueError):
        return False
    return bool(np.any(np.asarray(expected) != 0)) and np.allclose(-got, expected, rtol=1e-6, atol=1e-9)


def assert_sum(actual, expected, name, **kwargs):
    """assert_close, first naming a mean over the N samples where the contract asks for a sum."""
    try:
        mean = np.asarray(actual, dtype=float).reshape(np.shape(expected)) * N
    except (TypeError, ValueError):
        mean = None
    if mean is not None and np.allclose(mean, expected, rtol=1e-6, atol=1e-9):
        pytest.fail(_("{name} = {actual} is the mean over the {n} samples; J and its gradient are sums "
                      "over the samples: expected {expected}").format(name=name, actual=describe(actual), n=N,
                                                                      expected=fmt(expected)))
    assert_close(actual, expected, name=name, **kwargs)


@pytest.mark.points(1)
def test_sigmoid_examples(submission):
    """sigmoid of a number and of arrays, shape kept"""
    assert_close(submission.sigmoid(0.0), 0.5, name="sigmoid(0)")
    assert_close(submission.sigmoid(np.array([-2.0, 0.0, 1.0, 3.0])),
                 [0.11920292202211755, 0.5, 0.7310585786300049, 0.9525741268224334], name="sigmoid([-2, 0, 1, 3])")
    assert_close(submission.sigmoid(np.zeros((2, 3))), np.full((2, 3), 0.5), name="sigmoid(zeros((2, 3)))",
                 convention=_("the same shape as z"))


@pytest.mark.points(1)
def test_loss_example_is_a_sum(submission):
    """logistic_loss on the small example: J is a sum over the samples"""
    loss = number(submission.logistic_loss(np.array(W), np.array(X), np.array(Y)), "logistic_loss")
    assert_sum(loss, 2.3040951708549517, name="logistic_loss")
    assert_sum(number(submission.logistic_loss(np.zeros(D), np.array(X), np.array(Y)), "logistic_loss"), N * np.log(2),
               name=_("logistic_loss at w = 0 (N ln 2)"))


@pytest.mark.points(1)
def test_gradient_example(submission):
    """logistic_gradient on the small example: Σ (p - y) x with shape (D,)"""
    gradient = submission.logistic_gradient(np.array(W), np.array(X), np.array(Y))
    expected = [-0.19836196962275243, -1.679178699175393]
    with_hint(lambda: assert_sum(gradient, expected, name="logistic_gradient",
                                 convention=_("(D,), the same shape as w")),
              lambda: _("the sign is flipped: ∂J/∂w = Σ (p(x_i) - y_i) x_i, with p - y (y - p is the gradient of the "
                        "log-likelihood, which J negates)") if flipped(gradient, expected) else "")


@pytest.mark.points(1)
def test_taylor_and_predicted_change(submission):
    """taylor_first_order is J + gᵀΔw; predicted_change is -α‖g‖²"""
    g = np.array([3.0, -4.0])
    assert_close(number(submission.taylor_first_order(2.0, g, np.array([0.1, 0.2])), "taylor_first_order"), 1.5,
                 name="taylor_first_order(2, [3, -4], [0.1, 0.2])")
    change = number(submission.predicted_change(g, 0.1), "predicted_change")

    def hint():
        if flipped(change, -2.5):
            return _("the sign is lost: Δw = -α∇J gives ∇Jᵀ(-α∇J) = -α‖∇J‖², which is negative")
        if np.size(change) == 1 and np.isclose(float(np.ravel(change)[0]), -0.5):
            return _("that is -α‖∇J‖ = -0.1·5; the change is ∇Jᵀ(-α∇J) = -α‖∇J‖², the norm squared")
        return ""

    with_hint(lambda: assert_close(change, -2.5, name="predicted_change([3, -4], 0.1)"), hint)


@pytest.mark.points(1)
def test_steepest_descent_direction_example(submission):
    """steepest_descent_direction is -g/‖g‖; a zero gradient gives zeros"""
    direction = submission.steepest_descent_direction(np.array([3.0, -4.0]))
    with_hint(lambda: assert_close(direction, [-0.6, 0.8], name="steepest_descent_direction([3, -4])"),
              lambda: _("that is -∇J itself, of length 5; the direction is the unit vector -∇J / ‖∇J‖")
              if np.allclose(as_numbers(direction, "direction").ravel(), [-3.0, 4.0]) else
              _("descent goes against the gradient: -∇J / ‖∇J‖") if flipped(direction, [-0.6, 0.8]) else "")
    zero = submission.steepest_descent_direction(np.zeros(3))
    with_hint(lambda: assert_close(zero, [0.0, 0.0, 0.0], name="steepest_descent_direction(zeros(3))"),
              lambda: _("0/0 gives nan; when ‖∇J‖ = 0 return the zero vector")
              if not np.isfinite(as_numbers(zero, "direction")).all() else "")


@pytest.mark.points(1)
def test_gradient_descent_two_steps(submission):
    """gradient_descent: two steps from zeros and from w0; losses[0] = J(w0), steps + 1 values"""
    result = submission.gradient_descent(np.array(X), np.array(Y), 0.5, 2)
    assert isinstance(result, (list, tuple)) and len(result) == 2, \
        _("gradient_descent should return (w, losses), got {result}").format(result=describe(result))
    w, losses = result
    losses = as_numbers(losses, "losses").ravel()  # one number per entry, whatever its form
    assert len(losses) == 3, \
        _("losses should hold steps + 1 = 3 values (losses[0] = J(w0) before the first step), got {losses}").format(
            losses=describe(losses))
    assert_sum(losses, [2.0794415416798357, 1.2102405544970374, 1.0009395647867747], name="losses (w0=None)")
    assert_close(w, [0.3541650141738729, 1.086817532430762], name=_("w after 2 steps (w0=None)"),
                 convention=_("(D,), the same shape as w"))
    w, losses = submission.gradient_descent(np.array(X), np.array(Y), 0.5, 2, w0=np.array(W))
    assert_close(as_numbers(losses, "losses").ravel(), [2.3040951708549517, 1.291808701247731, 1.0301901561309563],
                 name="losses (w0=[0.5, -0.25])")
    assert_close(w, [0.5975004855862742, 0.9852940928834086], name=_("w after 2 steps (w0=[0.5, -0.25])"))


Z_LARGE = np.array([-800.0, -790.0, -745.0, -710.0, -120.0, -36.0, 0.0, 36.0, 120.0, 710.0, 745.0, 790.0, 800.0])


@pytest.mark.points(1)
def test_sigmoid_stable_at_large_z(submission):
    """sigmoid for |z| up to 800: no nan or inf, σ(z) = 1/(1 + e^{-z}) within tolerance (0 and 1 at the ends)"""
    name = "sigmoid(" + ", ".join(f"{z:g}" for z in Z_LARGE) + ")"
    got = submission.sigmoid(Z_LARGE)
    values = as_numbers(got, name)
    if values.shape == Z_LARGE.shape and not np.isfinite(values).all():
        index = int(np.flatnonzero(~np.isfinite(values))[0])
        pytest.fail(_("sigmoid({z}) = {value}; expected {expected} — {hint} (e^z / (1 + e^z) is inf / inf = nan "
                      "there)").format(z=f"{Z_LARGE[index]:g}", value=fmt(values[index]),
                                       expected=fmt(own_sigmoid(Z_LARGE[index])), hint=sigmoid_nan()))
    assert_close(got, own_sigmoid(Z_LARGE), name=name, convention=_("the same shape as z"))
    for z in (-800.0, 800.0):
        one = submission.sigmoid(z)
        with_hint(lambda z=z, one=one: assert_close(one, own_sigmoid(z), name=f"sigmoid({z:g})"),
                  lambda one=one: sigmoid_nan() if not np.isfinite(as_numbers(one, "sigmoid")).all() else "")


def large_logit_samples():
    """One sample at a time, X = [[z]] and w = [1], so that z is the logit: labels right and badly wrong."""
    for z, y in ((800.0, 0), (800.0, 1), (-800.0, 1), (-800.0, 0), (750.0, 0), (-730.0, 1), (715.0, 1),
                 (36.0, 0), (-36.0, 0)):
        yield f"logistic_loss(w=[1], X=[[{z:g}]], y=[{y}])", np.array([1.0]), np.array([[z]]), np.array([y])


@pytest.mark.points(1)
def test_loss_stable_at_large_logits(submission):
    """logistic_loss is finite and accurate for logits up to ±800: ln(1 + e^{800}) ≈ 800, not inf, nan or 34.5"""
    rng = np.random.default_rng(2024)
    X = np.c_[np.ones(9), rng.normal(size=(9, 2))]
    w = rng.normal(size=3)
    w *= 800.0 / np.abs(X @ w).max()  # the largest |logit| is exactly 800
    y = (rng.random(9) < 0.5).astype(int)
    problems = [*large_logit_samples(), (_("logistic_loss on 9 samples whose largest |logit| is 800"), w, X, y)]
    for name, w, X, y in problems:
        got = number(submission.logistic_loss(w, X, y), "logistic_loss")
        expected = own_loss(w, X, y)
        values = as_numbers(got, name).ravel()
        if len(y) > 1 and values.size == 1 and np.isclose(values[0] * len(y), expected, rtol=1e-6, atol=1e-9):
            continue  # a mean for the sum: test_loss_example_is_a_sum says so; not charged twice

        def hint(values=values, expected=expected):
            if values.size == 1 and not np.isfinite(values[0]):
                return large_logits()
            if values.size == 1 and values[0] < expected:
                return clipped()
            return ""

        with_hint(lambda got=got, expected=expected, name=name: assert_close(got, expected, name=name), hint)
