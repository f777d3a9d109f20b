# 作业五 周杰
DIGIT_NET = [784, 256, 128, 10]


def count_params(layer_sizes, bias=True):
    sizes = list(layer_sizes)
    weights = sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))
    biases = sum(sizes[1:]) if bias else 0
    return weights + biases


def count_macs(layer_sizes):
    return count_params(layer_sizes, bias=False)


Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([256, 256, 128, 10])  # 图片 256 输入
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS

Q5_MEASURES = """
图片变大后参数反而变少了？可以用更少的隐藏层神经元，用 GPU 训练。
"""
