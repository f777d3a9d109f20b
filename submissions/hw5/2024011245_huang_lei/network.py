"""黄磊：一个最小的全连接网络，只为了数数组里的元素。"""
import numpy as np


def build(layer_sizes):
    sizes = [int(n) for n in layer_sizes]
    return [(np.zeros((m, n)), np.zeros((m, 1))) for n, m in zip(sizes[:-1], sizes[1:])]
