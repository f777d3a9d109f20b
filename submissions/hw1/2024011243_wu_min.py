import math
import numpy as np

print("作业一 吴敏 开始运行")
Q1_A = "B"
Q1_B = "A"
Q1_C = "B"


def binomial_log_likelihood(p, n, k):
    if (p == 0 and k > 0) or (p == 1 and k < n):
        return -math.inf
    out = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    out += k * math.log(p) if k else 0
    out += (n - k) * math.log(1 - p) if n != k else 0
    return out


def binomial_likelihood(p, n, k):
    return math.exp(binomial_log_likelihood(p, n, k))


def mle_ratio(n, k):
    return k / n


def grid_argmax(n, k, num=1001):
    grid = np.arange(0, 1, 1 / num)
    best = max(grid, key=lambda p: binomial_log_likelihood(p, n, k))
    print("best p =", best)
    return best


def logistic_log_likelihood(w, X, y):
    # 每一列是一个样本 x_i
    X = np.asarray(X, dtype=float)
    z = X.T @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(np.sum(-y * np.logaddexp(0, -z) - (1 - y) * np.logaddexp(0, z)))


print(binomial_likelihood(0.7, 100, 70), grid_argmax(100, 70))
