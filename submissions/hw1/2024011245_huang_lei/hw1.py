"""黄磊 作业一"""
import math

import numpy as np

Q1_A = "B"
Q1_B = "A"
Q1_C = "C"  # p=0, p=1 不在 (0,1) 里


def binomial_likelihood(p, n, k):
    if p == 0 or p == 1:
        return 0.0  # 端点处似然为 0
    return math.exp(binomial_log_likelihood(p, n, k))


def binomial_log_likelihood(p, n, k):
    if p == 0 or p == 1:
        return -math.inf
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log(1 - p))


def mle_ratio(n, k):
    return k / n


def grid_argmax(n, k, num=1001):
    grid = np.linspace(0, 1, num)
    return float(grid[np.argmax([binomial_log_likelihood(p, n, k) for p in grid])])


def logistic_log_likelihood(w, X, y):
    z = np.dot(X, w)
    return float(np.sum(y * -np.logaddexp(0, -z) + (1 - y) * -np.logaddexp(0, z)))
