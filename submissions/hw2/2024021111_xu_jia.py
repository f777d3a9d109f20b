# 许佳 2024021111
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    out[~pos] = np.exp(z[~pos]) / (1.0 + np.exp(z[~pos]))
    return out


def logistic_loss(w, X, y):
    z = X @ w
    return float(np.sum(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))


def logistic_gradient(w, X, y):
    return X.T @ (sigmoid(X @ w) - y)


def taylor_first_order(J_w, grad_w, dw):
    return J_w + grad_w @ dw


def predicted_change(grad_w, alpha):
    return -alpha * (grad_w @ grad_w)


def steepest_descent_direction(grad_w):
    norm = np.linalg.norm(grad_w)
    if norm < 1e-12:
        return np.zeros_like(grad_w)
    return -grad_w / norm


def gradient_descent(X, y, alpha, steps, w0=None):
    w = np.zeros(X.shape[1])  # 从 0 开始
    losses = []
    for i in range(steps):
        w = w - alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))  # 记录每一步之后的损失
    return w, losses


PROOF = """
由泰勒展开 J(w+Δw) ≈ J(w) + ∇J(w)ᵀΔw。令 Δw = -α∇J(w)，
则 J(w+Δw) ≈ J(w) - α‖∇J(w)‖²，因为 α>0 且 ‖∇J‖² ≥ 0，所以 J(w+Δw) ≤ J(w)。
α 要取小一点，不然会震荡。
"""
