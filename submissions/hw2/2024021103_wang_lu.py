import numpy as np

# 王璐 2024021103 作业2


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0, -z))


def logistic_loss(w, X, y):
    # 平均交叉熵 (average cross entropy, as in the sklearn docs)
    z = X.dot(w)
    N = X.shape[0]
    return np.sum(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y)) / N


def logistic_gradient(w, X, y):
    N = X.shape[0]
    return X.T.dot(sigmoid(X.dot(w)) - y) / N


def taylor_first_order(J_w, grad_w, dw):
    return J_w + np.dot(grad_w, dw)


def predicted_change(grad_w, alpha):
    return -alpha * np.dot(grad_w, grad_w)


def steepest_descent_direction(grad_w):
    norm = np.sqrt(np.sum(grad_w ** 2))
    return np.zeros(len(grad_w)) if norm == 0 else -grad_w / norm


def gradient_descent(X, y, alpha, steps, w0=None):
    if w0 is None:
        w0 = np.zeros(X.shape[1])
    w = w0.copy()
    losses = [logistic_loss(w, X, y)]
    for t in range(steps):
        w = w - alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))
    return w, losses


PROOF = """
J(w+Δw) ≈ J(w) + ∇J(w)ᵀΔw，取 Δw = -α∇J(w)，则 J(w+Δw) - J(w) ≈ -α‖∇J(w)‖² ≤ 0，所以负梯度方向下降。
"""
