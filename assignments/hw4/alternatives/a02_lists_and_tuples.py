# ALTERNATIVE a02: every answer leaves as plain Python lists and tuples (nested lists for matrices, params as
# lists of [W, b] lists), the cache is a dict, and the activations return lists too. NumPy is used inside only.
# Must get full auto marks (46/46).
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


def _a(value):
    return np.array(value, dtype=float)


def _sigmoid(z):
    z = _a(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z) = (1 + tanh(z/2)) / 2 never overflows


def sigmoid(z):
    return _sigmoid(z).tolist()


def tanh(z):
    return np.tanh(_a(z)).tolist()


def relu(z):
    z = _a(z)
    return (z * (z > 0)).tolist()


def leaky_relu(z, gamma=0.01):
    z = _a(z)
    return np.maximum(z, gamma * z).tolist() if gamma <= 1 else np.minimum(z, gamma * z).tolist()


def softmax(z):
    z = _a(z)
    shifted = z - z.max(axis=0)
    return (np.exp(shifted) / np.exp(shifted).sum(axis=0)).tolist()


def sigmoid_prime(z):
    s = _sigmoid(z)
    return (s - s * s).tolist()


def tanh_prime(z):
    return (1 - np.tanh(_a(z)) ** 2).tolist()


def relu_prime(z):
    return (_a(z) > 0).astype(float).tolist()


def leaky_relu_prime(z, gamma=0.01):
    z = _a(z)
    return ((z > 0) + gamma * (z <= 0)).astype(float).tolist()


DERIVATIVES = {"sigmoid": sigmoid_prime, "tanh": tanh_prime, "relu": relu_prime, "leaky_relu": leaky_relu_prime,
               "identity": lambda z: np.ones_like(_a(z)).tolist()}
FUNCTIONS = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "leaky_relu": leaky_relu, "softmax": softmax,
             "identity": lambda z: _a(z).tolist()}


def init_params(layer_sizes, seed=0, method="xavier"):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        scale = {"zeros": 0.0, "normal": 0.01, "he": (2 / n_in) ** 0.5}
        if method == "xavier":
            r = (6 / (n_in + n_out)) ** 0.5
            W = rng.uniform(-r, r, size=(n_out, n_in))
        else:
            W = scale[method] * rng.normal(size=(n_out, n_in))
        params.append([W.tolist(), [[0.0] for _ in range(n_out)]])
    return params


def forward(params, X, activation="sigmoid", output="sigmoid"):
    a = _a(X)
    cache = {"a": [a.tolist()], "z": []}
    for i, (W, b) in enumerate(params):
        z = _a(W) @ a + _a(b).reshape(-1, 1)
        name = output if i == len(params) - 1 else activation
        a = _a(FUNCTIONS[name](z))
        cache["z"].append(z.tolist())
        cache["a"].append(a.tolist())
    return a.tolist(), cache


def output_delta(a_L, y, z_L, output="sigmoid"):
    return (-(_a(y) - _a(a_L)) * _a(DERIVATIVES[output](z_L))).tolist()


def hidden_delta(W_next, delta_next, z, activation="sigmoid"):
    return ((_a(W_next).T @ _a(delta_next)) * _a(DERIVATIVES[activation](z))).tolist()


def backward(params, cache, Y, activation="sigmoid", output="sigmoid", loss="half_sse"):
    A, Z = cache["a"], cache["z"]
    m = len(A[0][0])
    Y = _a(Y).reshape(len(A[-1]), m)
    if loss == "ce":
        delta = (_a(A[-1]) - Y).tolist()
    else:
        delta = output_delta(A[-1], Y, Z[-1], output)
    grads = []
    for i in reversed(range(len(params))):
        d = _a(delta)
        grads.insert(0, ((d @ _a(A[i]).T / m).tolist(), d.mean(axis=1, keepdims=True).tolist()))
        if i:
            delta = hidden_delta(params[i][0], delta, Z[i - 1], activation)
    return tuple(grads)


def numerical_gradient(f, x, eps=1e-5):
    g = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = float(x[i])
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        g[i] = (f_plus - f_minus) / (2 * eps)
    return g.tolist()


def sgd_update(params, grads, lr):
    return [[(_a(W) - lr * _a(dW)).tolist(), (_a(b) - lr * _a(db)).tolist()]
            for (W, b), (dW, db) in zip(params, grads)]


def train(X, Y, layer_sizes, activation="sigmoid", output="sigmoid", loss="half_sse", lr=0.5, epochs=1000,
          batch_size=None, seed=0):
    X = _a(X)
    Y = _a(Y).reshape(-1, X.shape[1])
    n = X.shape[1]
    step = batch_size or n
    rng = np.random.default_rng(seed)
    params = init_params(layer_sizes, seed)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for k in range(0, n, step):
            idx = order[k:k + step]
            out, cache = forward(params, X[:, idx], activation, output)
            out = _a(out)
            if loss == "ce":
                total += float(-(Y[:, idx] * np.log(np.clip(out, 1e-300, None))).sum())
            else:
                total += float(((Y[:, idx] - out) ** 2).sum() / 2)
            params = sgd_update(params, backward(params, cache, Y[:, idx], activation, output, loss), lr)
        losses.append(total / n)
    return params, tuple(losses)


_grads = backward(LECTURE_PARAMS, forward(LECTURE_PARAMS, LECTURE_X)[1], LECTURE_Y)
DE_DTHETA_23 = _grads[1][0][1][2]  # row 2, column 3 counted from 1

ESSAY_IV = """
通用近似定理：一个隐藏层、神经元足够多、激活函数非线性，就能逼近任意连续函数；深层网络逐层组合特征，
表达同样的函数所需的神经元比浅层宽网络少得多，但更难训练。
"""
