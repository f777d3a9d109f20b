# 作业二  李强 2024021102
import numpy as np

from helpers import log1pexp, stable_sigmoid


def sigmoid(z):
    return stable_sigmoid(z)


def logistic_loss(w, X, y):
    z = X @ w
    return float(np.sum(y * log1pexp(-z) + (1 - y) * log1pexp(z)))


def logistic_gradient(w, X, y):
    p = sigmoid(X @ w)
    return X.T @ (p - y)


def taylor_first_order(J_w, grad_w, dw):
    return float(J_w + grad_w @ dw)


def predicted_change(grad_w, alpha):
    return float(-alpha * grad_w @ grad_w)


def steepest_descent_direction(grad_w):
    n = np.linalg.norm(grad_w)
    if n == 0:
        return np.zeros_like(grad_w, dtype=float)
    return -grad_w / n


def gradient_descent(X, y, alpha, steps, w0=None):
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    losses = [logistic_loss(w, X, y)]
    for _ in range(steps):
        w = w - alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))
    return w, losses


PROOF = """
泰勒展开：J(w+Δw) = J(w) + ∇J(w)ᵀΔw + 高阶项。
令 Δw = -α∇J(w) (α>0)，代入得 J(w+Δw) - J(w) ≈ -α∇J(w)ᵀ∇J(w) = -α‖∇J(w)‖² 。
只要 ∇J(w) ≠ 0，‖∇J(w)‖² > 0，于是 -α‖∇J(w)‖² < 0，J 减小，负梯度是下降方向。
由柯西-施瓦茨不等式，单位方向 d 上 ∇Jᵀd ≥ -‖∇J‖，等号在 d = -∇J/‖∇J‖ 时成立，所以它是最速下降方向。
α 必须足够小：高阶项是 o(α)，α 小时可忽略；α 过大时二阶项（Hessian）可能超过一阶的下降，损失上升甚至发散。
"""
