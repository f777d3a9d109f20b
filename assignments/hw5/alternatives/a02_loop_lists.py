# ALTERNATIVE a02: plain loops over a list of layer shapes, float arithmetic, answers as floats,
# the growth written as 71.5. Must get full auto marks (14/14).
DIGIT_NET = [784, 256, 128, 10]


def layer_shapes(layer_sizes):
    """[(n_l, n_{l-1}), ...]: the shape of every weight matrix."""
    sizes = [n for n in layer_sizes]
    shapes = []
    for i in range(len(sizes) - 1):
        shapes.append((sizes[i + 1], sizes[i]))
    return shapes


def count_params(layer_sizes, bias=True):
    total = 0.0
    for rows, cols in layer_shapes(layer_sizes):
        total = total + float(rows) * float(cols)
        if bias == True:  # noqa: E712 - written the way many students write it
            total = total + rows
    return total


def count_macs(layer_sizes):
    macs = 0
    for rows, cols in layer_shapes(layer_sizes):
        for _ in range(rows):
            macs += cols  # one multiply-accumulate per weight in the row
    return macs


Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([256 * 256] + DIGIT_NET[1:])
Q5_GROWTH = 71.5

Q5_MEASURES = """
用卷积层代替全连接层，并加入池化层；对权重剪枝、量化；使用 GPU 加速，以小批量为单位做矩阵乘法。
"""
