# %% [markdown]
# # 作业三：感知机迭代表（第 5 步选 M2）/ Homework 3: the perceptron iteration table (M2 at step 5)
#
# **题目 / Problem.** 正样本点 $M_1=(3,3)$、$M_2=(4,3)$，负样本点 $M_3=(1,1)$。学习率 $\eta=1$，
# 初值 $w_0=(0,0)$、$b_0=0$，模型 $f(x)=\mathrm{sign}(w^\top x+b)$。当 $y(w^\top x+b)\le 0$ 时点被误分类，
# 更新 $w \leftarrow w+\eta y x$，$b \leftarrow b+\eta y$。前 4 步已给出（M1, M3, M3, M3）；**第 5 步选 M2**，
# 请补全迭代表直到没有误分类点。
#
# Positive points $M_1=(3,3)$, $M_2=(4,3)$; negative point $M_3=(1,1)$; $\eta=1$; $w_0=(0,0)$, $b_0=0$.
# A point is misclassified when $y(w^\top x+b)\le 0$; an update is $w \leftarrow w+\eta y x$, $b \leftarrow b+\eta y$.
# Rows 0–4 are given (M1, M3, M3, M3); **step 5 uses M2**; complete the table until no point is misclassified.
#
# **约定 / Conventions.**
# - `TABLE` 是行的列表 `(iteration, point, (w1, w2), b)`；`point` 是 `"M1"`、`"M2"`、`"M3"`，
#   第一行和最后一行（无误分类点）为 `None`。/ `TABLE` is a list of rows `(iteration, point, (w1, w2), b)`;
#   `point` is `"M1"`, `"M2"`, `"M3"`, or `None` on the first row and on the final row (no point misclassified).
# - 第 5 步之后任何合法的选择都正确：每一行的点在上一行的 $(w,b)$ 下必须被误分类，每次更新必须符合规则，
#   最后一行不能留下误分类点。/ Any legal continuation after step 5 is correct.
# - 数值可以是 int、float、NumPy 标量、list 或 tuple；比较的是数值（容差 1e-9）。/ Numbers may be ints,
#   floats, NumPy scalars, lists or tuples; values are compared (tolerance 1e-9).
#
# **分值 / Points.** 自动评分 14 分（表 6 分按行给分、最终模型 2 分、函数 6 分）+ 人工评分 2 分（思考题）。
# Auto-graded: 14 points (table 6, credited row by row; final model 2; functions 6). Graded by hand: 2 (Q3_NONSEP).
#
# `grader check` 还有几项 0 分的检查：按感知机的规则检查整张表、最终模型与表的最后一行是否一致，以及
# `perceptron_train` 在测试自己构造的小数据上的行为；它们不给出答案，任何合法的表都能通过，分数由隐藏测试给出。
# `grader check` also runs a few 0-point checks: the whole table by the perceptron's rules, the final model against
# the table's last row, and `perceptron_train` on small data sets of the tests' own. They never give the answer (any
# legal table passes them); the points come from the hidden tests.

# %%
import numpy as np

M1, M2, M3 = (3, 3), (4, 3), (1, 1)
X = [M1, M2, M3]
Y = [1, 1, -1]

# %% [markdown]
# ## 1. 迭代表 / The iteration table
# 补全 `TABLE`（已给出第 0–4 行），并给出最终模型 `FINAL_W`（二元组）和 `FINAL_B`。
# Complete `TABLE` (rows 0–4 are given) and give the final model `FINAL_W` (a pair) and `FINAL_B`.
#
# 注意 / Note: 课件 004 作业题 III 的表中第 2 行的超平面印成了“$2 + 2x_2$”，应为 $2x_1 + 2x_2$（$w = (2, 2)$、$b = 0$，
# 与课件前面的例表一致）。/ In lecture 004's table for 作业题 III, row 2's hyperplane is printed "$2 + 2x_2$"; it is
# $2x_1 + 2x_2$ ($w = (2, 2)$, $b = 0$, as in the lecture's worked table before it).

# %%
### BEGIN SOLUTION
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
FINAL_W = (2, 1)
FINAL_B = -5
### END SOLUTION
### BEGIN STUB
# TABLE = [
#     (0, None, (0, 0), 0),
#     (1, "M1", (3, 3), 1),
#     (2, "M3", (2, 2), 0),
#     (3, "M3", (1, 1), -1),
#     (4, "M3", (0, 0), -2),
#     (5, "M2", ...),  # 第 5 步选 M2 / step 5 uses M2: continue from here
# ]
# FINAL_W = ...
# FINAL_B = ...
### END STUB

# %% [markdown]
# ## 2. 感知机的三个函数 / Three perceptron functions
# - `is_misclassified(w, b, x, y) -> bool`：`y (wᵀx + b) <= 0`。`w`、`x` 长度为 D 的序列或数组，`b`、`y` 为数。
# - `perceptron_step(w, b, x, y, eta=1.0) -> (w, b)`：返回 `(w + η y x, b + η y)`；`w` 为长度 D 的数组。
# - `perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000) -> list`：
#   `X` 形状 `(N, D)`（行是样本），`y ∈ {-1, +1}^N`；返回迭代轨迹，行为 `(iteration, index_or_None, w, b)`：
#   第 0 行 `(0, None, w0, b0)`（`w0=None` 表示零向量）；第 k 次更新追加 `(k, i, w, b)`，`i` 是所用样本的下标；
#   每一步选**下标最小**的误分类样本，除非 `schedule`（字典 `iteration -> index`）指定；指定一个未被误分类的样本时
#   抛出 `ValueError`；没有误分类样本时追加最后一行 `(k, None, w, b)`；`max_iter` 次更新后仍有误分类样本则不加这一行。
#   **边界情况**：如果第 `max_iter` 次更新之后恰好没有误分类样本了，轨迹**仍然以 `None` 行结束**，这一行是
#   `(max_iter + 1, None, w, b)`，轨迹共 `max_iter + 2` 行。`max_iter` 限制的是更新次数，不是行数；最后的检查不是更新。
#   例：课件的数据恰好 7 次更新后收敛，`max_iter=7` 给出 9 行，最后一行 `(8, None, (1, 1), -3)`；`max_iter=6` 给出
#   7 行，没有 `None` 行。
#
# - `is_misclassified(w, b, x, y) -> bool`: `y (wᵀx + b) <= 0`.
# - `perceptron_step(w, b, x, y, eta=1.0) -> (w, b)`: `(w + η y x, b + η y)`.
# - `perceptron_train(...)`: the trace as rows `(iteration, index_or_None, w, b)`; row 0 is `(0, None, w0, b0)`;
#   update k adds `(k, i, w, b)`; the **lowest-index** misclassified sample is used unless `schedule`
#   (a dict `iteration -> index`) forces one (forcing a sample that is not misclassified raises `ValueError`);
#   when nothing is misclassified a last row `(k, None, w, b)` ends the trace; when samples are still misclassified
#   after `max_iter` updates, the trace ends without it. **The boundary:** when the `max_iter`-th update leaves no
#   sample misclassified, the trace **still ends with the `None` row**, `(max_iter + 1, None, w, b)`, and has
#   `max_iter + 2` rows: `max_iter` limits the updates, not the rows, and the final check is not an update.
#   E.g. the lecture's data converges after exactly 7 updates: `max_iter=7` gives 9 rows ending `(8, None, (1, 1), -3)`;
#   `max_iter=6` gives 7 rows and no `None` row.


# %%
def is_misclassified(w, b, x, y):
    """w, x: sequences of length D; b, y: numbers. Returns a bool."""
    ### BEGIN SOLUTION
    return bool(y * (np.dot(w, x) + b) <= 0)
    ### END SOLUTION


# %%
def perceptron_step(w, b, x, y, eta=1.0):
    """One update with sample (x, y). Returns (new_w as an array of length D, new_b as a number)."""
    ### BEGIN SOLUTION
    return np.asarray(w, dtype=float) + eta * y * np.asarray(x, dtype=float), b + eta * y
    ### END SOLUTION


# %%
def perceptron_train(X, y, eta=1.0, w0=None, b0=0.0, schedule=None, max_iter=1000):
    """X: (N, D), y: (N,) of ±1. Returns the trace [(iteration, index_or_None, w, b), ...]."""
    ### BEGIN SOLUTION
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
        trace.append((max_iter + 1, None, tuple(w), b))  # converged on the very last update allowed
    return trace
    ### END SOLUTION


# %% [markdown]
# ## 3. 思考题（人工评分，2 分）/ To think about (graded by hand, 2 points)
# 对于线性不可分的情形，感知机是否还有用？把你的回答写成字符串 `Q3_NONSEP`。
# Is the perceptron still useful on data that is not linearly separable? Write your answer as the string `Q3_NONSEP`.

# %%
### BEGIN SOLUTION
Q3_NONSEP = """
原始感知机在线性不可分的数据上不会收敛：总有误分类点，权重会一直振荡。但它仍然有用：
(1) 限制迭代次数或使用口袋算法（pocket，保留训练误差最小的权重）可以得到误差较小的线性分类器；
(2) 平均感知机 / 投票感知机在实践中泛化良好；(3) 通过特征映射或核方法（对偶形式只用到内积）可以把数据映射到
线性可分的空间；(4) 多个感知机组成多层网络（加非线性激活）可以表示非线性决策边界，这正是神经网络的出发点。
"""
### END SOLUTION
### BEGIN STUB
# Q3_NONSEP = """
# 在这里写你的回答。/ Write your answer here.
# """
### END STUB
