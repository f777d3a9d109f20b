# 作业三 感知机迭代表  李娜 2024011235
from utils import add_scaled, dot

M1, M2, M3 = (3, 3), (4, 3), (1, 1)
X = [M1, M2, M3]
Y = [1, 1, -1]

# 第 5 步选 M2，之后每次都选下标最小的误分类点
TABLE = [
    (0, None, (0, 0), 0),
    (1, "M1", (3, 3), 1),
    (2, "M3", (2, 2), 0),
    (3, "M3", (1, 1), -1),
    (4, "M3", (0, 0), -2),
    (5, "M2", (4, 3), -1),
    (6, "M3", (3, 2), -2),
    (7, "M3", (2, 1), -3),   # M3: -(2+1-3) = 0，在超平面上，仍算误分类
    (8, "M3", (1, 0), -4),
    (9, "M1", (4, 3), -3),
    (10, "M3", (3, 2), -4),
    (11, "M3", (2, 1), -5),
    (12, None, (2, 1), -5),  # 无误分类点
]
FINAL_W = (2, 1)
FINAL_B = -5


def is_misclassified(w, b, x, y):
    return y * (dot(w, x) + b) <= 0


def perceptron_step(w, b, x, y, eta=1.0):
    return add_scaled(w, x, eta * y), b + eta * y


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    w = [0.0] * len(X[0]) if w0 is None else list(w0)
    b = b0
    schedule = schedule or {}
    trace = [(0, None, tuple(w), b)]
    for k in range(1, max_iter + 1):
        wrong = [i for i in range(len(X)) if is_misclassified(w, b, X[i], y[i])]
        if k in schedule:
            i = schedule[k]
            if i not in wrong:
                raise ValueError("第 %d 步指定的样本 %d 没有被误分类" % (k, i))
        elif wrong:
            i = wrong[0]
        else:
            trace.append((k, None, tuple(w), b))
            return trace
        w, b = perceptron_step(w, b, X[i], y[i], eta)
        trace.append((k, i, tuple(w), b))
    return trace


Q3_NONSEP = """
仍然有用，但要改一下。线性不可分时原始感知机永远找得到误分类点，所以不会收敛，w 和 b 会一直来回变。
可以用“口袋算法”：迭代时把训练误差最小的那组 w、b 放在口袋里，最后输出它，这样得到的是一个近似最好的线性分类器。
"""
