# MUTANT m11: `if not layer_sizes` fails on NumPy arrays (the truth value is ambiguous).
# (Otherwise a correct hw5; this file must lose at least one auto test.)
# %%
DIGIT_NET = [784, 256, 128, 10]


# %%
def count_params(layer_sizes, bias=True):
    if not layer_sizes or len(layer_sizes) < 2:
        return 0
    sizes = list(layer_sizes)
    total = 0
    for l in range(1, len(sizes)):
        total += sizes[l - 1] * sizes[l]
        if bias:
            total += sizes[l]
    return int(total)


# %%
def count_macs(layer_sizes):
    sizes = list(layer_sizes)
    return int(sum(sizes[l - 1] * sizes[l] for l in range(1, len(sizes))))


# %%
Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([256 * 256, 256, 128, 10])
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS

# %%
Q5_MEASURES = """
参数主要在第一层。可以用卷积层（权值共享）代替全连接层，用池化降低分辨率，剪枝和量化压缩模型，
再用 GPU 和小批量矩阵运算加速计算。
"""
