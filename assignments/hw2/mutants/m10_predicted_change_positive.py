# MUTANT m10: predicted_change returns +alpha * ||g||^2 (the sign of the descent step lost).
# (Otherwise the reference solution of hw2; this file must lose at least one auto test.)
# %%
import numpy as np


# %%
def sigmoid(z):
    """Elementwise 1 / (1 + e^{-z}) of a number or an array (same shape out); stable for |z| up to 800."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # at most 1: no overflow on either side
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


# %%
def logistic_loss(w, X, y):
    """w: (D,), X: (N, D), y: (N,). Returns J(w), a sum over samples, as a float."""
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    # -ln p = ln(1 + e^{-z}), -ln(1 - p) = ln(1 + e^{z}): finite even when p rounds to 0 or 1
    return float(np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))


# %%
def logistic_gradient(w, X, y):
    """w: (D,), X: (N, D), y: (N,). Returns Σ_i (p(x_i) - y_i) x_i with shape (D,)."""
    X = np.asarray(X, dtype=float)
    return X.T @ (sigmoid(X @ np.asarray(w, dtype=float)) - np.asarray(y, dtype=float))


# %%
def taylor_first_order(J_w, grad_w, dw):
    """J_w: float, grad_w and dw: (D,). Returns J_w + grad_wᵀ dw as a float."""
    return float(J_w + np.dot(grad_w, dw))


# %%
def predicted_change(grad_w, alpha):
    """grad_w: (D,), alpha: float. Returns the first-order change for Δw = -α∇J, i.e. -α‖∇J‖²."""
    grad_w = np.asarray(grad_w, dtype=float)
    return float(alpha * np.dot(grad_w, grad_w))


# %%
def steepest_descent_direction(grad_w):
    """grad_w: (D,). Returns the unit vector -∇J/‖∇J‖ with shape (D,); a zero gradient gives zeros."""
    grad_w = np.asarray(grad_w, dtype=float)
    norm = np.linalg.norm(grad_w)
    return -grad_w / norm if norm > 0 else np.zeros_like(grad_w)


# %%
def gradient_descent(X, y, alpha, steps, w0=None):
    """Batch gradient descent on J. Returns (w of shape (D,), losses) with losses[0] = J(w0), len steps + 1."""
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    losses = [logistic_loss(w, X, y)]
    for _ in range(steps):
        w = w - alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))
    return w, losses


# %%
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
