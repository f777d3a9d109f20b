# 作业一 李娜
import numpy as np

from likelihood_utils import log_comb, log_sigmoid

Q1_A = "B"
Q1_B = "A"
Q1_C = "B"


def binomial_log_likelihood(p, n, k):
    if p == 0:
        return 0.0 if k == 0 else float("-inf")
    if p == 1:
        return 0.0 if k == n else float("-inf")
    return log_comb(n, k) + k * np.log(p) + (n - k) * np.log(1 - p)


def binomial_likelihood(p, n, k):
    return float(np.exp(binomial_log_likelihood(p, n, k)))


def mle_ratio(n, k):
    return k / n


def grid_argmax(n, k, num=1001):
    grid = np.linspace(0, 1, num)
    values = [binomial_log_likelihood(p, n, k) for p in grid]
    return grid[int(np.argmax(values))]


def logistic_log_likelihood(w, X, y):
    total = 0.0
    for x_i, y_i in zip(X, y):
        z = float(np.dot(w, x_i))
        total += y_i * log_sigmoid(z) + (1 - y_i) * log_sigmoid(-z)
    return total
