# ALTERNATIVE a01: no NumPy at all; math.lgamma, plain loops over the grid and over the samples, Python floats.
# Must get full auto marks (20/20).
import math

Q1_A = "B"
Q1_B = "A"
Q1_C = "B"


def binomial_log_likelihood(p, n, k):
    # ln C(n, k) with lgamma: C(10000, 5000) itself is about 10**3008
    value = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    if k > 0:
        if p == 0:
            return float("-inf")
        value += k * math.log(p)
    if n - k > 0:
        if p == 1:
            return float("-inf")
        value += (n - k) * math.log(1 - p)
    return value


def binomial_likelihood(p, n, k):
    log_value = binomial_log_likelihood(p, n, k)
    if log_value == float("-inf"):
        return 0.0
    return math.exp(log_value)


def mle_ratio(n, k):
    return k / n


def grid_argmax(n, k, num=1001):
    best_p, best_log = None, None
    for i in range(num):
        p = i / (num - 1)
        log_value = binomial_log_likelihood(p, n, k)
        if best_log is None or log_value > best_log:
            best_p, best_log = p, log_value
    return best_p


def log_sigmoid(z):
    """ln(1 / (1 + e^-z)) without overflow: for z < 0 write it as z - ln(1 + e^z)."""
    if z >= 0:
        return -math.log1p(math.exp(-z))
    return z - math.log1p(math.exp(z))


def logistic_log_likelihood(w, X, y):
    total = 0.0
    for row, label in zip(X, y):
        z = 0.0
        for weight, feature in zip(w, row):
            z += weight * feature
        if label == 1:
            total += log_sigmoid(z)
        else:
            total += log_sigmoid(-z)  # ln(1 - p) = ln sigma(-z)
    return total
