# ALTERNATIVE a04: the other stable form of the loss, J = Σ [ln(1 + e^{z}) - y z], with
# ln(1 + e^{z}) = max(z, 0) + ln(1 + e^{-|z|}); tanh for the sigmoid; (p - y) @ X for the gradient;
# losses as an ndarray. Must get full auto marks (22/22).
import numpy as np


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def logistic_loss(w, X, y):
    z = np.dot(X, w)
    return np.sum(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z)


def logistic_gradient(w, X, y):
    return (sigmoid(np.dot(X, w)) - y) @ X


def taylor_first_order(J_w, grad_w, dw):
    return J_w + grad_w @ dw


def predicted_change(grad_w, alpha):
    return -alpha * np.linalg.norm(grad_w) ** 2


def steepest_descent_direction(grad_w):
    norm = np.linalg.norm(grad_w)
    return np.zeros_like(grad_w) if norm == 0 else -grad_w / norm


def gradient_descent(X, y, alpha, steps, w0=None):
    w = np.zeros(np.shape(X)[1]) if w0 is None else np.array(w0, dtype=float)
    losses = np.empty(steps + 1)
    losses[0] = logistic_loss(w, X, y)
    for k in range(1, steps + 1):
        w = w - alpha * logistic_gradient(w, X, y)
        losses[k] = logistic_loss(w, X, y)
    return w, losses


PROOF = r"""
一阶泰勒展开：$J(w+\Delta w) = J(w) + \nabla J(w)^\top \Delta w + o(\|\Delta w\|)$。
令 $\Delta w = -\alpha \nabla J(w)$，$\alpha > 0$，则 $J(w+\Delta w) - J(w) = -\alpha \|\nabla J(w)\|^2 + o(\alpha)$。
$\nabla J \neq 0$ 时第一项严格为负；$\alpha$ 足够小时高阶项 $o(\alpha)$ 比它小，故损失下降。$\alpha$ 过大时展开不再准确，可能不降反升。
"""
