# %% [markdown]
# # 作业二：逻辑回归的损失与下降方向 / Homework 2: the logistic loss and the descent direction
#
# **题目 / Problem.** 逻辑回归模型 $p(x) = \sigma(w^\top x) = 1/(1+e^{-w^\top x})$，标签 $y \in \{0, 1\}$。
# (1) 推导损失（负对数似然）$J(w) = -\sum_{i=1}^{N} [y_i \ln p(x_i) + (1-y_i)\ln(1-p(x_i))]$ 及其梯度
# $\partial J/\partial w = \sum_{i=1}^{N} (p(x_i) - y_i)\, x_i$；(2) 用一阶泰勒展开
# $J(w+\Delta w) \approx J(w) + \nabla J(w)^\top \Delta w$ 证明负梯度方向是下降方向。
# 先把推导写成代码（第 1–3 节），再写出证明（第 4 节）。
#
# The logistic model $p(x) = \sigma(w^\top x)$ with labels $y \in \{0, 1\}$. (1) Derive the loss (the negative
# log-likelihood) $J(w) = -\sum_i [y_i \ln p(x_i) + (1-y_i)\ln(1-p(x_i))]$ and its gradient
# $\partial J/\partial w = \sum_i (p(x_i) - y_i)\, x_i$; (2) prove with the first-order Taylor expansion
# $J(w+\Delta w) \approx J(w) + \nabla J(w)^\top \Delta w$ that the negative gradient is a descent direction.
# Turn the derivation into code (sections 1–3), then write the proof (section 4).
#
# **约定 / Conventions.**
# - `X` 形状 `(N, D)`，**行是样本**（需要偏置时 `X` 已含一列 1，不要再加）；`y` 是长度 N 的一维数组，取值 0 或 1
#   （可能是整数也可能是浮点数）；`w` 是形状 `(D,)` 的一维数组。
#   / `X` is `(N, D)` with **samples as rows** (a bias column of ones is already in `X` when wanted; do not add one);
#   `y` is a 1-D array of N labels 0 or 1 (ints or floats); `w` is a 1-D array of shape `(D,)`.
# - $J$ 是对样本**求和**，不是求平均（不要除以 N）；梯度同样是求和。
#   / $J$ is a **sum** over the samples, not a mean (no division by N); so is the gradient.
# - 梯度和 `gradient_descent` 返回的 `w` 形状都是 `(D,)`，与 `w` 相同，不是 `(D, 1)` 列向量（公开测试检查形状）。
#   / The gradient and the `w` returned by `gradient_descent` have shape `(D,)`, the same as `w`, not a `(D, 1)`
#   column (the public tests check the shapes).
# - 数值稳定：logit $z = w^\top x$ 的绝对值可达 800。`sigmoid` 不能出现 nan，结果在浮点数中舍入为 0 或 1 是允许的；
#   $J$ 必须有限且准确，例如 $y=0$、$z=800$ 的样本贡献 $\ln(1+e^{800}) \approx 800$，而不是 inf 或 nan
#   （提示：$-\ln \sigma(z) = \ln(1+e^{-z})$，可用 `np.logaddexp(0, -z)`）。
#   / Stability: logits $z = w^\top x$ reach $|z| = 800$. `sigmoid` must give no nan (values that round to exactly
#   0 or 1 are fine); $J$ must be finite and accurate, e.g. a sample with $y=0$, $z=800$ contributes
#   $\ln(1+e^{800}) \approx 800$, not inf or nan (hint: $-\ln \sigma(z) = \ln(1+e^{-z})$, `np.logaddexp(0, -z)`).
#   公开测试在 $|z|$ 到 800 处检查 `sigmoid` 和 $J$（与测试自己写的稳定公式比较）。/ The public tests check
#   `sigmoid` and $J$ at $|z|$ up to 800 (against stable formulas the tests write themselves).
# - 比较的是数值而不是类型：Python 数、NumPy 标量、list、tuple、ndarray 都可以；容差 `rtol=1e-6, atol=1e-9`。
#   只可使用 NumPy 和 math（纯 Python 循环也可以，测试的规模很小）。
#   / Values are compared, not types: Python numbers, NumPy scalars, lists, tuples and arrays are all fine;
#   tolerance `rtol=1e-6, atol=1e-9`. Use NumPy and math only (pure-Python loops are fine; the tests are small).
#
# **分值 / Points.** 共 28 分：自动评分 22 分（`sigmoid` 3、`logistic_loss` 4、`logistic_gradient` 4、
# `taylor_first_order` 与 `predicted_change` 3、`steepest_descent_direction` 3、`gradient_descent` 5）
# + 人工评分 6 分（证明 `PROOF`）。
# 28 points in all: auto-graded 22 (`sigmoid` 3, `logistic_loss` 4, `logistic_gradient` 4, `taylor_first_order`
# and `predicted_change` 3, `steepest_descent_direction` 3, `gradient_descent` 5) + graded by hand 6 (`PROOF`).

# %%
import numpy as np

# %% [markdown]
# ## 1. 损失与梯度 / The loss and its gradient
# - `sigmoid(z)`：逐元素计算 $1/(1+e^{-z})$；`z` 可以是数或任意形状的数组，返回同样形状。
#   / elementwise $1/(1+e^{-z})$ of a number or an array of any shape; same shape out.
# - `logistic_loss(w, X, y) -> float`：$J(w)$，对样本求和。/ $J(w)$, a sum over the samples.
# - `logistic_gradient(w, X, y) -> ndarray (D,)`：$\sum_i (p(x_i) - y_i)\, x_i$，形状 `(D,)`。/ shape `(D,)`.


# %%
def sigmoid(z):
    """Elementwise 1 / (1 + e^{-z}) of a number or an array (same shape out); stable for |z| up to 800."""
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # at most 1: no overflow on either side
    return np.where(z >= 0, 1.0, e) / (1.0 + e)
    ### END SOLUTION


# %%
def logistic_loss(w, X, y):
    """w: (D,), X: (N, D), y: (N,). Returns J(w), a sum over samples, as a float."""
    ### BEGIN SOLUTION
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    # -ln p = ln(1 + e^{-z}), -ln(1 - p) = ln(1 + e^{z}): finite even when p rounds to 0 or 1
    return float(np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))
    ### END SOLUTION


# %%
def logistic_gradient(w, X, y):
    """w: (D,), X: (N, D), y: (N,). Returns Σ_i (p(x_i) - y_i) x_i with shape (D,)."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    return X.T @ (sigmoid(X @ np.asarray(w, dtype=float)) - np.asarray(y, dtype=float))
    ### END SOLUTION


# %% [markdown]
# ## 2. 一阶泰勒展开与下降方向 / The first-order Taylor expansion and the descent direction
# - `taylor_first_order(J_w, grad_w, dw) -> float`：一阶近似 $J(w) + \nabla J(w)^\top \Delta w$，
#   其中 `J_w` 是数 $J(w)$，`grad_w`、`dw` 是形状 `(D,)` 的数组。/ the first-order approximation
#   $J(w) + \nabla J(w)^\top \Delta w$; `J_w` is the number $J(w)$, `grad_w` and `dw` are arrays of shape `(D,)`.
# - `predicted_change(grad_w, alpha) -> float`：取 $\Delta w = -\alpha \nabla J$ 时一阶近似给出的变化量
#   $-\alpha \|\nabla J\|^2$（注意是范数的平方）。/ the first-order change for $\Delta w = -\alpha \nabla J$:
#   $-\alpha \|\nabla J\|^2$ (the squared norm).
# - `steepest_descent_direction(grad_w) -> ndarray (D,)`：在所有单位向量 $d$ 中使一阶变化 $\nabla J^\top d$ 最小的方向
#   $-\nabla J / \|\nabla J\|$；梯度为零向量时返回同形状的零向量（不能出现 nan 或报错）。
#   / the unit vector $d$ that minimises the first-order change $\nabla J^\top d$: $-\nabla J / \|\nabla J\|$;
#   a zero gradient gives a zero vector of the same shape (no nan, no error).


# %%
def taylor_first_order(J_w, grad_w, dw):
    """J_w: float, grad_w and dw: (D,). Returns J_w + grad_wᵀ dw as a float."""
    ### BEGIN SOLUTION
    return float(J_w + np.dot(grad_w, dw))
    ### END SOLUTION


# %%
def predicted_change(grad_w, alpha):
    """grad_w: (D,), alpha: float. Returns the first-order change for Δw = -α∇J, i.e. -α‖∇J‖²."""
    ### BEGIN SOLUTION
    grad_w = np.asarray(grad_w, dtype=float)
    return float(-alpha * np.dot(grad_w, grad_w))
    ### END SOLUTION


# %%
def steepest_descent_direction(grad_w):
    """grad_w: (D,). Returns the unit vector -∇J/‖∇J‖ with shape (D,); a zero gradient gives zeros."""
    ### BEGIN SOLUTION
    grad_w = np.asarray(grad_w, dtype=float)
    norm = np.linalg.norm(grad_w)
    return -grad_w / norm if norm > 0 else np.zeros_like(grad_w)
    ### END SOLUTION


# %% [markdown]
# ## 3. 梯度下降 / Gradient descent
# `gradient_descent(X, y, alpha, steps, w0=None) -> (w, losses)`：批量梯度下降，每一步
# $w \leftarrow w - \alpha \nabla J(w)$（梯度用全部 N 个样本的和），共 `steps` 步。`w0=None` 表示从零向量开始。
# 返回最终的 `w`（形状 `(D,)`）和 `losses`：`losses[0]` 是起点的 $J(w_0)$，`losses[k]` 是第 k 步之后的 $J$，
# 所以 `len(losses) == steps + 1`（list 或一维数组均可）。
# / Batch gradient descent: `steps` times $w \leftarrow w - \alpha \nabla J(w)$ (the gradient sums all N samples);
# `w0=None` starts from zeros. Returns the last `w` (shape `(D,)`) and `losses`: `losses[0]` is $J(w_0)$ at the
# start, `losses[k]` is $J$ after step k, so `len(losses) == steps + 1` (a list or a 1-D array).
#
# **笔记中的一处笔误 / A slip in the notes.** 笔记 002 把梯度下降的更新写成“w_i = w_i + η∗∂L/∂w_i”（`b` 也是
# `+ η`）。正确的是 $w \leftarrow w - \eta\, \partial L/\partial w$：梯度是函数增加最快的方向，第 (2) 问证明的正是
# 沿**负**梯度一阶变化为 $-\eta\|\nabla L\|^2 \le 0$；加号是梯度上升，损失会变大（课件 004 写作
# $w^{k+1} = w^k - \alpha\, \partial J/\partial w$）。
# / Notes 002 write the gradient-descent update as "w_i = w_i + η∗∂L/∂w_i" (and `+ η` for `b`). The correct form is
# $w \leftarrow w - \eta\, \partial L/\partial w$: the gradient is the direction of fastest increase, and question (2)
# proves exactly that along the **negative** gradient the first-order change is $-\eta\|\nabla L\|^2 \le 0$; a plus
# sign is gradient ascent and makes the loss grow (lecture 004 writes $w^{k+1} = w^k - \alpha\, \partial J/\partial w$).


# %%
def gradient_descent(X, y, alpha, steps, w0=None):
    """Batch gradient descent on J. Returns (w of shape (D,), losses) with losses[0] = J(w0), len steps + 1."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    losses = [logistic_loss(w, X, y)]
    for _ in range(steps):
        w = w - alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))
    return w, losses
    ### END SOLUTION


# %% [markdown]
# ## 4. 证明（人工评分，6 分）/ The proof (graded by hand, 6 points)
# 把第 (2) 问的证明写成字符串 `PROOF`（中文或英文，公式可用纯文本或 LaTeX）。评分标准：
# 一阶泰勒展开（1 分）、$\Delta w = -\alpha \nabla J$ 的选取（1 分）、符号论证：$\nabla J \ne 0$ 时
# $-\alpha\|\nabla J\|^2 < 0$（2 分）、为什么 $\alpha$ 要足够小：被忽略的高阶项（2 分）。
# 第 (1) 问的推导由第 1 节的代码检查，也可以一并写在这里。
# / Write the proof of part (2) as the string `PROOF` (Chinese or English, formulas as plain text or LaTeX). The
# rubric: the Taylor step (1), the choice $\Delta w = -\alpha \nabla J$ (1), the sign argument
# $-\alpha\|\nabla J\|^2 < 0$ when $\nabla J \ne 0$ (2), why $\alpha$ must be small: the neglected higher-order
# term (2). Part (1) is checked through the code of section 1; you may add its derivation here too.

# %%
### BEGIN SOLUTION
PROOF = """
(1) 损失与梯度。记 z_i = wᵀx_i，p_i = σ(z_i) = 1/(1+e^{-z_i})。似然为 ∏ p_i^{y_i}(1-p_i)^{1-y_i}，
取对数得 L(w) = Σ [y_i ln p_i + (1-y_i) ln(1-p_i)]，损失取负号：J(w) = -L(w)。
由 σ'(z) = σ(z)(1-σ(z))：∂ln p_i/∂w = (1-p_i)x_i，∂ln(1-p_i)/∂w = -p_i x_i，
故 ∂J/∂w = -Σ [y_i(1-p_i) - (1-y_i)p_i] x_i = Σ (p_i - y_i) x_i。

(2) 负梯度是下降方向。J 在 w 处可微，一阶泰勒展开：J(w+Δw) = J(w) + ∇J(w)ᵀΔw + o(‖Δw‖)。
取 Δw = -α∇J(w)（α > 0），则 J(w+Δw) - J(w) = -α‖∇J(w)‖² + o(α)。
当 ∇J(w) ≠ 0 时 -α‖∇J(w)‖² < 0；又因为 o(α)/α → 0，存在 ᾱ > 0，使得对所有 0 < α < ᾱ，
余项的绝对值小于 α‖∇J(w)‖²，于是 J(w+Δw) < J(w)，即沿负梯度方向损失下降。
更进一步，由 Cauchy–Schwarz，∇Jᵀd ≥ -‖∇J‖‖d‖，在所有单位方向 d 中 d = -∇J/‖∇J‖ 使一阶变化最小（最速下降）。

为什么 α 要小：展开只在 Δw 很小时准确；α 太大时被忽略的高阶项（曲率）可能超过 -α‖∇J‖²，
损失反而上升甚至发散。∇J = 0 时一阶变化为 0，已是驻点（J 是凸函数，驻点即最小点）。
"""
### END SOLUTION
### BEGIN STUB
# PROOF = """
# 在这里写你的证明。/ Write your proof here.
# """
### END STUB
