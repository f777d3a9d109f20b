# 黄磊 2024011245 —— 表不是手算的，用自己的 perceptron_lib 按题目的选择生成
from perceptron_lib import is_misclassified, perceptron_step, perceptron_train

NAMES = ["M1", "M2", "M3"]
X = [(3, 3), (4, 3), (1, 1)]
Y = [1, 1, -1]

# 前 4 步题目给定 M1, M3, M3, M3；第 5 步用 M2；之后按下标最小的规则
_trace = perceptron_train(X, Y, schedule={1: 0, 2: 2, 3: 2, 4: 2, 5: 1})
TABLE = [(k, None if i is None else NAMES[i], w, b) for k, i, w, b in _trace]
FINAL_W, FINAL_B = TABLE[-1][2], TABLE[-1][3]

Q3_NONSEP = """
原始感知机在线性不可分时不会收敛。不过“平均感知机”把训练过程中每一步的 w 取平均，
或者“投票感知机”让每个 w 按存活的轮数投票，这样得到的分类器比较稳定，在不可分的数据上效果也不错。
"""
