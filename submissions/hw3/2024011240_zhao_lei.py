# 赵磊 2024011240
import numpy as np

TABLE = [
    (0, None, (0, 0), 0),
    (1, "M1", (3, 3), 1),
    (2, "M3", (2, 2), 0),
    (3, "M3", (1, 1), -1),
    (4, "M3", (0, 0), -2),
    (5, "M2", (4, 3), -1),
    (6, "M3", (3, 2), -2),
    (7, "M3", (2, 1), -3),
    (8, "M3", (1, 0), -4),
    (9, "M1", (4, 3), -3),
    (10, "M3", (3, 2), -4),
    (11, "M3", (2, 1), -5),
    (12, None, (2, 1), -5),
]
FINAL_W, FINAL_B = (2, 1), -5


def is_misclassified(w, b, x, y):
    return y * (np.dot(w, x) + b) <= 0


def perceptron_step(w, b, x, y, eta=1.0):
    return np.asarray(w) + eta * y * np.asarray(x), b + eta * y


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float)
    b = b0
    trace = [(0, None, tuple(w), b)]
    k = 0
    # 一直更新直到没有误分类点（感知机一定会收敛的）
    while True:
        k += 1
        wrong = [i for i in range(len(X)) if is_misclassified(w, b, X[i], y[i])]
        if schedule and k in schedule:
            if schedule[k] not in wrong:
                raise ValueError("schedule 指定的点没有被误分类")
            i = schedule[k]
        elif not wrong:
            trace.append((k, None, tuple(w), b))
            return trace
        else:
            i = wrong[0]
        w, b = perceptron_step(w, b, X[i], y[i], eta)
        trace.append((k, i, tuple(w), b))


Q3_NONSEP = """线性不可分的时候感知机不会收敛。但是把很多感知机连起来、加上非线性激活函数，
就是多层感知机，可以解决异或这种线性不可分的问题，所以还是有用的。"""
