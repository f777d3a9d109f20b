import numpy as np


def stable_sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.zeros_like(z)
    m = z >= 0
    out[m] = 1 / (1 + np.exp(-z[m]))
    e = np.exp(z[~m])
    out[~m] = e / (1 + e)
    return out


def log1pexp(t):
    """ln(1 + e^t), elementwise, no overflow"""
    t = np.asarray(t, dtype=float)
    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))
