"""我自己的小工具：对数组合数和稳定的 log sigmoid。"""
import math


def log_comb(n, k):
    # ln C(n,k) = ln n! - ln k! - ln (n-k)!，用 lgamma 避免溢出
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def log_sigmoid(z):
    if z > 0:
        return -math.log1p(math.exp(-z))
    return z - math.log1p(math.exp(z))
