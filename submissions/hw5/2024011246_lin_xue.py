# 作业五 林雪：一个一个地数
DIGIT_NET = [784, 256, 128, 10]


def count_params(layer_sizes, bias=True):
    count = 0
    for l in range(1, len(layer_sizes)):
        for i in range(layer_sizes[l]):
            for j in range(layer_sizes[l - 1]):
                count += 1  # W[i][j]
            if bias:
                count += 1  # b[i]
    return count


def count_macs(layer_sizes):
    macs = 0
    for l in range(1, len(layer_sizes)):
        for i in range(layer_sizes[l]):
            for j in range(layer_sizes[l - 1]):
                macs += 1
    return macs


Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([256 * 256, 256, 128, 10])
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS

Q5_MEASURES = """
数的时候就发现很慢：应该用矩阵运算代替循环。另外可以降低图片分辨率、用卷积网络。
"""
