"""A fully connected BP network in NumPy, written the way the lecture writes it.

Conventions (lecture 004, HOMEWORK.md hw4): layer ``l`` has ``n_l`` neurons,
``W^(l)`` is ``(n_l, n_{l-1})``, ``b^(l)`` is ``(n_l, 1)``, a batch ``X`` is
``(n_0, m)`` with **samples as columns**; ``z^(l) = W^(l) a^(l-1) + b^(l)``,
``a^(l) = f(z^(l))``. A network is ``params``: a list of ``(W, b)`` pairs, one per
layer after the input. A batch's loss and gradients are means over its columns.

Reading order: activations, losses, initialisers, ``forward`` (keeps a cache),
``backward`` (the four BP equations, one line each), ``train``, gradient check.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import numpy as np

Params = list[tuple[np.ndarray, np.ndarray]]
Grads = list[tuple[np.ndarray, np.ndarray]]

# ---------------------------------------------------------------------------
# Activations f(z) and their derivatives f'(z), elementwise


def sigmoid(z: Any) -> np.ndarray:
    """``1 / (1 + e^{-z})`` without overflow, accurate in both tails."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # never overflows; e^{-|z|} <= 1
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_prime(z: Any) -> np.ndarray:
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: Any) -> np.ndarray:
    return np.tanh(z)


def tanh_prime(z: Any) -> np.ndarray:
    return 1.0 - np.tanh(z) ** 2


def relu(z: Any) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_prime(z: Any) -> np.ndarray:
    """1 where ``z > 0``, else 0 (the subgradient 0 is taken at ``z = 0``)."""
    return (np.asarray(z) > 0).astype(float)


def leaky_relu(z: Any, gamma: float = 0.01) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, gamma * z)


def leaky_relu_prime(z: Any, gamma: float = 0.01) -> np.ndarray:
    """1 where ``z > 0``, else ``gamma`` (also at ``z = 0``)."""
    return np.where(np.asarray(z) > 0, 1.0, gamma)


def identity(z: Any) -> np.ndarray:
    return np.asarray(z, dtype=float)


def identity_prime(z: Any) -> np.ndarray:
    return np.ones_like(z, dtype=float)


def softmax(z: Any) -> np.ndarray:
    """Softmax of each column; shifting by the column max keeps ``exp`` finite."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


ACTIVATIONS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "identity": (identity, identity_prime),
}
OUTPUTS = (*ACTIVATIONS, "softmax")
LOSSES = ("half_sse", "mse", "bce", "ce")


def activation_pair(name: str, gamma: float = 0.01) -> tuple[Callable, Callable]:
    """``(f, f')`` for a hidden or output activation name (not softmax)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    f, f_prime = ACTIVATIONS[name]
    if name == "leaky_relu":
        return partial(f, gamma=gamma), partial(f_prime, gamma=gamma)
    return f, f_prime


def _output_function(output: str, gamma: float) -> Callable[[np.ndarray], np.ndarray]:
    return softmax if output == "softmax" else activation_pair(output, gamma)[0]


# ---------------------------------------------------------------------------
# Losses: per-sample values, batch means


def _check_pair(output: str, loss: str) -> None:
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; choose one of {list(OUTPUTS)}")
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {list(LOSSES)}")
    if loss in ("bce", "ce") and output not in ("sigmoid", "softmax"):
        raise ValueError(f"loss {loss!r} needs outputs in (0, 1): use output 'sigmoid' or 'softmax'")


_TINY = np.finfo(float).tiny  # keeps log and division finite when an output saturates


def loss_value(a: np.ndarray, y: np.ndarray, loss: str = "half_sse") -> float:
    """Mean over the batch's columns of the per-sample loss.

    ``half_sse``: ½‖y − a‖² (the lecture's E); ``mse``: mean of (y − a)² over
    outputs; ``bce``: −Σ_k [y ln a + (1 − y) ln(1 − a)]; ``ce``: −Σ_k y ln a.
    """
    m = a.shape[1]
    if loss == "half_sse":
        return float(0.5 * np.sum((y - a) ** 2) / m)
    if loss == "mse":
        return float(np.sum((y - a) ** 2) / (m * a.shape[0]))
    if loss == "bce":
        return float(
            -np.sum(y * np.log(np.maximum(a, _TINY)) + (1 - y) * np.log(np.maximum(1 - a, _TINY))) / m
        )
    if loss == "ce":
        return float(-np.sum(y * np.log(np.maximum(a, _TINY))) / m)
    raise ValueError(f"unknown loss {loss!r}")


def loss_gradient(a: np.ndarray, y: np.ndarray, loss: str = "half_sse") -> np.ndarray:
    """∂E/∂a for one sample per column (no batch mean yet)."""
    if loss == "half_sse":
        return a - y
    if loss == "mse":
        return 2.0 * (a - y) / a.shape[0]
    if loss == "bce":
        return (a - y) / np.maximum(a * (1 - a), _TINY)
    if loss == "ce":
        return -y / np.maximum(a, _TINY)
    raise ValueError(f"unknown loss {loss!r}")


def l2_penalty(params: Params, l2: float) -> float:
    """½λ Σ_l ‖W^(l)‖²_F (biases are not regularised)."""
    return 0.5 * l2 * sum(float(np.sum(W * W)) for W, _ in params) if l2 else 0.0


# ---------------------------------------------------------------------------
# Initialisers


INITIALISERS = ("zeros", "uniform", "normal", "xavier", "he")


def init_params(
    layer_sizes: list[int],
    seed: int | None = 0,
    method: str = "xavier",
    rng: np.random.Generator | None = None,
) -> Params:
    """One ``(W, b)`` per layer after the input; biases start at zero.

    ``zeros`` (every hidden unit stays identical: the symmetry problem),
    ``uniform`` U(±1/√n_in), ``normal`` N(0, 0.01²), ``xavier`` (Glorot)
    U(±√(6/(n_in + n_out))), ``he`` N(0, 2/n_in). ``rng`` overrides ``seed``.
    """
    if method not in INITIALISERS:
        raise ValueError(f"unknown init method {method!r}; choose one of {list(INITIALISERS)}")
    rng = np.random.default_rng(seed) if rng is None else rng
    params = []
    for n_in, n_out in itertools.pairwise(layer_sizes):
        shape = (n_out, n_in)
        if method == "zeros":
            W = np.zeros(shape)
        elif method == "uniform":
            W = rng.uniform(-1.0, 1.0, shape) / np.sqrt(n_in)
        elif method == "normal":
            W = rng.normal(0.0, 0.01, shape)
        elif method == "xavier":
            limit = np.sqrt(6.0 / (n_in + n_out))
            W = rng.uniform(-limit, limit, shape)
        else:
            W = rng.normal(0.0, np.sqrt(2.0 / n_in), shape)
        params.append((W, np.zeros((n_out, 1))))
    return params


# ---------------------------------------------------------------------------
# Forward pass


class LayerCache(NamedTuple):
    a_prev: np.ndarray  # a^(l-1), the layer's input
    z: np.ndarray  # z^(l)
    mask: np.ndarray | float  # inverted-dropout mask on a^(l) (1.0 when off)


class Cache(NamedTuple):
    layers: list[LayerCache]
    output: np.ndarray  # a^(L)


def forward(
    params: Params,
    X: Any,
    activation: str = "sigmoid",
    output: str = "sigmoid",
    gamma: float = 0.01,
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, Cache]:
    """``a^(L)`` of the batch ``X`` (n_0, m) and the cache ``backward`` needs.

    ``dropout > 0`` is training mode: each hidden unit is kept with probability
    ``1 − dropout`` and the kept ones are scaled by ``1/(1 − dropout)`` (inverted
    dropout), so evaluation (``dropout = 0``) needs no rescaling.
    """
    f, _ = activation_pair(activation, gamma)
    f_out = _output_function(output, gamma)
    if dropout and rng is None:
        raise ValueError("dropout needs an rng (np.random.default_rng(seed)) to draw its masks")
    a = np.asarray(X, dtype=float)
    layers = []
    for l, (W, b) in enumerate(params):
        z = W @ a + b
        if l == len(params) - 1:
            layers.append(LayerCache(a, z, 1.0))
            a = f_out(z)
        else:
            # (dropout without an rng was refused above; the test on rng is for the type checker)
            mask = (rng.random(z.shape) >= dropout) / (1.0 - dropout) if dropout and rng is not None else 1.0
            layers.append(LayerCache(a, z, mask))
            a = f(z) * mask
    return a, Cache(layers, a)


def predict(
    params: Params, X: Any, activation: str = "sigmoid", output: str = "sigmoid", gamma: float = 0.01
) -> np.ndarray:
    """The network's output in evaluation mode (no dropout)."""
    return forward(params, X, activation, output, gamma)[0]


# ---------------------------------------------------------------------------
# Backward pass: the four BP equations


def output_delta(
    a_L: np.ndarray,
    y: np.ndarray,
    z_L: np.ndarray,
    output: str = "sigmoid",
    loss: str = "half_sse",
    gamma: float = 0.01,
) -> np.ndarray:
    """BP1: ``δ^(L) = ∂E/∂z^(L)``, one column per sample.

    In general ``∂E/∂a ⊙ f'(z)``; for ``half_sse`` that is the lecture's
    ``−(y − a) ⊙ f'(z)``. Softmax couples its outputs, so its Jacobian is applied
    as a product ``a ⊙ (g − Σ_k g_k a_k)``. Softmax + cross-entropy and sigmoid +
    binary cross-entropy cancel to ``a − y``.
    """
    _check_pair(output, loss)
    if (output, loss) in (("softmax", "ce"), ("sigmoid", "bce")):
        return a_L - y
    g = loss_gradient(a_L, y, loss)
    if output == "softmax":
        return a_L * (g - np.sum(g * a_L, axis=0, keepdims=True))
    return g * activation_pair(output, gamma)[1](z_L)


def hidden_delta(
    W_next: np.ndarray,
    delta_next: np.ndarray,
    z: np.ndarray,
    activation: str = "sigmoid",
    gamma: float = 0.01,
) -> np.ndarray:
    """BP2: ``δ^(l) = ((W^(l+1))ᵀ δ^(l+1)) ⊙ f'(z^(l))``."""
    return (W_next.T @ delta_next) * activation_pair(activation, gamma)[1](z)


def backward(
    params: Params,
    cache: Cache,
    Y: Any,
    activation: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "half_sse",
    gamma: float = 0.01,
    l2: float = 0.0,
) -> Grads:
    """Gradients ``(dW, db)`` per layer of the batch-mean loss (+ ½λ‖W‖²_F)."""
    Y = np.asarray(Y, dtype=float).reshape(cache.output.shape)
    m = Y.shape[1]
    layers = cache.layers
    delta = output_delta(cache.output, Y, layers[-1].z, output, loss, gamma)  # BP1
    grads = []
    for l in range(len(params) - 1, -1, -1):
        W = params[l][0]
        dW = delta @ layers[l].a_prev.T / m + l2 * W  # BP3: ∂E/∂W = δ a^(l-1)ᵀ (batch mean)
        db = delta.mean(axis=1, keepdims=True)  # BP4: ∂E/∂b = δ (batch mean)
        grads.append((dW, db))
        if l:
            delta = hidden_delta(W, delta, layers[l - 1].z, activation, gamma) * layers[l - 1].mask  # BP2
    return grads[::-1]


def sgd_update(params: Params, grads: Grads, lr: float) -> Params:
    """Gradient step: ``W − lr·dW``, ``b − lr·db`` (new arrays; the old are kept)."""
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


# ---------------------------------------------------------------------------
# Training: BGD (batch_size=None), SGD (1), MBGD (anything between)


def train(
    X: Any,
    Y: Any,
    layer_sizes: list[int],
    activation: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "half_sse",
    lr: float = 0.5,
    epochs: int = 1000,
    batch_size: int | None = None,
    seed: int | None = 0,
    *,
    init: str = "xavier",
    l2: float = 0.0,
    dropout: float = 0.0,
    gamma: float = 0.01,
    params: Params | None = None,
    on_epoch: Callable[[int, Params], None] | None = None,
) -> tuple[Params, list[float]]:
    """Gradient descent on mini-batches; returns ``(params, losses)``.

    The columns are reshuffled every epoch with ``np.random.default_rng(seed)``
    (which also draws the dropout masks); ``init_params(layer_sizes, seed, init)``
    starts the weights unless ``params`` is given. ``losses[e]`` is the mean
    training loss over epoch ``e``'s batches, plus the L2 penalty at its end.
    ``on_epoch(e, params)`` is called after each epoch.
    """
    _check_pair(output, loss)
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(-1, X.shape[1])
    m = X.shape[1]
    size = m if batch_size is None else int(batch_size)
    rng = np.random.default_rng(seed)
    params = init_params(layer_sizes, seed, init) if params is None else params
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(m)
        # Fortran order keeps every batch (a block of columns) contiguous for BLAS
        X_epoch, Y_epoch = np.asfortranarray(X[:, order]), np.asfortranarray(Y[:, order])
        total = 0.0
        for start in range(0, m, size):
            x, y = X_epoch[:, start : start + size], Y_epoch[:, start : start + size]
            a, cache = forward(params, x, activation, output, gamma, dropout, rng)
            total += loss_value(a, y, loss) * x.shape[1]
            params = sgd_update(params, backward(params, cache, y, activation, output, loss, gamma, l2), lr)
        losses.append(total / m + l2_penalty(params, l2))
        if on_epoch is not None:
            on_epoch(epoch, params)
    return params, losses


# ---------------------------------------------------------------------------
# Numerical gradient check


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central differences ``(f(x + εe_i) − f(x − εe_i)) / 2ε`` of scalar ``f``, in place on ``x``.

    ``x`` is perturbed one entry at a time and restored afterwards.
    """
    grad = np.zeros(x.shape, dtype=float)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = f(x)
        x[index] = original - eps
        minus = f(x)
        x[index] = original
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(analytic: Any, numeric: Any) -> float:
    """``‖a − n‖ / (‖a‖ + ‖n‖)``; 0 when both are zero."""
    a, n = np.ravel(analytic), np.ravel(numeric)
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    return float(np.linalg.norm(a - n) / scale) if scale else 0.0


def objective(
    params: Params,
    X: Any,
    Y: Any,
    activation: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "half_sse",
    gamma: float = 0.01,
    l2: float = 0.0,
    dropout: float = 0.0,
    seed: int = 0,
) -> float:
    """The training objective of one batch: mean loss + ½λ‖W‖²_F, dropout masks drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    a, _ = forward(params, X, activation, output, gamma, dropout, rng)
    return loss_value(a, np.asarray(Y, dtype=float).reshape(a.shape), loss) + l2_penalty(params, l2)


def gradient_check(
    params: Params,
    X: Any,
    Y: Any,
    activation: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "half_sse",
    gamma: float = 0.01,
    l2: float = 0.0,
    dropout: float = 0.0,
    seed: int = 0,
    eps: float = 1e-5,
) -> float:
    """Relative error between ``backward`` and central differences over all parameters.

    Both see the same dropout masks (drawn from ``seed``), so the objective is
    a fixed function of the parameters.
    """
    _, cache = forward(params, X, activation, output, gamma, dropout, np.random.default_rng(seed))
    analytic = backward(params, cache, Y, l2=l2, activation=activation, output=output, loss=loss, gamma=gamma)
    copies = [(W.astype(float), b.astype(float)) for W, b in params]

    def f(_: np.ndarray) -> float:
        return objective(copies, X, Y, l2=l2, dropout=dropout, seed=seed,
                         activation=activation, output=output, loss=loss, gamma=gamma)

    numeric = [numerical_gradient(f, array, eps) for pair in copies for array in pair]
    return relative_error(
        np.concatenate([g.ravel() for pair in analytic for g in pair]),
        np.concatenate([g.ravel() for g in numeric]),
    )
