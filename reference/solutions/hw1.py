# %% [markdown]
# # 作业一：极大似然估计 / Homework 1: maximum likelihood
#
# **题目 / Problem.** 一个罐子里有黑球和白球，比例未知。每次随机取出一个球，记录颜色后放回，共取 100 次，
# 其中 70 次是白球。设白球比例为 $p$，100 次中恰有 70 次白球的概率为
# $p(O\mid M) = C_{100}^{70}\, p^{70} (1-p)^{30}$。罐子中白球比例最有可能是多少？
#
# A jar holds black and white balls in an unknown ratio. A ball is drawn at random, its colour noted, and it is put
# back; after 100 draws, 70 were white. With white ratio $p$, the probability of exactly 70 white in 100 draws is
# $p(O\mid M) = C_{100}^{70}\, p^{70} (1-p)^{30}$. What is the most likely white ratio?
#
# **约定 / Conventions.**
# - 选择题答一个字母的字符串，如 `"A"`；大小写和首尾空格不影响评分。/ Choices are one-letter strings such as
#   `"A"`; case and surrounding spaces do not matter.
# - 数值可以是 Python 数、NumPy 标量、只含一个数的 list/tuple/数组；比较的是数值不是类型。默认容差
#   `rtol=1e-6, atol=1e-9`（即 `|你的 − 参考| <= 1e-9 + 1e-6·|参考|`）。/ Numbers may be Python or NumPy scalars
#   (or a list/tuple/array holding one number); values are compared, not types, by default within
#   `rtol=1e-6, atol=1e-9` (`|yours − reference| <= 1e-9 + 1e-6·|reference|`).
# - 边界 $p=0$、$p=1$ 处的值必须正确：似然是 1 或 0（$0^0 = 1$），不能是 `nan` 或报错；似然为 0 处对数似然必须
#   正好是 `-inf`（不是 `nan`，也不是 0）。/ At the boundaries $p=0$ and $p=1$ the values must be right: the likelihood
#   is 1 or 0 ($0^0 = 1$), never `nan` or an error; where the likelihood is 0 the log-likelihood must be exactly `-inf`
#   (not `nan`, not 0).
# - $n$ 可以大到 10 000（例如 $n=10\,000$、$k=5\,000$）：$C(n,k)$ 本身会超出浮点数范围，但似然不会。
#   / $n$ goes up to 10 000 (e.g. $n=10\,000$, $k=5\,000$): $C(n,k)$ itself does not fit in a float,
#   the likelihood does.
# - 逻辑回归部分 `X` 的形状是 `(N, D)`：**每一行是一个样本**（如需偏置，`X` 里已有一列 1），`w` 形状 `(D,)`，
#   `y` 形状 `(N,)`，取值 0/1；对数似然是对样本的**求和**（不是平均）。/ In the logistic part `X` is `(N, D)`:
#   **rows are samples** (a bias column of ones is already in `X` if wanted), `w` is `(D,)`, `y` is `(N,)` of 0/1;
#   the log-likelihood is a **sum** over samples (not a mean).
# - 可以使用 `math` 和 `numpy`。/ You may use `math` and `numpy`.
#
# **分值 / Points.** 自动评分 20 分：选择题 4 分，二项似然与对数似然 8 分，极大值 4 分，逻辑回归对数似然 4 分
# （其中 7 分来自随作业发放的公开测试，13 分来自隐藏测试）；本作业没有人工评分题。公开测试（`grader check hw1`）
# 对选择题只检查格式（是不是给出的字母之一），答案对不对由隐藏测试判定；其余函数公开测试按规则检查
# （例如 $n$ 到 10 000 时的似然、`binomial_likelihood` 与你自己的 `binomial_log_likelihood` 是否一致）。
# Auto-graded: 20 points: choices 4, binomial likelihood and log-likelihood 8, the maximum 4, the logistic
# log-likelihood 4 (7 of them from the public tests shipped with the homework, 13 from hidden tests); nothing in this
# homework is graded by hand. The public tests (`grader check hw1`) check the choices for their form only (one of the
# offered letters); whether a choice is right is decided by the hidden tests. The functions are checked publicly by
# rules (e.g. the likelihood for $n$ up to 10 000, your `binomial_likelihood` against your own
# `binomial_log_likelihood`).

# %%
import math

import numpy as np

# %% [markdown]
# ## 1. 概率函数还是似然函数？/ Probability or likelihood?
# 如果参数 $\theta$ 已知、样本 $x$ 未知，$p(x\mid\theta)$ 叫概率函数；如果样本 $x$ 已知、参数未知，它叫似然函数。
# / With the parameter $\theta$ known, $p(x\mid\theta)$ is a probability function of $x$;
# with the sample $x$ known, it is a likelihood function of $\theta$.
#
# - `Q1_A`：有放回地抽取 100 次，其中 70 次是白球，求罐子中白球比例最有可能是多少。建模时目标函数是
#   A. 概率函数　B. 似然函数？/ From 100 draws with 70 white, estimate the most likely white ratio. Is the objective
#   A. a probability function or B. a likelihood function?
# - `Q1_B`：已知白球占 70%，随机取出一个球，求它是白球的概率。目标函数是 A. 概率函数　B. 似然函数？
#   / The white ratio is known to be 70%; what is the probability that one ball drawn is white? Is the objective
#   A. a probability function or B. a likelihood function?

# %%
### BEGIN SOLUTION
Q1_A = "B"  # 样本已知、参数 p 未知：似然函数
Q1_B = "A"  # 参数已知、求样本出现的概率：概率函数
### END SOLUTION
### BEGIN STUB
# Q1_A = ...  # "A" 或 "B" / "A" or "B"
# Q1_B = ...  # "A" 或 "B" / "A" or "B"
### END STUB

# %% [markdown]
# ## 2. 二项分布的似然 / The binomial likelihood
# $n$ 次抽取中 $k$ 次白球，白球比例为 $p$ 时的似然 / The likelihood of $k$ white in $n$ draws at white ratio $p$:
# $$L(p) = C(n,k)\, p^k (1-p)^{n-k}, \qquad \ln L(p) = \ln C(n,k) + k \ln p + (n-k)\ln(1-p).$$
#
# - `binomial_likelihood(p, n, k) -> float`：$L(p)$；`p` 为 $[0,1]$ 中的数，`n`、`k` 为整数，$0 \le k \le n$。
#   在 $p=0$、$p=1$ 处精确（$0^0=1$，例如 $L(0)=1$ 当 $k=0$），$n$ 到 10 000 不溢出。
#   / `binomial_likelihood(p, n, k) -> float`: $L(p)$ for `p` in $[0, 1]$ and ints $0 \le k \le n$; exact at $p=0$
#   and $p=1$ ($0^0=1$, e.g. $L(0)=1$ when $k=0$); no overflow for $n$ up to 10 000.
# - `binomial_log_likelihood(p, n, k) -> float`：自然对数 $\ln L(p)$；似然为 0 处返回 `-inf`（`-math.inf`）。
#   / `binomial_log_likelihood(p, n, k) -> float`: the natural log $\ln L(p)$; `-inf` (`-math.inf`) where $L(p) = 0$.
#
# 提示：$C(10\,000, 5\,000) \approx 10^{3008}$，而浮点数最大约 $1.8\times10^{308}$。
# / Hint: $C(10\,000, 5\,000) \approx 10^{3008}$, while the largest float is about $1.8\times10^{308}$.


# %%
def binomial_likelihood(p, n, k):
    """p: float in [0, 1]; n, k: ints with 0 <= k <= n. Returns C(n,k) p^k (1-p)^(n-k) as a float."""
    ### BEGIN SOLUTION
    return math.exp(binomial_log_likelihood(p, n, k))  # exp(-inf) == 0.0 exactly
    ### END SOLUTION


# %%
def binomial_log_likelihood(p, n, k):
    """p: float in [0, 1]; n, k: ints with 0 <= k <= n. Returns ln L(p) as a float (-inf where L = 0)."""
    ### BEGIN SOLUTION
    if (p == 0 and k > 0) or (p == 1 and k < n):
        return -math.inf
    # lgamma keeps ln C(n, k) finite where C(n, k) itself would overflow a float
    log_comb = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    success = k * math.log(p) if k > 0 else 0.0  # 0 · ln 0 = 0, i.e. 0**0 == 1
    failure = (n - k) * math.log1p(-p) if n - k > 0 else 0.0
    return log_comb + success + failure
    ### END SOLUTION


# %% [markdown]
# ## 3. 极大似然估计 / The maximum
# 令 $\dfrac{dL}{dp} = 0$：$C(n,k)\,p^{k-1}(1-p)^{n-k-1}\,[k(1-p) - (n-k)p] = 0$，得 $p = 0,\ 1,\ k/n$。
# / Setting $\dfrac{dL}{dp} = 0$ gives $C(n,k)\,p^{k-1}(1-p)^{n-k-1}\,[k(1-p) - (n-k)p] = 0$, so $p = 0,\ 1,\ k/n$.
#
# - `mle_ratio(n, k) -> float`：导数为零的内部根 $k/n$（本题为 0.7）。/ the interior root $k/n$ (0.7 here).
# - `grid_argmax(n, k, num=1001) -> float`：在网格 `np.linspace(0, 1, num)` 上似然最大的那个 **p 值**
#   （返回 p，不是下标；`num` 默认 1001，也会用其他值测试）。/ the **value p** in the grid
#   `np.linspace(0, 1, num)` with the largest likelihood (return p, not its index; `num` defaults to 1001 and is
#   also tested with other values). 若有几个网格点似然相同（并列最大），返回其中任何一个都算对。
#   / If several grid points share the largest likelihood (a tie), any of them is accepted.
# - `Q1_C`：$p=0$ 和 $p=1$ 也是导数的根，为什么舍去？/ $p=0$ and $p=1$ are roots of the derivative too; why are they
#   rejected?
#   A. 它们也是极大值点 / they are maxima too;
#   B. 在 $0<k<n$ 时那里似然为 0，是极小值点 / for $0<k<n$ the likelihood is 0 there, so they are minima;
#   C. 它们不在定义域内 / they are outside the domain.


# %%
def mle_ratio(n, k):
    """n, k: ints with n > 0. Returns the maximiser k/n as a float."""
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
# Q1_C = ...  # "A"、"B" 或 "C" / "A", "B" or "C"
### END STUB

# %% [markdown]
# ## 4. 逻辑回归的对数似然 / Log-likelihood of logistic regression
# $P(y=1\mid x) = p(x) = \dfrac{1}{1+e^{-w^\top x}}$，$P(y=0\mid x) = 1-p(x)$。所有样本的对数似然
# / The log-likelihood of all samples:
# $$L(w) = \sum_{i=1}^{N} \big[\, y_i \ln p(x_i) + (1-y_i) \ln(1-p(x_i)) \,\big].$$
#
# - `logistic_log_likelihood(w, X, y) -> float`：`w` 形状 `(D,)`，`X` 形状 `(N, D)`（**行是样本**），`y` 形状
#   `(N,)`，取值 0/1。返回 $L(w)$（求和，$\le 0$）。logit $w^\top x_i$ 大到 ±800 时也必须有限且准确：
#   例如 $w^\top x = 800$、$y = 0$ 时这一项是 $-800$；$w^\top x = 800$、$y = 1$ 时这一项约为 0。
#   / `w` is `(D,)`, `X` is `(N, D)` (**rows are samples**), `y` is `(N,)` of 0/1. Returns $L(w)$ (a sum, $\le 0$).
#   It must be finite and accurate for logits $w^\top x_i$ as large as ±800: e.g. the term for $w^\top x = 800$, $y = 0$
#   is $-800$; for $w^\top x = 800$, $y = 1$ it is about 0.
#
# 提示：$\ln p(x) = -\ln(1+e^{-z})$，$\ln(1-p(x)) = -\ln(1+e^{z})$，其中 $z = w^\top x$；直接算 `np.log(1 - p)`
# 在 $z$ 很大时会得到 `-inf`，`0 * -inf` 会得到 `nan`。
# / Hint: $\ln p(x) = -\ln(1+e^{-z})$ and $\ln(1-p(x)) = -\ln(1+e^{z})$ with $z = w^\top x$; computing `np.log(1 - p)`
# directly gives `-inf` for large $z$, and `0 * -inf` is `nan`.


# %%
def logistic_log_likelihood(w, X, y):
    """w: (D,), X: (N, D) with rows as samples, y: (N,) of 0/1. Returns L(w) (a sum over samples) as a float."""
    ### BEGIN SOLUTION
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    # ln p = -ln(1 + e^{-z}) and ln(1 - p) = -ln(1 + e^{z}); logaddexp never overflows
    return float(np.sum(-y * np.logaddexp(0.0, -z) - (1.0 - y) * np.logaddexp(0.0, z)))
    ### END SOLUTION
