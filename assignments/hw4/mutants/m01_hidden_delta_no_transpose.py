# MUTANT m01: hidden_delta multiplies by W_next instead of its transpose.
# (Otherwise the reference solution of hw4; this file must lose at least one auto test.)
# %%
import numpy as np

# 课件中的 3–4–2 sigmoid 网络、输入与目标（已给出，不要修改）
# The lecture's 3-4-2 sigmoid network, its input and target (given; do not change them)
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

# %%
def sigmoid(z):
    """Elementwise logistic function; any shape in, same shape out."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # no overflow for large |z|
    return np.where(z >= 0, 1.0, e) / (1.0 + e)

# %%
def tanh(z):
    """Elementwise hyperbolic tangent; same shape out."""
    return np.tanh(z)

# %%
def relu(z):
    """Elementwise max(z, 0); same shape out."""
    return np.maximum(z, 0.0)

# %%
def leaky_relu(z, gamma=0.01):
    """Elementwise z if z > 0 else gamma * z; same shape out."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, gamma * z)

# %%
def softmax(z):
    """Softmax of each column of z (n, m); same shape out, every column sums to 1."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))  # shifting by the column max keeps exp finite
    return e / np.sum(e, axis=0, keepdims=True)

# %%
def sigmoid_prime(z):
    """dσ/dz = σ(z)(1 − σ(z)); same shape out."""
    s = sigmoid(z)
    return s * (1.0 - s)

# %%
def tanh_prime(z):
    """d tanh/dz = 1 − tanh²(z); same shape out."""
    return 1.0 - np.tanh(z) ** 2

# %%
def relu_prime(z):
    """1 where z > 0, else 0 (also at z = 0); same shape out."""
    return (np.asarray(z) > 0).astype(float)

# %%
def leaky_relu_prime(z, gamma=0.01):
    """1 where z > 0, else gamma (also at z = 0); same shape out."""
    return np.where(np.asarray(z) > 0, 1.0, gamma)

# %%
def init_params(layer_sizes, seed=0, method="xavier"):
    """layer_sizes [n_0, ..., n_L]. Returns [(W of (n_l, n_{l-1}), b of (n_l, 1)), ...] for l = 1..L."""
    rng = np.random.default_rng(seed)
    params = []
    for l in range(1, len(layer_sizes)):
        n_in, n_out = layer_sizes[l - 1], layer_sizes[l]
        if method == "zeros":
            W = np.zeros((n_out, n_in))
        elif method == "normal":
            W = rng.normal(0.0, 0.01, (n_out, n_in))
        elif method == "xavier":
            limit = np.sqrt(6.0 / (n_in + n_out))
            W = rng.uniform(-limit, limit, (n_out, n_in))
        elif method == "he":
            W = rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in))
        else:
            raise ValueError(f"unknown method {method!r}")
        params.append((W, np.zeros((n_out, 1))))
    return params

# %%
def forward(params, X, activation="sigmoid", output="sigmoid"):
    """X: (n_0, m). Returns (A_L of (n_L, m), cache). output: an activation name, "identity" or "softmax"."""
    functions = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "leaky_relu": leaky_relu,
                 "identity": lambda z: z, "softmax": softmax}  # fmt: skip
    A = [np.asarray(X, dtype=float)]  # a^(0), ..., a^(L)
    Z = []  # z^(1), ..., z^(L)
    for l, (W, b) in enumerate(params):
        Z.append(W @ A[-1] + b)
        f = functions[output if l == len(params) - 1 else activation]
        A.append(f(Z[-1]))
    return A[-1], (A, Z)

# %%
def output_delta(a_L, y, z_L, output="sigmoid"):
    """a_L, y, z_L: (n_L, m). Returns δ^(L) = −(y − a) ⊙ f'(z) for E = ½‖y − a‖², shape (n_L, m)."""
    g = a_L - y  # ∂E/∂a
    if output == "softmax":  # softmax mixes its outputs: apply its Jacobian, not an elementwise f'
        return a_L * (g - np.sum(g * a_L, axis=0, keepdims=True))
    derivatives = {"sigmoid": sigmoid_prime, "tanh": tanh_prime, "relu": relu_prime,
                   "leaky_relu": leaky_relu_prime, "identity": np.ones_like}  # fmt: skip
    return g * derivatives[output](z_L)

# %%
def hidden_delta(W_next, delta_next, z, activation="sigmoid"):
    """W_next: (n_{l+1}, n_l), delta_next: (n_{l+1}, m), z: (n_l, m). Returns δ^(l) of shape (n_l, m)."""
    derivatives = {"sigmoid": sigmoid_prime, "tanh": tanh_prime, "relu": relu_prime,
                   "leaky_relu": leaky_relu_prime, "identity": np.ones_like}  # fmt: skip
    return (W_next @ delta_next) * derivatives[activation](z)

# %%
def backward(params, cache, Y, activation="sigmoid", output="sigmoid", loss="half_sse"):
    """Y: (n_L, m). Returns [(dW, db), ...] matching params: gradients of the batch-mean loss."""
    A, Z = cache
    Y = np.asarray(Y, dtype=float).reshape(A[-1].shape)
    m = Y.shape[1]
    if loss == "ce":  # softmax + cross-entropy: ∂E/∂z simplifies to a − y
        delta = A[-1] - Y
    else:
        delta = output_delta(A[-1], Y, Z[-1], output)
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        grads[l] = (delta @ A[l].T / m, np.mean(delta, axis=1, keepdims=True))
        if l > 0:
            delta = hidden_delta(params[l][0], delta, Z[l - 1], activation)
    return grads

# %%
def numerical_gradient(f, x, eps=1e-5):
    """f: a function of the array x returning a float. Returns an array shaped like x."""
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

# %%
def sgd_update(params, grads, lr):
    """Returns new params [(W − lr·dW, b − lr·db), ...]."""
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]

# %%
def train(X, Y, layer_sizes, activation="sigmoid", output="sigmoid", loss="half_sse", lr=0.5, epochs=1000,
          batch_size=None, seed=0):  # fmt: skip
    """X: (n_0, N), Y: (n_L, N). Returns (params, losses) with len(losses) == epochs."""
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(-1, X.shape[1])
    n = X.shape[1]
    size = n if batch_size is None else batch_size
    rng = np.random.default_rng(seed)
    params = init_params(layer_sizes, seed)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, size):
            batch = order[start : start + size]
            A_L, cache = forward(params, X[:, batch], activation, output)
            y = Y[:, batch]
            if loss == "ce":
                total += -np.sum(y * np.log(np.maximum(A_L, 1e-300)))
            else:
                total += 0.5 * np.sum((y - A_L) ** 2)
            params = sgd_update(params, backward(params, cache, y, activation, output, loss), lr)
        losses.append(total / n)
    return params, losses

# %%
# 手算 / By hand (sigmoid everywhere):
#   z^(2) = W^(2) x + b^(2) = (−0.35, 1.45, −1.45, 0.075)ᵀ,  a^(2) = σ(z^(2)) ≈ (0.413382, 0.809998, 0.190002, 0.518741)ᵀ
#   z^(3)_2 = −0.4·0.413382 + 0.6·0.809998 + 0.1·0.190002 − 0.2·0.518741 − 0.05 ≈ 0.185898,  a^(3)_2 ≈ 0.546341
#   δ^(3)_2 = −(y_2 − a^(3)_2) σ'(z^(3)_2) = −(0 − 0.546341) · 0.546341 · (1 − 0.546341) ≈ 0.135412
#   ∂E/∂Θ^(3)_23 = δ^(3)_2 a^(2)_3 ≈ 0.135412 × 0.190002 ≈ 0.0257285
# The same number from the code above, to full precision:
DE_DTHETA_23 = float(backward(LECTURE_PARAMS, forward(LECTURE_PARAMS, LECTURE_X)[1], LECTURE_Y)[1][0][1, 2])

# %%
ESSAY_IV = """
为什么能拟合任意函数：通用近似定理指出，只要隐藏层神经元足够多，带一个"挤压型"非线性激活（如 sigmoid）
隐藏层和线性输出层的前馈网络，就能以任意精度逼近紧集上的任意连续函数。直观上，每个隐藏单元给出一个
"台阶"或"折线"，加权叠加许多这样的基函数就能拼出任意形状；没有非线性激活，多层叠加仍只是线性变换。

与浅层宽网络的区别：定理只保证存在，并不说明需要多少神经元。浅层网络可能需要指数级多的神经元；
深层网络通过逐层组合（层次化特征：边缘→局部形状→整体），用少得多的参数表示同样复杂的函数，
例如深度为 k 的网络可以产生与 k 成指数关系的分段线性区域数。代价是深层网络更难训练（梯度消失/爆炸、
需要合适的初始化、激活函数和正则化），而浅层宽网络容易优化但参数多、易过拟合、泛化较差。
"""
