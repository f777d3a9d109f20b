# ALTERNATIVE a02: the same answers in other types. TABLE rows are lists, weights are NumPy
# arrays, b values are floats / NumPy scalars, FINAL_W is an ndarray; perceptron_train returns
# rows as lists with ndarray weights and NumPy integer indices. Must get full auto marks (14/14).
import numpy as np

X = np.array([[3, 3], [4, 3], [1, 1]])
Y = np.array([1, 1, -1])

TABLE = [
    [0, None, np.array([0.0, 0.0]), 0.0],
    [1, "M1", np.array([3.0, 3.0]), 1.0],
    [2, "M3", np.array([2.0, 2.0]), 0.0],
    [3, "M3", np.array([1.0, 1.0]), -1.0],
    [4, "M3", np.array([0.0, 0.0]), -2.0],
    [5, "M2", np.array([4.0, 3.0]), np.float64(-1)],
    [6, "M3", np.array([3.0, 2.0]), np.float64(-2)],
    [7, "M3", np.array([2.0, 1.0]), np.float64(-3)],
    [8, "M3", np.array([1.0, 0.0]), np.float64(-4)],
    [9, "M1", np.array([4.0, 3.0]), np.float64(-3)],
    [10, "M3", np.array([3.0, 2.0]), np.float64(-4)],
    [11, "M3", np.array([2.0, 1.0]), np.float64(-5)],
    [12, None, np.array([2.0, 1.0]), np.float64(-5)],
]
FINAL_W = TABLE[-1][2]
FINAL_B = float(TABLE[-1][3])


def is_misclassified(w, b, x, y):
    return (y * (np.asarray(w) @ np.asarray(x) + b)) <= 0  # a numpy.bool_


def perceptron_step(w, b, x, y, eta=1.0):
    return [np.asarray(w) + eta * y * np.asarray(x), np.float64(b + eta * y)]


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    b = np.float64(b0)
    trace = [[0, None, w.copy(), b]]
    for k in range(1, max_iter + 1):
        margins = y * (X @ w + b)
        wrong = np.flatnonzero(margins <= 0)
        if schedule and k in schedule:
            i = np.int64(schedule[k])
            if margins[i] > 0:
                raise ValueError("强制选择的样本没有被误分类 / the forced sample is not misclassified")
        elif wrong.size:
            i = wrong[0]  # numpy.int64
        else:
            trace.append([k, None, w.copy(), b])
            break
        w, b = perceptron_step(w, b, X[i], y[i], eta)
        trace.append([k, i, w.copy(), b])
    else:
        if not np.any(y * (X @ w + b) <= 0):  # converged on the last update allowed
            trace.append([max_iter + 1, None, w.copy(), b])
    return trace


Q3_NONSEP = "不收敛；可以用核方法或多层网络处理非线性可分的数据。"
