import math
import numpy as np

Q1_A = "B"
Q1_B = "A"
Q1_C = "B"


def binomial_likelihood(p, n, k):
    return math.exp(binomial_log_likelihood(p, n, k）)


def binomial_log_likelihood(p, n, k):
    if (p == 0 and k > 0) or (p == 1 and k < n):
        return -math.inf
    s = k * math.log(p) if k else 0.0
    f = (n - k) * math.log(1 - p) if n - k else 0.0
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + s + f


def mle_ratio(n, k):
    return k / n
