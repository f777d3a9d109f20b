# ALTERNATIVE a01: another legal table. At step 9 both M1 and M2 are misclassified under
# w=(1,0), b=-4 (y(w·x+b) = -1 and 0); this table takes M2 and ends at w=(3,1), b=-5.
# Generated with reference.perceptron.perceptron_train(HW3_X, HW3_Y,
#     schedule={1: 0, 2: 2, 3: 2, 4: 2, 5: 1}, rule="random", seed=0) and written out literally.
# Must get full auto marks (14/14).
import numpy as np

M1, M2, M3 = (3, 3), (4, 3), (1, 1)
X = [M1, M2, M3]
Y = [1, 1, -1]

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
    return np.asarray(w, dtype=float) + eta * y * np.asarray(x, dtype=float), b + eta * y


def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
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
    if not any(is_misclassified(w, b, X[i], y[i]) for i in range(len(X))):
        trace.append((max_iter + 1, None, tuple(w), b))  # converged on the last update allowed
    return trace


Q3_NONSEP = "不收敛，权重一直振荡；但限制迭代次数或用口袋算法仍能得到误差较小的线性分类器。"
