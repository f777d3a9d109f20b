# 王芳 2024011236 作业三
# 第 9 步时 M1 和 M2 都是误分类点（y(w·x+b) 分别是 -1 和 0），我选了 M2，所以结果和老师的不一样
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
    (9, "M2", (5, 3), -3),
    (10, "M3", (4, 2), -4),
    (11, "M3", (3, 1), -5),
    (12, None, (3, 1), -5),
]
FINAL_W = (3, 1)
FINAL_B = -5


def is_misclassified(w, b, x, y):
    return bool(y * (np.dot(w, x) + b) <= 0)


def perceptron_step(w, b, x, y, eta=1.0):
    w = np.array(w, dtype=float) + eta * y * np.array(x, dtype=float)
    return w, b + eta * y


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    X = np.array(X, dtype=float)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    b = b0
    rows = [(0, None, w, b)]
    for k in range(1, max_iter + 1):
        mis = [i for i in range(len(X)) if is_misclassified(w, b, X[i], y[i])]
        if schedule is not None and k in schedule:
            if schedule[k] not in mis:
                raise ValueError("不是误分类点")
            i = schedule[k]
        elif len(mis) == 0:
            rows.append((k, None, w, b))
            break
        else:
            i = mis[0]
        w, b = perceptron_step(w, b, X[i], y[i], eta)
        rows.append((k, i, w, b))
    return rows


Q3_NONSEP = "不收敛。但是可以用核方法把数据映射到高维，变成线性可分的再用感知机。"
