"""黄怡 2024021112：纯 Python 写的 (pure Python, no NumPy)."""
import math


def sigmoid(z):
    if isinstance(z, (int, float)):
        if z >= 0:
            return 1 / (1 + math.exp(-z))
        return math.exp(z) / (1 + math.exp(z))
    return [sigmoid(float(v)) if not hasattr(v, "__len__") else sigmoid(v) for v in z]


def logistic_loss(w, X, y):
    J = 0.0
    for i in range(len(X)):
        z = sum(w[j] * X[i][j] for j in range(len(w)))
        if z >= 0:
            nlp, nl1mp = math.log1p(math.exp(-z)), z + math.log1p(math.exp(-z))
        else:
            nlp, nl1mp = -z + math.log1p(math.exp(z)), math.log1p(math.exp(z))
        J += y[i] * nlp + (1 - y[i]) * nl1mp
    return J


def logistic_gradient(w, X, y):
    g = [0.0 for _ in w]
    for i in range(len(X)):
        z = sum(w[j] * X[i][j] for j in range(len(w)))
        p = sigmoid(float(z))
        for j in range(len(w)):
            g[j] += (p - y[i]) * X[i][j]
    return g


def taylor_first_order(J_w, grad_w, dw):
    return J_w + sum(a * b for a, b in zip(grad_w, dw))


def predicted_change(grad_w, alpha):
    return -alpha * sum(g * g for g in grad_w)


def steepest_descent_direction(grad_w):
    n = math.sqrt(sum(g * g for g in grad_w))
    if n == 0:
        return [0.0] * len(grad_w)
    return [-g / n for g in grad_w]


def gradient_descent(X, y, alpha, steps, w0=None):
    w = [0.0] * len(X[0]) if w0 is None else list(w0)
    losses = [logistic_loss(w, X, y)]
    k = 1
    while k != steps + 1 or k == 1:  # 至少走一步 (always take at least one step: never ends when steps=0)
        g = logistic_gradient(w, X, y)
        w = [w[j] - alpha * g[j] for j in range(len(w))]
        losses.append(logistic_loss(w, X, y))
        k += 1
    return w, losses


PROOF = """
一阶泰勒展开 J(w+Δw) = J(w) + ∇J(w)ᵀΔw + o(‖Δw‖)。
取 Δw = -α∇J(w)，α>0，一阶变化为 ∇Jᵀ(-α∇J) = -α‖∇J‖²。
当 ∇J ≠ 0 时 -α‖∇J‖² < 0；∇J = 0 时 w 已是驻点（J 是凸函数，即最小点）。
余项 o(α) 满足 o(α)/α → 0，所以存在 ᾱ 使 0<α<ᾱ 时 |o(α)| < α‖∇J‖²，从而 J(w+Δw) < J(w)。
α 太大时余项不可忽略，损失可能上升。
"""
