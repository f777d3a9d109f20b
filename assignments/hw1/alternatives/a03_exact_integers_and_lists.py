# ALTERNATIVE a03: ln C(n, k) from the exact integer math.comb (math.log takes huge ints), every number
# returned as a one-element list or tuple or a NumPy scalar, the grid as a list, answers in lower case
# with spaces, and a per-sample loop with np.logaddexp. Must get full auto marks (20/20).
import math

import numpy as np

Q1_A = " b "
Q1_B = "a"


def binomial_likelihood(p, n, k):
    if p == 0.0:
        return [1.0 if k == 0 else 0.0]
    if p == 1.0:
        return (1.0 if k == n else 0.0,)
    log_value = math.log(math.comb(n, k)) + k * math.log(p) + (n - k) * math.log(1.0 - p)
    return [math.exp(log_value)]


def binomial_log_likelihood(p, n, k):
    value = binomial_likelihood(p, n, k)[0]
    if value == 0.0 and (p == 0.0 or p == 1.0):
        return np.float64(-np.inf)
    if p in (0.0, 1.0):
        return np.float64(0.0)
    return np.float64(math.log(math.comb(n, k)) + k * math.log(p) + (n - k) * math.log1p(-p))


def mle_ratio(n, k):
    return (float(k) / float(n),)


def grid_argmax(n, k, num=1001):
    grid = [i / (num - 1) for i in range(num)]
    logs = [binomial_log_likelihood(p, n, k) for p in grid]
    best = max(range(num), key=lambda i: logs[i])
    return np.array([grid[best]])


Q1_C = "b"


def logistic_log_likelihood(w, X, y):
    X = np.asarray(X, dtype=float)
    terms = []
    for i in range(X.shape[0]):
        z = float(np.dot(X[i], w))
        # y ln p + (1 - y) ln(1 - p) = -ln(1 + e^{-z}) if y = 1, -ln(1 + e^{z}) if y = 0
        terms.append(-np.logaddexp(0.0, -z) if y[i] == 1 else -np.logaddexp(0.0, z))
    return [sum(terms)]
