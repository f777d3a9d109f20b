"""Homework 2, Sun Hao (2024021108). I keep every vector as a column, like in the lecture slides."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * (1 + np.tanh(z / 2))


def logistic_loss(w, X, y):
    z = X @ np.reshape(w, (-1, 1))
    y = np.reshape(y, (-1, 1))
    return float(np.sum(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))


def logistic_gradient(w, X, y):
    p = sigmoid(X @ np.reshape(w, (-1, 1)))  # (N, 1)
    return X.T @ (p - np.reshape(y, (-1, 1)))  # (D, 1)


def taylor_first_order(J_w, grad_w, dw):
    return float(J_w + np.ravel(grad_w) @ np.ravel(dw))


def predicted_change(grad_w, alpha):
    g = np.ravel(grad_w)
    return float(-alpha * g @ g)


def steepest_descent_direction(grad_w):
    g = np.asarray(grad_w, dtype=float)
    n = np.linalg.norm(g)
    return -g / n if n > 0 else np.zeros_like(g)


def gradient_descent(X, y, alpha, steps, w0=None):
    w = np.zeros((X.shape[1], 1)) if w0 is None else np.reshape(np.array(w0, dtype=float), (-1, 1))
    losses = [logistic_loss(w, X, y)]
    for _ in range(steps):
        w = w - alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))
    return w, losses  # w is (D, 1)


PROOF = """
First-order Taylor: J(w + dw) ~ J(w) + grad^T dw, where the dropped terms are O(|dw|^2).
Take dw = -alpha * grad with alpha > 0. Then J(w + dw) - J(w) ~ -alpha * grad^T grad = -alpha |grad|^2.
If grad != 0 this is strictly negative, so J goes down: the negative gradient is a descent direction.
The step has to be small: the O(alpha^2) term was ignored, and for a big alpha it can dominate so the loss goes up.
"""
