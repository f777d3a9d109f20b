# ALTERNATIVE a03: vectorised NumPy (dot product of neighbouring widths); results are NumPy integers,
# the answers tuples of arrays summed. Must get full auto marks (14/14).
import numpy as np

DIGIT_NET = np.array([784, 256, 128, 10])


def count_macs(layer_sizes):
    n = np.asarray(layer_sizes, dtype=np.int64)
    return n[:-1] @ n[1:]


def count_params(layer_sizes, bias=True):
    n = np.asarray(layer_sizes, dtype=np.int64)
    return count_macs(n) + (n[1:].sum() if bias else 0)


def weight_shapes(layer_sizes):
    n = list(layer_sizes)
    return [(n_out, n_in) for n_in, n_out in zip(n[:-1], n[1:])]


# The check the lecture suggests: build the arrays and count their entries.
_arrays = [(np.zeros(s), np.zeros((s[0], 1))) for s in weight_shapes(DIGIT_NET)]
Q5_PARAMS = sum(W.size + b.size for W, b in _arrays)
assert Q5_PARAMS == count_params(DIGIT_NET)
Q5_PARAMS_256 = count_params(np.r_[256 * 256, DIGIT_NET[1:]])
Q5_GROWTH = np.float32(Q5_PARAMS_256) / np.float32(Q5_PARAMS)

Q5_MEASURES = "卷积 + 池化；剪枝；量化；GPU。"
