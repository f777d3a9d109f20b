# 赵欣 2024021107 —— 前三个函数写完了，后面的还没来得及 (only the first three are done)
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def logistic_loss(w, X, y):
    z = X @ w
    return np.sum(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y))


def logistic_gradient(w, X, y):
    return X.T @ (sigmoid(X @ w) - y)


def taylor_first_order(J_w, grad_w, dw):
    """J_w: float, grad_w and dw: (D,). Returns J_w + grad_wᵀ dw as a float."""
    raise NotImplementedError


def predicted_change(grad_w, alpha):
    """grad_w: (D,), alpha: float. Returns the first-order change for Δw = -α∇J, i.e. -α‖∇J‖²."""
    raise NotImplementedError


def steepest_descent_direction(grad_w):
    """grad_w: (D,). Returns the unit vector -∇J/‖∇J‖ with shape (D,); a zero gradient gives zeros."""
    raise NotImplementedError


def gradient_descent(X, y, alpha, steps, w0=None):
    """Batch gradient descent on J. Returns (w of shape (D,), losses) with losses[0] = J(w0), len steps + 1."""
    raise NotImplementedError


PROOF = """
在这里写你的证明。/ Write your proof here.
"""
