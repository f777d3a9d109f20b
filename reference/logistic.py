"""Logistic regression as in lecture 004 (homeworks I and II).

``X`` is ``(N, D)`` with samples as rows (a bias column is already in ``X`` if
wanted), ``y ∈ {0, 1}^N``, ``p(x) = σ(wᵀx)``. Everything is computed from the
logits ``z = Xw`` with ``log σ(z) = −log(1 + e^{−z})`` (``np.logaddexp``), so
the log-likelihood stays finite and accurate for ``|z|`` up to 800 and beyond.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reference.mlp import sigmoid

__all__ = [
    "gradient",
    "gradient_descent",
    "log_likelihood",
    "log_sigmoid",
    "loss",
    "sigmoid",
]


def log_sigmoid(z: Any) -> np.ndarray:
    """``ln σ(z) = −ln(1 + e^{−z})``; ``ln(1 − σ(z)) = log_sigmoid(−z)``."""
    return -np.logaddexp(0.0, -np.asarray(z, dtype=float))


def log_likelihood(w: Any, X: Any, y: Any) -> float:
    """``L(w) = Σ_i y_i ln p(x_i) + (1 − y_i) ln(1 − p(x_i))``."""
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(np.sum(y * log_sigmoid(z) + (1.0 - y) * log_sigmoid(-z)))


def loss(w: Any, X: Any, y: Any) -> float:
    """``J(w) = −L(w)``, a sum over samples (not a mean)."""
    return -log_likelihood(w, X, y)


def gradient(w: Any, X: Any, y: Any) -> np.ndarray:
    """``∂J/∂w = Σ_i (p(x_i) − y_i) x_i``, shape ``(D,)``."""
    X = np.asarray(X, dtype=float)
    return X.T @ (sigmoid(X @ np.asarray(w, dtype=float)) - np.asarray(y, dtype=float))


def gradient_descent(
    X: Any, y: Any, alpha: float, steps: int, w0: Any = None
) -> tuple[np.ndarray, list[float]]:
    """Batch gradient descent on ``J``: ``w ← w − α ∇J(w)``.

    ``w0=None`` starts from zeros; ``losses[0] = J(w0)`` and ``len(losses) == steps + 1``.
    """
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    losses = [loss(w, X, y)]
    for _ in range(steps):
        w = w - alpha * gradient(w, X, y)
        losses.append(loss(w, X, y))
    return w, losses
