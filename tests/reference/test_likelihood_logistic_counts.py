"""Binomial likelihood against exact rationals, logistic regression against numerical gradients,
parameter counts against the arrays the MLP allocates."""

import itertools
import math
from fractions import Fraction
from functools import partial

import numpy as np
import pytest

from reference import counts, likelihood, logistic, mlp

# --- binomial likelihood ----------------------------------------------------------


def exact_numerator(p: float, n: int, k: int) -> tuple[int, int]:
    """``(N, e)`` with ``L(p) = N / 2**e`` exactly: a float p is ``a / 2**b``."""
    a, two_b = p.as_integer_ratio()
    b = two_b.bit_length() - 1
    return math.comb(n, k) * a**k * (two_b - a) ** (n - k), b * n


def exact_likelihood(p: float, n: int, k: int) -> Fraction:
    numerator, e = exact_numerator(p, n, k)
    return Fraction(numerator, 2**e)


def exact_log(p: float, n: int, k: int) -> float:
    """ln L(p), rounded only at the end: the top 64 bits of N, and the power of two counted exactly."""
    numerator, e = exact_numerator(p, n, k)
    drop = max(numerator.bit_length() - 64, 0)
    return math.log(numerator >> drop) + (drop - e) * math.log(2)


@pytest.mark.parametrize("n", [1, 2, 5, 10, 100, 300])
def test_likelihood_matches_exact_rational_arithmetic(n):
    rng = np.random.default_rng(n)
    for _ in range(25):
        k = int(rng.integers(0, n + 1))
        p = float(rng.uniform(0.01, 0.99))
        exact = exact_likelihood(p, n, k)
        assert likelihood.binomial_likelihood(p, n, k) == pytest.approx(float(exact), rel=1e-12, abs=0)
        assert likelihood.binomial_log_likelihood(p, n, k) == pytest.approx(
            exact_log(p, n, k), rel=1e-13, abs=1e-11
        )


def test_the_lecture_case():
    exact = float(math.comb(100, 70) * Fraction(7, 10) ** 70 * Fraction(3, 10) ** 30)
    assert likelihood.binomial_likelihood(0.7, 100, 70) == pytest.approx(exact, rel=1e-12)
    assert likelihood.mle_ratio(100, 70) == 0.7
    assert likelihood.grid_argmax(100, 70) == pytest.approx(0.7, abs=1e-12)


@pytest.mark.parametrize(
    ("n", "k"), [(10_000, 7_000), (10_000, 1), (10_000, 9_999), (10_000, 5_000), (20_000, 3)]
)
def test_large_n_does_not_overflow_and_stays_accurate(n, k):
    for p in (k / n, 0.5, 0.3, 1e-4):
        exact_log_value = exact_log(p, n, k)
        log_value = likelihood.binomial_log_likelihood(p, n, k)
        assert math.isfinite(log_value)
        assert log_value == pytest.approx(exact_log_value, rel=1e-12, abs=1e-9)
        value = likelihood.binomial_likelihood(p, n, k)
        assert value == pytest.approx(math.exp(exact_log_value), rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("n", [0, 1, 7, 10_000])
def test_boundaries_are_exact(n):
    assert likelihood.binomial_likelihood(0.0, n, 0) == 1.0  # 0**0 == 1
    assert likelihood.binomial_likelihood(1.0, n, n) == 1.0
    assert likelihood.binomial_log_likelihood(0.0, n, 0) == 0.0
    if n:
        assert likelihood.binomial_likelihood(0.0, n, 1) == 0.0
        assert likelihood.binomial_likelihood(1.0, n, n - 1) == 0.0
        assert likelihood.binomial_log_likelihood(0.0, n, n) == -math.inf
        assert likelihood.binomial_log_likelihood(1.0, n, 0) == -math.inf


def test_arrays_of_p_and_bad_counts():
    grid = np.array([0.0, 0.25, 0.5, 1.0])
    values = likelihood.binomial_likelihood(grid, 4, 1)
    assert values.tolist() == pytest.approx([0.0, 4 * 0.25 * 0.75**3, 0.25, 0.0])
    with pytest.raises(ValueError):
        likelihood.binomial_likelihood(0.5, 3, 4)


@pytest.mark.parametrize(
    ("n", "k", "num"), [(100, 70, 1001), (100, 70, 11), (7, 3, 50), (9, 0, 21), (9, 9, 21), (500, 123, 301)]
)
def test_grid_argmax_is_the_exact_maximiser_on_the_grid(n, k, num):
    grid = np.linspace(0, 1, num)
    best = max(range(num), key=lambda i: (exact_likelihood(float(grid[i]), n, k), -i))  # first of any ties
    assert likelihood.grid_argmax(n, k, num) == grid[best]


# --- logistic regression ---------------------------------------------------------------


def test_log_likelihood_matches_the_plain_formula_where_that_is_accurate():
    rng = np.random.default_rng(0)
    X, y, w = rng.normal(size=(30, 4)), rng.integers(0, 2, 30), rng.normal(size=4)
    p = [1 / (1 + math.exp(-float(x @ w))) for x in X]
    plain = sum(yi * math.log(pi) + (1 - yi) * math.log(1 - pi) for yi, pi in zip(y, p))
    assert logistic.log_likelihood(w, X, y) == pytest.approx(plain, rel=1e-12)
    assert logistic.loss(w, X, y) == pytest.approx(-plain, rel=1e-12)


@pytest.mark.parametrize(
    ("z", "y", "expected"),
    [
        (800.0, 1, -math.exp(-800)),  # ln σ(800) = −ln(1 + e^−800) ≈ −e^−800 (0 in floats)
        (800.0, 0, -800.0),  # ln(1 − σ(800)) = −800 − ln(1 + e^−800)
        (-800.0, 1, -800.0),
        (-800.0, 0, 0.0),
        (40.0, 1, -math.log1p(math.exp(-40))),  # tiny but representable: must not round to 0
        (-745.5, 1, -745.5 - math.log1p(math.exp(-745.5))),
    ],
)
def test_log_likelihood_is_finite_and_accurate_for_huge_logits(z, y, expected):
    value = logistic.log_likelihood(np.array([z]), np.array([[1.0]]), np.array([y]))
    assert math.isfinite(value)
    assert value == pytest.approx(expected, rel=1e-15, abs=1e-320)


def test_gradient_matches_the_numerical_gradient():
    rng = np.random.default_rng(1)
    for trial in range(20):
        n, d = int(rng.integers(1, 40)), int(rng.integers(1, 6))
        X, y = rng.normal(size=(n, d)), rng.integers(0, 2, n).astype(float)
        w = rng.normal(scale=2.0, size=d)
        numeric = mlp.numerical_gradient(partial(logistic.loss, X=X, y=y), w.copy())
        assert mlp.relative_error(logistic.gradient(w, X, y), numeric) < 1e-8, trial


def test_gradient_is_the_lecture_sum():
    X = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]])
    y = np.array([1.0, 0.0, 1.0])
    w = np.array([0.3, -0.2])
    expected = sum((1 / (1 + math.exp(-(xi @ w))) - yi) * xi for xi, yi in zip(X, y))
    assert np.allclose(logistic.gradient(w, X, y), expected, rtol=1e-14)


def test_gradient_descent_history():
    rng = np.random.default_rng(2)
    X = np.hstack([np.ones((50, 1)), rng.normal(size=(50, 2))])
    y = (X @ np.array([0.5, 2.0, -1.0]) + rng.normal(scale=0.5, size=50) > 0).astype(float)
    w, losses = logistic.gradient_descent(X, y, alpha=0.01, steps=200)
    assert len(losses) == 201
    assert losses[0] == pytest.approx(50 * math.log(2))  # J(0): every p is ½
    assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(losses))
    assert losses[-1] == pytest.approx(logistic.loss(w, X, y))
    assert (
        np.linalg.norm(logistic.gradient(w, X, y)) < np.linalg.norm(logistic.gradient(np.zeros(3), X, y)) / 5
    )
    w_start = np.array([1.0, 1.0, 1.0])
    _, from_start = logistic.gradient_descent(X, y, 0.01, 0, w0=w_start)
    assert from_start == [pytest.approx(logistic.loss(w_start, X, y))]


# --- counts -------------------------------------------------------------------------------


def test_the_lecture_digit_network():
    assert counts.count_params([784, 256, 128, 10]) == 235_146
    assert counts.count_params([256 * 256, 256, 128, 10]) == 16_811_658
    assert counts.count_params([784, 256, 128, 10], bias=False) == 784 * 256 + 256 * 128 + 128 * 10
    assert counts.count_macs([784, 256, 128, 10]) == 784 * 256 + 256 * 128 + 128 * 10


def test_counts_agree_with_the_arrays_the_mlp_allocates():
    rng = np.random.default_rng(3)
    for _ in range(50):
        sizes = [int(n) for n in rng.integers(1, 40, int(rng.integers(2, 6)))]
        params = mlp.init_params(sizes, seed=0)
        assert counts.count_params(sizes) == sum(W.size + b.size for W, b in params)
        assert counts.count_params(sizes, bias=False) == sum(W.size for W, _ in params)
        assert counts.allocated_params(params) == counts.count_params(sizes)
        # one sample through forward: each layer multiplies an (n_l, n_{l-1}) matrix by an n_{l-1} vector
        _, cache = mlp.forward(params, np.ones((sizes[0], 1)))
        assert counts.count_macs(sizes) == sum(
            layer.z.shape[0] * layer.a_prev.shape[0] for layer in cache.layers
        )


def test_degenerate_networks():
    assert counts.count_params([5]) == 0 and counts.count_macs([5]) == 0
    assert counts.count_params([1, 1]) == 2 and counts.count_macs([1, 1]) == 1
    assert counts.count_params(np.array([3, 2])) == 8
