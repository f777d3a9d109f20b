# 作业五 赵磊

DIGIT_NET = [784, 256, 128, 10]


def count_params(layer_sizes, bias=True):
    if not layer_sizes:
        return 0
    total = 0
    prev = layer_sizes[0]
    for n in layer_sizes[1:]:
        total += prev * n + (n if bias else 0)
        prev = n
    return total


def count_macs(layer_sizes):
    if not layer_sizes:
        return 0
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([256 * 256, 256, 128, 10])
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS

Q5_MEASURES = """
1. 卷积层 + 池化层代替第一层全连接，参数与图像大小无关。
2. 降低输入分辨率。
3. 模型量化（float32 → int8）和剪枝。
4. 使用 GPU、批量计算。
"""
