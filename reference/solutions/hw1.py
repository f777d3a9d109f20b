# %% [markdown]
# # 作业一：极大似然估计 / Homework 1: maximum likelihood
#
# 罐子里有黑球和白球，有放回地抽取 100 次，其中 70 次是白球。
# A jar of black and white balls; 100 draws with replacement; 70 white.

# %%
import math

import numpy as np

# %% [markdown]
# ## 1. 概率函数还是似然函数？/ Probability or likelihood?
# `Q1_A`：根据 100 次抽样中 70 次白球估计白球比例，目标函数是 A 概率函数 还是 B 似然函数？
# `Q1_B`：已知白球占 70%，求抽一次为白球的概率，目标函数是 A 还是 B？（答案为一个字母）

# %%
### BEGIN SOLUTION
Q1_A = "B"  # 样本已知、参数 p 未知：似然函数
Q1_B = "A"  # 参数已知、求样本出现的概率：概率函数
### END SOLUTION
### BEGIN STUB
# Q1_A = ...  # "A" 或 "B"
# Q1_B = ...  # "A" 或 "B"
### END STUB

# %% [markdown]
# ## 2. 二项分布的似然 / The binomial likelihood
# $L(p) = C(n,k)\, p^k (1-p)^{n-k}$。在 $p=0$、$p=1$ 处必须精确（$0^0 = 1$），$n$ 到 10 000 也不能溢出。
# Exact at the boundaries (`0**0 == 1`); no overflow for `n` up to 10 000.


# %%
def binomial_log_likelihood(p, n, k):
    """p: float in [0, 1]; n, k: ints with 0 <= k <= n. Returns ln L(p) as a float (-inf where L = 0)."""
    ### BEGIN SOLUTION
    # lgamma keeps ln C(n, k) finite where C(n, k) itself would overflow a float
    log_comb = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    if (p == 0 and k > 0) or (p == 1 and k < n):
        return -math.inf
    success = k * math.log(p) if k > 0 else 0.0  # 0 · ln 0 = 0, i.e. 0**0 == 1
    failure = (n - k) * math.log1p(-p) if n - k > 0 else 0.0
    return log_comb + success + failure
    ### END SOLUTION


# %%
def binomial_likelihood(p, n, k):
    """p: float in [0, 1]; n, k: ints with 0 <= k <= n. Returns C(n,k) p^k (1-p)^(n-k) as a float."""
    ### BEGIN SOLUTION
    return math.exp(binomial_log_likelihood(p, n, k))
    ### END SOLUTION


# %% [markdown]
# ## 3. 极大似然估计 / The maximum
# 令 $dL/dp = 0$：$p^{k-1}(1-p)^{n-k-1}[k(1-p) - (n-k)p] = 0$，得 $p = 0, 1, k/n$。
# `mle_ratio(n, k)` 返回内部的根；`grid_argmax(n, k, num)` 在 `np.linspace(0, 1, num)` 上找似然最大的 `p`。
# `Q1_C`：为什么舍去 $p=0$ 与 $p=1$？A 它们也是极大值点；B 那里似然为 0，是极小值点；C 它们不在定义域内。


# %%
def mle_ratio(n, k):
    """n, k: ints. Returns the maximiser k/n as a float."""
    ### BEGIN SOLUTION
    return k / n
    ### END SOLUTION


# %%
def grid_argmax(n, k, num=1001):
    """Returns the p in np.linspace(0, 1, num) with the largest likelihood, as a float."""
    ### BEGIN SOLUTION
    grid = np.linspace(0.0, 1.0, num)
    # compare logs: the likelihood itself underflows to 0 far from the maximum when n is large
    log_values = [binomial_log_likelihood(p, n, k) for p in grid]
    return float(grid[int(np.argmax(log_values))])
    ### END SOLUTION


# %%
### BEGIN SOLUTION
Q1_C = "B"  # 0 < k < n 时 L(0) = L(1) = 0，是最小值，不是最大值
### END SOLUTION
### BEGIN STUB
# Q1_C = ...  # "A"、"B" 或 "C"
### END STUB

# %% [markdown]
# ## 4. 逻辑回归的对数似然 / Log-likelihood of logistic regression
# $L(w) = \sum_i y_i \ln p(x_i) + (1-y_i)\ln(1-p(x_i))$，$p(x) = 1/(1+e^{-w^\top x})$。
# `X` 形状 `(N, D)`（行是样本），`y ∈ {0,1}^N`。logit 大到 ±800 也要有限且准确。
# Finite and accurate for logits as large as ±800.


# %%
def logistic_log_likelihood(w, X, y):
    """w: (D,), X: (N, D), y: (N,) of 0/1. Returns L(w) as a float."""
    ### BEGIN SOLUTION
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    # ln p = -ln(1 + e^{-z}) and ln(1 - p) = -ln(1 + e^{z}); logaddexp never overflows
    return float(np.sum(-y * np.logaddexp(0.0, -z) - (1.0 - y) * np.logaddexp(0.0, z)))
    ### END SOLUTION
