# hw4 — Huang Lei: one sample at a time, it is easier to follow the lecture's formulas.
import math

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


def elementwise(function, z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        out[index] = function(z[index])
    return out


def _sigmoid(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def sigmoid(z):
    return elementwise(_sigmoid, z)


def tanh(z):
    return elementwise(math.tanh, z)


def relu(z):
    return elementwise(lambda t: t if t > 0 else 0.0, z)


def leaky_relu(z, gamma=0.01):
    return elementwise(lambda t: t if t > 0 else gamma * t, z)


def softmax(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for j in range(z.shape[1]):
        top = max(z[:, j])
        exps = [math.exp(v - top) for v in z[:, j]]
        total = sum(exps)
        for i, e in enumerate(exps):
            out[i, j] = e / total
    return out


def sigmoid_prime(z):
    return elementwise(lambda t: _sigmoid(t) * (1.0 - _sigmoid(t)), z)


def tanh_prime(z):
    return elementwise(lambda t: 1.0 - math.tanh(t) ** 2, z)


def relu_prime(z):
    return elementwise(lambda t: 1.0 if t > 0 else 0.0, z)


def leaky_relu_prime(z, gamma=0.01):
    return elementwise(lambda t: 1.0 if t > 0 else gamma, z)


def identity(z):
    return np.asarray(z, dtype=float)


def identity_prime(z):
    return np.ones(np.shape(z))


FUNCTIONS = {"sigmoid": (sigmoid, sigmoid_prime), "tanh": (tanh, tanh_prime), "relu": (relu, relu_prime),
             "leaky_relu": (leaky_relu, leaky_relu_prime), "identity": (identity, identity_prime)}


def init_params(layer_sizes, seed=0, method="xavier"):
    rng = np.random.default_rng(seed)
    params = []
    for i in range(len(layer_sizes) - 1):
        n_in, n_out = layer_sizes[i], layer_sizes[i + 1]
        if method == "zeros":
            W = np.zeros((n_out, n_in))
        elif method == "normal":
            W = 0.01 * rng.standard_normal((n_out, n_in))
        elif method == "xavier":  # the normal form of Glorot: the same variance 2 / (n_in + n_out)
            W = rng.standard_normal((n_out, n_in)) * math.sqrt(2.0 / (n_in + n_out))
        elif method == "he":
            W = rng.standard_normal((n_out, n_in)) * math.sqrt(2.0 / n_in)
        else:
            raise ValueError(method)
        params.append((W, np.zeros((n_out, 1))))
    return params


def forward_one(params, x, activation, output):
    """One sample x of shape (n_0, 1): the list of z and the list of a."""
    zs, activations = [], [x]
    for number, (W, b) in enumerate(params):
        z = W @ activations[-1] + b
        zs.append(z)
        last = number == len(params) - 1
        if last and output == "softmax":
            activations.append(softmax(z))
        else:
            activations.append(FUNCTIONS[output if last else activation][0](z))
    return zs, activations


def forward(params, X, activation="sigmoid", output="sigmoid"):
    X = np.asarray(X, dtype=float)
    samples = [forward_one(params, X[:, [j]], activation, output) for j in range(X.shape[1])]
    A_L = np.hstack([activations[-1] for _, activations in samples])
    return A_L, samples


def output_delta(a_L, y, z_L, output="sigmoid"):
    return -(np.asarray(y) - np.asarray(a_L)) * FUNCTIONS[output][1](z_L)


def hidden_delta(W_next, delta_next, z, activation="sigmoid"):
    return np.transpose(W_next) @ delta_next * FUNCTIONS[activation][1](z)


def backward(params, cache, Y, activation="sigmoid", output="sigmoid", loss="half_sse"):
    Y = np.asarray(Y, dtype=float).reshape(-1, len(cache))
    total = [[np.zeros(np.shape(W)), np.zeros((np.shape(W)[0], 1))] for W, _ in params]
    for j, (zs, activations) in enumerate(cache):
        y = Y[:, [j]]
        if loss == "ce":
            delta = activations[-1] - y
        else:
            delta = output_delta(activations[-1], y, zs[-1], output)
        for layer in range(len(params) - 1, -1, -1):
            total[layer][0] += delta @ activations[layer].T
            total[layer][1] += delta
            if layer > 0:
                delta = hidden_delta(params[layer][0], delta, zs[layer - 1], activation)
    m = len(cache)
    return [(dW / m, db / m) for dW, db in total]


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    flat, flat_grad = x.reshape(-1), grad.reshape(-1)  # views: writing flat[i] writes x
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + eps
        up = f(x)
        flat[i] = keep - eps
        down = f(x)
        flat[i] = keep
        flat_grad[i] = (up - down) / (2 * eps)
    return grad


def sgd_update(params, grads, lr):
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        new.append((W - lr * dW, b - lr * db))
    return new


def train(X, Y, layer_sizes, activation="sigmoid", output="sigmoid", loss="half_sse", lr=0.5, epochs=1000,
          batch_size=None, seed=0):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(-1, X.shape[1])
    N = X.shape[1]
    size = N if batch_size is None else batch_size
    rng = np.random.default_rng(seed)
    params = init_params(layer_sizes, seed)
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        epoch_loss = 0.0
        for start in range(0, N, size):
            columns = order[start:start + size]
            A, cache = forward(params, X[:, columns], activation, output)
            y = Y[:, columns]
            for j in range(len(columns)):
                if loss == "ce":
                    epoch_loss -= sum(y[k, j] * math.log(max(A[k, j], 1e-300)) for k in range(A.shape[0]))
                else:
                    epoch_loss += 0.5 * sum((y[k, j] - A[k, j]) ** 2 for k in range(A.shape[0]))
            params = sgd_update(params, backward(params, cache, y, activation, output, loss), lr)
        losses.append(epoch_loss / N)
    return params, losses


_a2 = sigmoid(LECTURE_PARAMS[0][0] @ LECTURE_X + LECTURE_PARAMS[0][1])
_a3 = sigmoid(LECTURE_PARAMS[1][0] @ _a2 + LECTURE_PARAMS[1][1])
DE_DTHETA_23 = float(-(LECTURE_Y[1, 0] - _a3[1, 0]) * _a3[1, 0] * (1 - _a3[1, 0]) * _a2[2, 0])

ESSAY_IV = """
By the universal approximation theorem a network with one hidden layer of enough sigmoid units approximates any
continuous function on a compact set; the nonlinearity is what makes this possible. A deep network composes simple
features into complex ones and can represent the same function with exponentially fewer units than a shallow wide
one, at the price of a harder optimisation (vanishing gradients, initialisation matters).
"""
