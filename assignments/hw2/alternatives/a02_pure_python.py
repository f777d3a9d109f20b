# ALTERNATIVE a02: no NumPy at all. Plain loops over rows; sigmoid recurses into nested sequences and returns
# lists; the gradient and w come back as lists or tuples, losses as a tuple. Must get full auto marks (22/22).
import math


def _sig(t):
    t = float(t)
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def sigmoid(z):
    try:
        return [sigmoid(v) for v in z]
    except TypeError:  # a single number
        return _sig(z)


def dot(a, b):
    return sum(float(p) * float(q) for p, q in zip(a, b))


def softplus(t):
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


def logistic_loss(w, X, y):
    total = 0.0
    for xi, yi in zip(X, y):
        z = dot(w, xi)
        total += float(yi) * softplus(-z) + (1.0 - float(yi)) * softplus(z)
    return total


def logistic_gradient(w, X, y):
    grad = [0.0] * len(w)
    for xi, yi in zip(X, y):
        r = _sig(dot(w, xi)) - float(yi)
        for j in range(len(grad)):
            grad[j] += r * float(xi[j])
    return grad


def taylor_first_order(J_w, grad_w, dw):
    return float(J_w) + dot(grad_w, dw)


def predicted_change(grad_w, alpha):
    return -alpha * dot(grad_w, grad_w)


def steepest_descent_direction(grad_w):
    norm = math.sqrt(dot(grad_w, grad_w))
    if norm == 0:
        return [0.0 for _ in grad_w]
    return tuple(-float(g) / norm for g in grad_w)


def gradient_descent(X, y, alpha, steps, w0=None):
    w = [0.0] * len(X[0]) if w0 is None else [float(v) for v in w0]
    losses = [logistic_loss(w, X, y)]
    for _ in range(steps):
        g = logistic_gradient(w, X, y)
        w = [wj - alpha * gj for wj, gj in zip(w, g)]
        losses.append(logistic_loss(w, X, y))
    return tuple(w), tuple(losses)


PROOF = """
By Taylor, J(w + dw) = J(w) + grad J(w)^T dw + o(|dw|). Choose dw = -a grad J(w) with a > 0: the change is
-a |grad J|^2 + o(a), and -a |grad J|^2 < 0 whenever grad J != 0. For a small enough the o(a) term is smaller
than a |grad J|^2, so J really decreases; for a large a the neglected higher-order terms can win and J can grow.
"""
