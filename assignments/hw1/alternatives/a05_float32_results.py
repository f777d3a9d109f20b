# ALTERNATIVE a05: every number computed in float64 and handed back as np.float32, the contract's boundary case
# "NumPy scalars of any float dtype, compared as values within rtol=1e-6": grid_argmax as np.float32(grid[i]) is
# within rounding of the grid point (not bit-equal to it), the likelihood and its log rounded to float32 are within
# 1e-7 relative. Must get full auto marks (20/20).
import math

import numpy as np

Q1_A = "B"
Q1_B = "A"
Q1_C = "B"


def _log_likelihood(p, n, k):
    if (p == 0 and k > 0) or (p == 1 and k < n):
        return -math.inf
    value = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    if k > 0:
        value += k * math.log(p)
    if n - k > 0:
        value += (n - k) * math.log1p(-p)
    return value


def binomial_likelihood(p, n, k):
    return np.float32(math.exp(_log_likelihood(p, n, k)))


def binomial_log_likelihood(p, n, k):
    return np.float32(_log_likelihood(p, n, k))


def mle_ratio(n, k):
    return np.float32(k / n)


def grid_argmax(n, k, num=1001):
    grid = np.linspace(0.0, 1.0, num)
    best = max(range(num), key=lambda i: _log_likelihood(float(grid[i]), n, k))
    return np.float32(grid[best])


def logistic_log_likelihood(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.float32(np.sum(-y * np.logaddexp(0.0, -z) - (1.0 - y) * np.logaddexp(0.0, z)))
