"""作业五 王芳"""
import numpy as np

DIGIT_NET = [784, 256, 128, 10]


def count_params(layer_sizes, bias=True):
    n = np.array(layer_sizes)
    w = np.sum(n[:-1] * n[1:])
    b = np.sum(n[1:]) if bias else 0
    return w + b


def count_macs(layer_sizes):
    return count_params(layer_sizes, bias=False)


# 784*256+256 = 200960, 256*128+128 = 32896, 128*10+10 = 1290
Q5_PARAMS = 235146
# 65536*256+256 = 16777472, 再加 32896 + 1290
Q5_PARAMS_256 = 16811658
Q5_GROWTH = 71.5  # 约 71.5 倍

Q5_MEASURES = """
用 CNN：卷积权值共享，池化降维。对模型剪枝和量化。用 GPU。
"""
