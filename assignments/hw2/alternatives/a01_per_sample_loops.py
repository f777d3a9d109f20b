# ALTERNATIVE a01: NumPy arrays in, but loops over the samples for the loss and the gradient, masks for the
# sigmoid, NumPy scalars returned. Must get full auto marks (22/22).
import math

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def softplus(t):
    """ln(1 + e^t) without overflow."""
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


def logistic_loss(w, X, y):
    total = np.float64(0.0)
    for i in range(len(X)):
        z = float(np.dot(X[i], w))
        total += y[i] * softplus(-z) + (1 - y[i]) * softplus(z)
    return total


def logistic_gradient(w, X, y):
    grad = np.zeros(len(w))
    for i in range(len(X)):
        p = sigmoid(np.dot(X[i], w))
        grad += (p - y[i]) * np.asarray(X[i], dtype=float)
    return grad


def taylor_first_order(J_w, grad_w, dw):
    return J_w + np.sum(np.multiply(grad_w, dw))


def predicted_change(grad_w, alpha):
    return -alpha * np.sum(np.square(grad_w))


def steepest_descent_direction(grad_w):
    g = np.asarray(grad_w, dtype=float)
    length = math.sqrt(np.sum(g * g))
    if length == 0.0:
        return np.zeros(g.shape)
    return -g / length


def gradient_descent(X, y, alpha, steps, w0=None):
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    losses = [logistic_loss(w, X, y)]
    step = 0
    while step < steps:
        w -= alpha * logistic_gradient(w, X, y)
        losses.append(logistic_loss(w, X, y))
        step += 1
    return w, losses


PROOF = """
一阶泰勒展开 J(w+Δw) ≈ J(w) + ∇J(w)ᵀΔw。取 Δw = -α∇J(w)，α>0，变化量约为 -α‖∇J(w)‖²，
梯度不为零时它小于零，所以损失下降；α 必须足够小，否则被忽略的二阶项（曲率）可能大于这个下降量，损失反而变大。
"""
