"""黄磊的感知机小库（作业三用）。"""
import numpy as np


def is_misclassified(w, b, x, y):
    """y (w·x + b) <= 0 就是误分类（在超平面上也算）"""
    return bool(y * (np.dot(w, x) + b) <= 0)


def perceptron_step(w, b, x, y, eta=1.0):
    return np.asarray(w, dtype=float) + eta * y * np.asarray(x, dtype=float), float(b + eta * y)


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float)
    b = float(b0)
    schedule = dict(schedule or {})
    trace = [(0, None, tuple(w), b)]
    for k in range(1, max_iter + 1):
        wrong = np.flatnonzero(y * (X @ w + b) <= 0)
        if k in schedule:
            i = schedule[k]
            if i not in wrong:
                raise ValueError(f"第 {k} 步指定的样本 {i} 没有被误分类")
        elif wrong.size == 0:
            trace.append((k, None, tuple(w), b))
            break
        else:
            i = int(wrong[0])
        w, b = perceptron_step(w, b, X[i], y[i], eta)
        trace.append((k, i, tuple(w), b))
    return trace
