# ALTERNATIVE a05: matrix-product style with column vectors inside: the loss comes back as a (1, 1) array
# (yᵀ·(-ln p) + (1 - y)ᵀ·(-ln(1 - p))), Taylor and the predicted change as (1, 1) arrays too; the gradient is
# flattened to (D,) as the contract asks. Must get full auto marks (22/22).
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(np.minimum(z, 0)) / (1.0 + np.exp(-np.abs(z)))


def _columns(w, X, y):
    X = np.asarray(X, dtype=float)
    return X, np.reshape(w, (-1, 1)).astype(float), np.reshape(y, (-1, 1)).astype(float)


def logistic_loss(w, X, y):
    X, w, y = _columns(w, X, y)
    z = X @ w
    return y.T @ np.logaddexp(0, -z) + (1 - y).T @ np.logaddexp(0, z)  # shape (1, 1)


def logistic_gradient(w, X, y):
    X, w, y = _columns(w, X, y)
    return (X.T @ (sigmoid(X @ w) - y)).ravel()


def taylor_first_order(J_w, grad_w, dw):
    return J_w + np.reshape(grad_w, (1, -1)) @ np.reshape(dw, (-1, 1))


def predicted_change(grad_w, alpha):
    g = np.reshape(grad_w, (-1, 1))
    return -alpha * (g.T @ g)


def steepest_descent_direction(grad_w):
    g = np.asarray(grad_w, dtype=float)
    norm = np.sqrt(g @ g)
    return g * 0.0 if norm == 0 else -g / norm


def gradient_descent(X, y, alpha, steps, w0=None):
    D = np.shape(X)[1]
    w = np.zeros(D) if w0 is None else np.asarray(w0, dtype=float).ravel()
    losses = [logistic_loss(w, X, y)]
    for _ in range(steps):
        w = w - alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))
    return w, losses  # losses: a list of (1, 1) arrays


PROOF = """
Taylor to first order: J(w + Δw) = J(w) + ∇J(w)ᵀΔw + o(‖Δw‖). Put Δw = −α∇J(w), α > 0:
J(w + Δw) − J(w) = −α‖∇J(w)‖² + o(α) < 0 for ∇J(w) ≠ 0 and α small enough that the o(α) remainder is smaller
than α‖∇J(w)‖². With a large α the remainder (curvature) can win and the loss increases.
"""
