# 作业五 黄磊：直接建网络、数数组的元素个数
from network import build

DIGIT_NET = [784, 256, 128, 10]


def count_params(layer_sizes, bias=True):
    return sum(W.size + (b.size if bias else 0) for W, b in build(layer_sizes))


def count_macs(layer_sizes):
    return sum(W.size for W, _ in build(layer_sizes))


Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([65536, 256, 128, 10])
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS

Q5_MEASURES = """
第一层的权重矩阵是 256×65536，占了 99.8% 的参数和计算。
- 卷积层：局部连接、权值共享，参数只和卷积核大小有关；配合池化/步长降低分辨率。
- 低秩分解：W(256×65536) ≈ U(256×r)·V(r×65536)，r=16 时参数减少约 16 倍。
- 量化 int8、剪枝后稀疏存储。
- 批量矩阵乘法 + GPU。
"""
