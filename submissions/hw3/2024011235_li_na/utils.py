# 李娜 的小工具：点积和符号函数（不用 numpy）


def dot(a, b):
    """两个向量的点积"""
    return sum(p * q for p, q in zip(a, b))


def add_scaled(w, x, c):
    """返回 w + c * x（逐元素）"""
    return [wi + c * xi for wi, xi in zip(w, x)]
