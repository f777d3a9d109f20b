# MUTANT m05: TABLE stops early: the final row (无) comes after row 7 although M3 lies on the hyperplane 2x1 + x2 - 3 = 0 (y(w·x+b) = 0, still misclassified).
# (Otherwise the reference solution of hw3; this file must lose at least one auto test.)
# %%
import numpy as np

M1, M2, M3 = (3, 3), (4, 3), (1, 1)
X = [M1, M2, M3]
Y = [1, 1, -1]

# %% 1. 迭代表 / The iteration table
TABLE = [
    (0, None, (0, 0), 0),
    (1, "M1", (3, 3), 1),
    (2, "M3", (2, 2), 0),
    (3, "M3", (1, 1), -1),
    (4, "M3", (0, 0), -2),
    (5, "M2", (4, 3), -1),
    (6, "M3", (3, 2), -2),
    (7, "M3", (2, 1), -3),
    (8, None, (2, 1), -3),
]
FINAL_W = (2, 1)
FINAL_B = -3


# %% 2. 感知机的三个函数 / Three perceptron functions
def is_misclassified(w, b, x, y):
    """w, x: sequences of length D; b, y: numbers. Returns a bool."""
    return bool(y * (np.dot(w, x) + b) <= 0)


def perceptron_step(w, b, x, y, eta=1.0):
    """One update with sample (x, y). Returns (new_w as an array of length D, new_b as a number)."""
    return np.asarray(w, dtype=float) + eta * y * np.asarray(x, dtype=float), b + eta * y


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    """X: (N, D), y: (N,) of ±1. Returns the trace [(iteration, index_or_None, w, b), ...]."""
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float)
    b = float(b0)
    schedule = schedule or {}
    trace = [(0, None, tuple(w), b)]
    for k in range(1, max_iter + 1):
        wrong = [i for i in range(len(X)) if is_misclassified(w, b, X[i], y[i])]
        if k in schedule:
            if schedule[k] not in wrong:
                raise ValueError(f"sample {schedule[k]} is not misclassified at iteration {k}")
            chosen = schedule[k]
        elif wrong:
            chosen = wrong[0]
        else:
            trace.append((k, None, tuple(w), b))
            return trace
        w, b = perceptron_step(w, b, X[chosen], y[chosen], eta)
        trace.append((k, chosen, tuple(w), b))
    return trace


# %% 3. 思考题 / To think about
Q3_NONSEP = """
原始感知机在线性不可分的数据上不会收敛，权重会一直振荡。但它仍然有用：限制迭代次数或用口袋算法保留
误差最小的权重；用特征映射或核方法把数据变得线性可分；把多个感知机组合成多层网络可以表示非线性边界。
"""
