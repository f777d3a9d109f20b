# 作业五  李娜
from utils import pairs

DIGIT_NET = [784, 256, 128, 10]


def count_params(layer_sizes, bias=True):
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in pairs(layer_sizes))


def count_macs(layer_sizes):
    return sum(n_in * n_out for n_in, n_out in pairs(layer_sizes))


Q5_PARAMS = count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params([256 * 256] + DIGIT_NET[1:])
Q5_GROWTH = Q5_PARAMS_256 / Q5_PARAMS

Q5_MEASURES = """
参数几乎都在输入层到第一个隐藏层之间（256×256 时约 1678 万个）。
可以用卷积层代替全连接层（权值共享，参数少），用池化降低分辨率；训练时用 dropout 随机丢弃神经元减少计算；
还可以用 GPU 加速。
"""
