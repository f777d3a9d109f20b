"""Public tests of hw4: run them with `grader check hw4`. Expected values are written in.

Conventions (HOMEWORK.md hw4): W is (n_l, n_{l-1}), b is (n_l, 1), samples are the columns of X (n_0, m),
and a batch's loss and gradients are means over its m samples.
"""

import numpy as np
import pytest
from hw4_helpers import forward_pair

from grader.checks import assert_close, describe

Z = [[-2.0, 0.0, 0.5], [1.0, -0.25, 3.0]]

# A 2-3-1 network (tanh hidden layer, sigmoid output) and a batch of two samples, one per column.
PARAMS = [
    (np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]]), np.array([[0.1], [0.0], [-0.2]])),
    (np.array([[0.7, -0.4, 0.3]]), np.array([[0.05]])),
]
X = np.array([[1.0, -0.5], [2.0, 0.25]])
Y = np.array([[1.0, 0.0]])


def layer_pairs(value, what, layers):
    """A list of (first, second) pairs, one per layer."""
    assert isinstance(value, (list, tuple)) and len(value) == layers, \
        f"{what} should be a list of {layers} pairs, one per layer after the input, got {describe(value)}"
    for number, pair in enumerate(value):
        assert isinstance(pair, (list, tuple)) and len(pair) == 2, \
            f"{what}[{number}] should be a pair, got {describe(pair)}"
    return value


def assert_shape(value, shape, name, convention):
    """Only the shape: (n,) stands for (n, 1) where that is unambiguous."""
    got = np.shape(np.asarray(value, dtype=float))
    allowed = {shape} | ({(shape[0],)} if shape[1:] == (1,) else set())
    assert got in allowed, f"{name} has shape {got}; expected {shape} = {convention}" + \
        (" (transposed?)" if got == shape[::-1] else "")


@pytest.mark.points(1)
def test_activation_values(submission):
    """sigmoid, tanh, relu, leaky_relu on a 2×3 array"""
    assert_close(submission.sigmoid(Z), [[0.11920292202211755, 0.5, 0.6224593312018546],
                                         [0.7310585786300049, 0.4378234991142019, 0.9525741268224334]],
                 name="sigmoid(z)")
    assert_close(submission.tanh(Z), [[-0.9640275800758169, 0.0, 0.46211715726000974],
                                      [0.7615941559557649, -0.24491866240370913, 0.9950547536867305]], name="tanh(z)")
    assert_close(submission.relu(Z), [[0, 0, 0.5], [1, 0, 3]], name="relu(z)")
    assert_close(submission.leaky_relu(Z), [[-0.02, 0, 0.5], [1, -0.0025, 3]], name="leaky_relu(z)")
    assert_close(submission.leaky_relu(Z, gamma=0.2), [[-0.4, 0, 0.5], [1, -0.05, 3]], name="leaky_relu(z, gamma=0.2)")


@pytest.mark.points(1)
def test_derivative_values(submission):
    """the derivatives with respect to z, with relu'(0) = 0 and leaky_relu'(0) = gamma"""
    assert_close(submission.sigmoid_prime(Z), [[0.1049935854035065, 0.25, 0.2350037122015945],
                                               [0.19661193324148185, 0.24613408273759838, 0.045176659730912]],
                 name="sigmoid_prime(z)")
    assert_close(submission.tanh_prime(Z), [[0.07065082485316443, 1.0, 0.7864477329659274],
                                            [0.41997434161402614, 0.940014848806378, 0.009866037165440211]],
                 name="tanh_prime(z)")
    assert_close(submission.relu_prime(Z), [[0, 0, 1], [1, 0, 1]], name="relu_prime(z) (relu_prime(0) is 0)")
    assert_close(submission.leaky_relu_prime(Z), [[0.01, 0.01, 1], [1, 0.01, 1]],
                 name="leaky_relu_prime(z) (leaky_relu_prime(0) is gamma)")
    assert_close(submission.leaky_relu_prime(Z, gamma=0.2), [[0.2, 0.2, 1], [1, 0.2, 1]],
                 name="leaky_relu_prime(z, gamma=0.2)")


@pytest.mark.points(1)
def test_softmax_per_column(submission):
    """softmax normalises each column (sample), also for large values"""
    z = [[1.0, 0.0, 1000.0], [2.0, 0.0, 1000.0], [3.0, 0.0, 999.0]]
    expected = [[0.09003057317038046, 1 / 3, 0.4223187982515182],
                [0.24472847105479764, 1 / 3, 0.4223187982515182],
                [0.6652409557748218, 1 / 3, 0.15536240349696362]]
    assert_close(submission.softmax(z), expected, name="softmax(z) (each column sums to 1; subtract its max first)")


@pytest.mark.points(1)
def test_init_params_shapes(submission):
    """init_params([3, 4, 2]) gives W of (n_l, n_{l-1}) and b of (n_l, 1); method "zeros" is all zeros"""
    for method in ("xavier", "zeros"):
        params = layer_pairs(submission.init_params([3, 4, 2], seed=0, method=method),
                             f'init_params([3, 4, 2], method="{method}")', 2)
        for number, ((W, b), (n_out, n_in)) in enumerate(zip(params, [(4, 3), (2, 4)])):
            assert_shape(W, (n_out, n_in), f"{method} params[{number}] W", "(n_l, n_{l-1})")
            assert_shape(b, (n_out, 1), f"{method} params[{number}] b", "(n_l, 1)")
            if method == "zeros":
                assert_close(W, np.zeros((n_out, n_in)), name=f"zeros params[{number}] W")
                assert_close(b, np.zeros((n_out, 1)), name=f"zeros params[{number}] b")


@pytest.mark.points(1)
def test_forward_small_network(submission):
    """forward on a 2-3-1 tanh/sigmoid network with two samples as columns"""
    A_L, _ = forward_pair(submission.forward(PARAMS, X, activation="tanh", output="sigmoid"))
    assert_close(A_L, [[0.37993190220154727, 0.4731617635553645]], name="A_L", convention="(n_L, m)")


@pytest.mark.points(2)
def test_backward_small_network(submission):
    """backward on the same network: the batch-mean gradients, shaped like the params"""
    _, cache = forward_pair(submission.forward(PARAMS, X, activation="tanh", output="sigmoid"))
    grads = layer_pairs(submission.backward(PARAMS, cache, Y, activation="tanh", output="sigmoid", loss="half_sse"),
                        "backward(...)", 2)
    (dW1, db1), (dW2, db2) = grads
    assert_close(dW1, [[-0.07075777382135515, -0.09243928162726271],
                       [0.014703313051568976, 0.0002121387349718418],
                       [-0.024301295480863648, -0.026829023567949944]],
                 name="grads[0] dW", convention="(n_l, n_{l-1})")
    assert_close(db1, [[-0.011866254602818059], [-0.020330071790230355], [0.001826985391669176]],
                 name="grads[0] db", convention="(n_l, 1), the mean over the samples")
    assert_close(dW2, [[-0.013049856349272915, -0.06327581891575387, 0.04655923339714178]],
                 name="grads[1] dW", convention="(n_l, n_{l-1})")
    assert_close(db2, [[-0.014064140070478189]], name="grads[1] db", convention="(n_l, 1)")


@pytest.mark.points(1)
def test_numerical_gradient_of_a_cubic(submission):
    """numerical_gradient of Σ x³ is 3x² (central differences; forward differences are not accurate enough)"""
    x = np.array([[1.0, 2.0], [-1.0, 0.5]])

    def cubic(v):
        return float(np.sum(np.asarray(v, dtype=float) ** 3))

    grad = submission.numerical_gradient(cubic, x)
    assert_close(grad, 3 * x**2, name="numerical_gradient(Σ x³, x)", rtol=1e-7, atol=1e-8)


@pytest.mark.points(1)
def test_sgd_update_example(submission):
    """sgd_update returns W − lr·dW and b − lr·db"""
    params = [(np.ones((2, 3)), np.zeros((2, 1)))]
    grads = [(np.full((2, 3), 2.0), np.array([[1.0], [-1.0]]))]
    ((W, b),) = layer_pairs(submission.sgd_update(params, grads, 0.25), "sgd_update(...)", 1)
    assert_close(W, np.full((2, 3), 0.5), name="W − lr·dW")
    assert_close(b, [[-0.25], [0.25]], name="b − lr·db")
