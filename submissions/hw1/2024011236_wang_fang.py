import math
import numpy as np

Q1_A = "B"
Q1_B = "A"


def binomial_likelihood(p, n, k):
    return math.comb(n, k) * p ** k * (1 - p) ** (n - k)


def binomial_log_likelihood(p, n, k):
    if binomial_likelihood(p, n, k) == 0:
        return -math.inf
    return math.log(math.comb(n, k)) + k * math.log(p) + (n - k) * math.log(1 - p)


def mle_ratio(n, k):
    return k / n


def grid_argmax(n, k, num=1001):
    ps = np.linspace(0, 1, num)
    return ps[np.argmax([binomial_likelihood(p, n, k) for p in ps])]


Q1_C = "B"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def logistic_log_likelihood(w, X, y):
    p = sigmoid(X @ w)
    return np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
