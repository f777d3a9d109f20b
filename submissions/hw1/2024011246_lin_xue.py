import math
import numpy as np

Q1_A = "B"
Q1_B = "A"
Q1_C = "B"


def binomial_likelihood(p, n, k):
    if p == 0:
        return 1.0 if k == 0 else 0.0
    if p == 1:
        return 1.0 if k == n else 0.0
    log_c = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return math.exp(log_c + k * math.log(p) + (n - k) * math.log(1 - p))


def binomial_log_likelihood(p, n, k):
    return math.log(binomial_likelihood(p, n, k))


def mle_ratio(n, k):
    return k / n


def grid_argmax(n, k, num=1001):
    grid = np.linspace(0, 1, num)
    likelihoods = np.array([binomial_likelihood(p, n, k) for p in grid])
    return grid[likelihoods.argmax()]


def logistic_log_likelihood(w, X, y):
    z = np.asarray(X) @ np.asarray(w)
    return float(np.sum(y * np.minimum(z, 0) - y * np.log1p(np.exp(-np.abs(z)))
                        + (1 - y) * np.minimum(-z, 0) - (1 - y) * np.log1p(np.exp(-np.abs(z)))))
