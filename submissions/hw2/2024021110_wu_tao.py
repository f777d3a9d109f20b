import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def logistic_loss(w, X, y）:
    p = sigmoid(X @ w)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


def logistic_gradient(w, X, y):
    return X.T @ (sigmoid(X @ w) - y)


PROOF = "负梯度方向函数值下降最快。"
