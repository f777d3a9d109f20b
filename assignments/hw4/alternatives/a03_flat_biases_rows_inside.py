# ALTERNATIVE a03: biases of shape (n,) instead of (n, 1) (init_params, sgd_update and backward's db); samples as
# rows inside forward/backward (transposed at the way in and out, so the contract's columns are kept); the cache
# is an instance of the student's own class, which stays in the submission's process. Must get full auto marks.
from dataclasses import dataclass, field

import numpy as np

LECTURE_PARAMS = [
    (
        np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.1, 0.05]]),
        np.array([[0.1], [-0.1], [0.2], [0.0]]),
    ),
    (
        np.array([[0.3, -0.5, 0.2, 0.7], [-0.4, 0.6, 0.1, -0.2]]),
        np.array([[0.05], [-0.05]]),
    ),
]
LECTURE_X = np.array([[1.0], [0.5], [-1.5]])
LECTURE_Y = np.array([[1.0], [0.0]])


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1 + e)
    return out


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def relu(z):
    return np.clip(np.asarray(z, dtype=float), 0, None)


def leaky_relu(z, gamma=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, z * gamma)


def softmax(z):
    z = np.asarray(z, dtype=float)
    log_norm = z.max(axis=0) + np.log(np.exp(z - z.max(axis=0)).sum(axis=0))  # log-sum-exp per column
    return np.exp(z - log_norm)


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_prime(z):
    return 1 / np.cosh(np.clip(np.asarray(z, dtype=float), -350, 350)) ** 2


def relu_prime(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)


def leaky_relu_prime(z, gamma=0.01):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, gamma)


ACT = {"sigmoid": (sigmoid, sigmoid_prime), "tanh": (tanh, tanh_prime), "relu": (relu, relu_prime),
       "leaky_relu": (leaky_relu, leaky_relu_prime),
       "identity": (lambda z: np.asarray(z, dtype=float), lambda z: np.ones(np.shape(z))),
       "softmax": (softmax, None)}


def init_params(layer_sizes, seed=0, method="xavier"):
    rng = np.random.default_rng(seed)
    params = []
    for n_prev, n in zip(layer_sizes, layer_sizes[1:]):
        std = {"zeros": 0.0, "normal": 0.01, "xavier": np.sqrt(2 / (n_prev + n)), "he": np.sqrt(2 / n_prev)}[method]
        params.append((rng.normal(0, 1, (n, n_prev)) * std, np.zeros(n)))
    return params


@dataclass
class Trace:
    """What backward needs, samples as rows: inputs[l] is a^(l-1)ᵀ (m, n_{l-1}), pre[l] is z^(l)ᵀ (m, n_l)."""

    inputs: list = field(default_factory=list)
    pre: list = field(default_factory=list)
    out: np.ndarray = None


def forward(params, X, activation="sigmoid", output="sigmoid"):
    rows = np.asarray(X, dtype=float).T
    trace = Trace()
    for l, (W, b) in enumerate(params):
        trace.inputs.append(rows)
        z = rows @ np.asarray(W).T + np.ravel(b)
        trace.pre.append(z)
        name = output if l == len(params) - 1 else activation
        rows = ACT[name][0](z.T).T  # the activations work on columns, like the contract says
    trace.out = rows
    return rows.T, trace


def output_delta(a_L, y, z_L, output="sigmoid"):
    return (np.asarray(a_L) - np.asarray(y)) * ACT[output][1](z_L)


def hidden_delta(W_next, delta_next, z, activation="sigmoid"):
    return np.einsum("ki,kj->ij", W_next, delta_next) * ACT[activation][1](z)


def backward(params, cache, Y, activation="sigmoid", output="sigmoid", loss="half_sse"):
    Y_rows = np.asarray(Y, dtype=float).reshape(cache.out.shape[1], -1).T
    m = Y_rows.shape[0]
    if loss == "ce":
        delta = cache.out - Y_rows
    else:
        delta = output_delta(cache.out.T, Y_rows.T, cache.pre[-1].T, output).T
    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        grads[l] = (delta.T @ cache.inputs[l] / m, delta.sum(axis=0) / m)  # db of shape (n_l,)
        if l:
            delta = hidden_delta(params[l][0], delta.T, cache.pre[l - 1].T, activation).T
    return grads


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        index = np.unravel_index(i, x.shape)
        saved = x[index]
        x[index] = saved + eps
        right = f(x)
        x[index] = saved - eps
        left = f(x)
        x[index] = saved
        grad[index] = (right - left) / eps / 2
    return grad


def sgd_update(params, grads, lr):
    return [(W - lr * np.asarray(dW), np.ravel(b) - lr * np.ravel(db)) for (W, b), (dW, db) in zip(params, grads)]


def train(X, Y, layer_sizes, activation="sigmoid", output="sigmoid", loss="half_sse", lr=0.5, epochs=1000,
          batch_size=None, seed=0):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(-1, X.shape[1])
    N = X.shape[1]
    B = N if batch_size is None else batch_size
    shuffle = np.random.default_rng(seed)
    params = init_params(layer_sizes, seed, "xavier")
    losses = []
    for epoch in range(epochs):
        perm = shuffle.permutation(N)
        summed = 0.0
        for first in range(0, N, B):
            cols = perm[first:first + B]
            a, trace = forward(params, X[:, cols], activation, output)
            if loss == "ce":
                summed += -np.sum(Y[:, cols] * np.log(a + 1e-300))
            else:
                summed += np.sum((Y[:, cols] - a) ** 2) / 2
            params = sgd_update(params, backward(params, trace, Y[:, cols], activation, output, loss), lr)
        losses.append(summed / N)
    return params, losses


DE_DTHETA_23 = 0.0257284946  # by hand: δ^(3)_2 = 0.135412013, a^(2)_3 = 0.190001566

ESSAY_IV = "多层网络 = 非线性函数的复合；通用近似定理保证存在性；深度带来指数级的表达效率，宽度只带来线性增长。"
