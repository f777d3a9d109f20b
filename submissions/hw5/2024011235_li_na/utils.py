# 李娜 的小工具：相邻两层的配对


def pairs(seq):
    """[(seq[0], seq[1]), (seq[1], seq[2]), ...]"""
    seq = list(seq)
    return list(zip(seq[:-1], seq[1:]))
