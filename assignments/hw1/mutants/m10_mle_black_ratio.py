# MUTANT m10: mle_ratio returns (n - k)/n, the black ratio.
# (Otherwise the reference solution of hw1; this file must lose at least one auto test.)
# %%
import math

import numpy as np

# %%
Q1_A = "B"  # 样本已知、参数 p 未知：似然函数
Q1_B = "A"  # 参数已知、求样本出现的概率：概率函数

# %%
def binomial_likelihood(p, n, k):
    """p: float in [0, 1]; n, k: ints with 0 <= k <= n. Returns C(n,k) p^k (1-p)^(n-k) as a float."""
    return math.exp(binomial_log_likelihood(p, n, k))  # exp(-inf) == 0.0 exactly


# %%
def binomial_log_likelihood(p, n, k):
    """p: float in [0, 1]; n, k: ints with 0 <= k <= n. Returns ln L(p) as a float (-inf where L = 0)."""
    if (p == 0 and k > 0) or (p == 1 and k < n):
        return -math.inf
    # lgamma keeps ln C(n, k) finite where C(n, k) itself would overflow a float
    log_comb = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    success = k * math.log(p) if k > 0 else 0.0  # 0 · ln 0 = 0, i.e. 0**0 == 1
    failure = (n - k) * math.log1p(-p) if n - k > 0 else 0.0
    return log_comb + success + failure


# %%
def mle_ratio(n, k):
    """n, k: ints with n > 0. Returns the maximiser k/n as a float."""
    return (n - k) / n


# %%
def grid_argmax(n, k, num=1001):
    """Returns the p in np.linspace(0, 1, num) with the largest likelihood, as a float."""
    grid = np.linspace(0.0, 1.0, num)
    # compare logs: the likelihood itself underflows to 0 far from the maximum when n is large
    log_values = [binomial_log_likelihood(p, n, k) for p in grid]
    return float(grid[int(np.argmax(log_values))])


# %%
Q1_C = "B"  # 0 < k < n 时 L(0) = L(1) = 0，是最小值，不是最大值

# %%
def logistic_log_likelihood(w, X, y):
    """w: (D,), X: (N, D) with rows as samples, y: (N,) of 0/1. Returns L(w) (a sum over samples) as a float."""
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    # ln p = -ln(1 + e^{-z}) and ln(1 - p) = -ln(1 + e^{z}); logaddexp never overflows
    return float(np.sum(-y * np.logaddexp(0.0, -z) - (1.0 - y) * np.logaddexp(0.0, z)))
