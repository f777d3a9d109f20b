# ALTERNATIVE a04: ln C(n, k) as a sum of logs, the likelihood compared (not its log) on the grid with the
# last maximum kept, and the log-likelihood in the lecture's rewritten form
# L(w) = Σ (y_i - 1) wᵀx_i - ln(1 + e^{-wᵀx_i}), made stable piecewise. Must get full auto marks (20/20).
import numpy as np

Q1_A, Q1_B, Q1_C = "B", "A", "B"


def log_comb(n, k):
    k = min(k, n - k)
    top = np.log(np.arange(n - k + 1, n + 1, dtype=float)).sum()
    bottom = np.log(np.arange(1, k + 1, dtype=float)).sum()
    return top - bottom


def binomial_log_likelihood(p, n, k):
    with np.errstate(divide="ignore", invalid="ignore"):
        a = k * np.log(p) if k else 0.0
        b = (n - k) * np.log(1 - p) if n - k else 0.0
    return log_comb(n, k) + a + b


def binomial_likelihood(p, n, k):
    return np.exp(binomial_log_likelihood(p, n, k))


def mle_ratio(n, k):
    return np.float64(k) / n


def grid_argmax(n, k, num=1001):
    grid = np.linspace(0, 1, num)
    values = np.array([binomial_likelihood(p, n, k) for p in grid])
    return grid[len(values) - 1 - np.argmax(values[::-1])]  # the last of equal maxima


def softplus(t):
    """ln(1 + e^t) for any t."""
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))


def logistic_log_likelihood(w, X, y):
    z = np.dot(X, w)
    return np.sum((np.asarray(y) - 1) * z - softplus(-z))
