"""Public tests of hw4: run them with `grader check hw4`. Expected values are written in.

Conventions (HOMEWORK.md hw4): W is (n_l, n_{l-1}), b is (n_l, 1), samples are the columns of X (n_0, m),
and a batch's loss and gradients are means over its m samples.
"""

import itertools

import numpy as np
import pytest
from hw4_helpers import B_CONVENTION, HIDDEN, OUTPUT_LOSS, W_CONVENTION, forward_pair

from grader.checks import ValueMismatch, as_numbers, assert_close, credit_cases, describe, translations

_ = translations(__file__)  # the messages below, in the language of the grading run

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
        _("{what} should be a list of {layers} pairs, one per layer after the input, got {value}").format(
            what=what, layers=layers, value=describe(value))
    for number, pair in enumerate(value):
        assert isinstance(pair, (list, tuple)) and len(pair) == 2, \
            _("{what}[{number}] should be a pair, got {value}").format(what=what, number=number, value=describe(pair))
    return value


def assert_shape(value, shape, name, convention):
    """Only the shape: (n,) stands for (n, 1) where that is unambiguous."""
    got = np.shape(np.asarray(value, dtype=float))
    allowed = {shape} | ({(shape[0],)} if shape[1:] == (1,) else set())
    assert got in allowed, _("{name} has shape {got}; expected {shape} = {convention}{transposed}").format(
        name=name, got=got, shape=shape, convention=convention,
        transposed=_(" (transposed?)") if got == shape[::-1] else "")


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
    assert_close(submission.sigmoid([-800.0, 0.0, 800.0]), [0, 0.5, 1],
                 name=_("{call} (finite at ±800: exp(800) overflows; use exp(−|z|))").format(
                     call="sigmoid([-800, 0, 800])"))


@pytest.mark.points(1)
def test_derivative_values(submission):
    """the derivatives with respect to z, with relu'(0) = 0 and leaky_relu'(0) = gamma"""
    assert_close(submission.sigmoid_prime(Z), [[0.1049935854035065, 0.25, 0.2350037122015945],
                                               [0.19661193324148185, 0.24613408273759838, 0.045176659730912]],
                 name="sigmoid_prime(z)")
    assert_close(submission.tanh_prime(Z), [[0.07065082485316443, 1.0, 0.7864477329659274],
                                            [0.41997434161402614, 0.940014848806378, 0.009866037165440211]],
                 name="tanh_prime(z)")
    assert_close(submission.relu_prime(Z), [[0, 0, 1], [1, 0, 1]],
                 name=_("{call} (relu_prime(0) is 0)").format(call="relu_prime(z)"))
    assert_close(submission.leaky_relu_prime(Z), [[0.01, 0.01, 1], [1, 0.01, 1]],
                 name=_("{call} (leaky_relu_prime(0) is gamma)").format(call="leaky_relu_prime(z)"))
    assert_close(submission.leaky_relu_prime(Z, gamma=0.2), [[0.2, 0.2, 1], [1, 0.2, 1]],
                 name="leaky_relu_prime(z, gamma=0.2)")
    assert_close(submission.sigmoid_prime([-800.0, 0.0, 800.0]), [0, 0.25, 0],
                 name=_("{call} (finite at ±800: write it as σ(z)(1 − σ(z)) with a stable σ)").format(
                     call="sigmoid_prime([-800, 0, 800])"))


@pytest.mark.points(1)
def test_softmax_per_column(submission):
    """softmax normalises each column (sample), also for large values"""
    z = [[1.0, 0.0, 1000.0], [2.0, 0.0, 1000.0], [3.0, 0.0, 999.0]]
    expected = [[0.09003057317038046, 1 / 3, 0.4223187982515182],
                [0.24472847105479764, 1 / 3, 0.4223187982515182],
                [0.6652409557748218, 1 / 3, 0.15536240349696362]]
    assert_close(submission.softmax(z), expected,
                 name=_("{call} (each column sums to 1; subtract its max first)").format(call="softmax(z)"))


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
    A_L, _cache = forward_pair(submission.forward(PARAMS, X, activation="tanh", output="sigmoid"))
    assert_close(A_L, [[0.37993190220154727, 0.4731617635553645]], name="A_L", convention="(n_L, m)")


@pytest.mark.points(2)
def test_backward_small_network(submission):
    """backward on the same network: the batch-mean gradients, shaped like the params"""
    _A_L, cache = forward_pair(submission.forward(PARAMS, X, activation="tanh", output="sigmoid"))
    grads = layer_pairs(submission.backward(PARAMS, cache, Y, activation="tanh", output="sigmoid", loss="half_sse"),
                        "backward(...)", 2)
    (dW1, db1), (dW2, db2) = grads
    assert_close(dW1, [[-0.07075777382135515, -0.09243928162726271],
                       [0.014703313051568976, 0.0002121387349718418],
                       [-0.024301295480863648, -0.026829023567949944]],
                 name="grads[0] dW", convention="(n_l, n_{l-1})")
    assert_close(db1, [[-0.011866254602818059], [-0.020330071790230355], [0.001826985391669176]],
                 name="grads[0] db", convention=_("{shape}, the mean over the samples").format(shape="(n_l, 1)"))
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


# -- properties checked against your own functions ----------------------------------------------------------
# These tests build small random networks of their own and check your functions against each other and against
# the rules of the statement; they never use the graded data's answers.


def _pre_activations(params, X, activation):
    """z of every hidden layer, computed here only to keep the random networks away from relu's kink at 0."""
    f = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0),
         "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z)}[activation]
    a, zs = X, []
    for W, b in params[:-1]:
        zs.append(W @ a + b)
        a = f(zs[-1])
    zs.append(params[-1][0] @ a + params[-1][1])
    return zs


def random_network(seed, sizes, m, activation, output):
    """A seeded network (W of (n_l, n_{l-1}), b of (n_l, 1)), a batch X (n_0, m) and targets Y (n_L, m)."""
    rng = np.random.default_rng(seed)
    while True:  # redraw until no z sits within 1e-3 of a kink: central differences stay exact there
        params = [(rng.normal(0, 0.8, (n_out, n_in)), rng.normal(0, 0.3, (n_out, 1)))
                  for n_in, n_out in itertools.pairwise(sizes)]
        X = rng.normal(0, 1, (sizes[0], m))
        if output == "softmax":
            Y = np.eye(sizes[-1])[rng.integers(sizes[-1], size=m)].T  # one-hot columns
        else:
            Y = rng.uniform(0, 1, (sizes[-1], m))
        if min(np.min(np.abs(z)) for z in _pre_activations(params, X, activation)) > 1e-3:
            return params, X, Y


def batch_loss(A_L, Y, loss):
    """The batch-mean loss of the statement: ½‖y − a‖² or −Σ y ln a per sample (column), averaged over m."""
    A_L = as_numbers(A_L, "A_L").reshape(Y.shape)
    if loss == "ce":
        return float(-np.sum(Y * np.log(A_L)) / Y.shape[1])
    return float(0.5 * np.sum((Y - A_L) ** 2) / Y.shape[1])


def central_differences(submission, params, X, Y, activation, output, loss, eps=1e-6):
    """∂(batch-mean loss)/∂θ for every entry of every W and b, by central differences of YOUR forward."""
    copies = [[W.copy(), b.copy()] for W, b in params]

    def loss_now():
        A_L, _cache = forward_pair(submission.forward(copies, X, activation, output))
        return batch_loss(A_L, Y, loss)

    grads = []
    for pair in copies:
        layer = []
        for array in pair:
            grad = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                original = array[index]
                array[index] = original + eps
                plus = loss_now()
                array[index] = original - eps
                minus = loss_now()
                array[index] = original
                grad[index] = (plus - minus) / (2 * eps)
            layer.append(grad)
        grads.append(tuple(layer))
    return grads


def gradient_hint(loss, layer, layers):
    """Where to look when the wrong gradient matches none of the patterns assert_close knows (a flipped sign,
    a factor such as a sum over the batch instead of the mean)."""
    if loss == "ce" and layer == layers - 1:
        return _(" Hint: with output=\"softmax\", loss=\"ce\" the output delta is simply δ^(L) = a − y "
                 "(do not multiply by a derivative again).")
    if layer < layers - 1:
        return _(" Hint: the output layer is right but this hidden layer is not: BP2 is δ^(l) = "
                 "((W^(l+1))ᵀ δ^(l+1)) ⊙ f'(z^(l)), with the transpose and the factor f'(z^(l)).")
    return _(" Hint: check BP1, δ^(L) = −(y − a) ⊙ f'(z^(L)), and dW = δ a_prevᵀ / m, db = the row means of δ.")


def check_gradients(grads, expected, output, loss, sizes):
    """Every (dW, db) of ``grads`` equals ``expected`` (central differences), named by layer, with a hint."""
    layers = len(sizes) - 1
    assert isinstance(grads, (list, tuple)) and len(grads) == layers, \
        _("backward should return a list of {layers} pairs (dW, db), one per layer after the input, "
          "got {value}").format(layers=layers, value=describe(grads))
    for number in reversed(range(layers)):  # from the output layer back, the order backpropagation goes
        pair, (dW_want, db_want) = grads[number], expected[number]
        assert isinstance(pair, (list, tuple)) and len(pair) == 2, \
            _("grads[{number}] should be a pair (dW, db), got {value}").format(number=number, value=describe(pair))
        for got, want, label, convention in ((pair[0], dW_want, "dW", W_CONVENTION),
                                             (pair[1], db_want, "db", B_CONVENTION)):
            flipped = {_("the sign is flipped: δ^(L) = −(y − a) ⊙ f'(z) = (a − y) ⊙ f'(z)"): -want}
            try:
                assert_close(got, want, name=f"grads[{number}] {label}", convention=convention, rtol=1e-5,
                             atol=1e-7, mistakes=flipped)
            except ValueMismatch as wrong:  # a wrong value, not a wrong shape
                hint = "" if wrong.hint else gradient_hint(loss, number, layers)
                raise AssertionError(_("{wrong} (expected: central differences of your forward).{hint}").format(
                    wrong=wrong, hint=hint)) from None


@pytest.mark.points(2)
def test_backward_agrees_with_your_forward(submission, partial_credit):
    """gradient check: backward equals central differences of your own forward, every activation/output pair"""
    sizes = [2, 3, 2, 3]  # two hidden layers, no square W: a missing transpose shows
    cases = []
    for number, (activation, (output, loss)) in enumerate(
            (a, o) for a in HIDDEN for o in OUTPUT_LOSS):

        def check(activation=activation, output=output, loss=loss, seed=700 + number):
            params, X, Y = random_network(seed, sizes, 2, activation, output)
            expected = central_differences(submission, params, X, Y, activation, output, loss)
            _A_L, cache = forward_pair(submission.forward(params, X, activation, output))
            grads = submission.backward(params, cache, Y, activation=activation, output=output, loss=loss)
            check_gradients(grads, expected, output, loss, sizes)

        cases.append((_('network {sizes}, m=2, activation="{activation}", output="{output}", loss="{loss}"').format(
            sizes=sizes, activation=activation, output=output, loss=loss), check))
    credit_cases(cases, partial_credit)


@pytest.mark.points(1)
def test_init_params_variances(submission, partial_credit):
    """init_params: mean 0 and the variance of each method (normal 0.01², xavier 2/(n_in+n_out), he 2/n_in)"""
    sizes = [200, 100, 50]
    rules = {"normal": ("0.01²", lambda n_in, n_out: 1e-4),
             "xavier": ("2/(n_{l-1}+n_l)", lambda n_in, n_out: 2 / (n_in + n_out)),
             "he": ("2/n_{l-1}", lambda n_in, n_out: 2 / n_in)}

    def check(method):
        rule, expected = rules[method]
        params = layer_pairs(submission.init_params(sizes, seed=5, method=method),
                             f'init_params({sizes}, seed=5, method="{method}")', 2)
        for number, (W, _b) in enumerate(params):
            n_in, n_out = sizes[number], sizes[number + 1]
            assert_shape(W, (n_out, n_in), f"{method} params[{number}] W", W_CONVENTION)
            W = as_numbers(W, f"{method} params[{number}] W")
            want, got, mean = expected(n_in, n_out), float(np.var(W)), float(np.mean(W))
            # With 5 000 or more draws the sample variance is within 4% of the true one (beyond 5 sigma): 20% is wide.
            if abs(got / want - 1) < 0.2 and abs(mean) < 0.1 * np.sqrt(want):
                continue
            hint = ""
            if abs(got / want**2 - 1) < 0.2:
                hint = _(" Hint: the variance was given as the standard deviation: rng.normal takes the std, "
                         "√variance.")
            elif method == "he" and abs(got / (1 / n_in) - 1) < 0.2:
                hint = _(" Hint: He's variance is 2/n_{{l-1}}, not 1/n_{{l-1}}.").format()
            elif method != "normal" and abs(got / expected(n_out, n_in) - 1) < 0.2:
                hint = _(" Hint: n_{{l-1}} (fan-in) is the number of columns of W, n_l the number of rows.").format()
            elif method == "xavier" and abs(got / (want / 3) - 1) < 0.2:
                hint = _(" Hint: U(−r, r) has variance r²/3: take r = √(6/(n_{{l-1}}+n_l)).").format()
            raise AssertionError(_(
                'init_params(method="{method}") params[{number}] W ({rows}×{columns}) has mean {mean} and variance '
                "{variance}; expected mean 0 and variance {rule} = {want} (within 20%).{hint}").format(
                    method=method, number=number, rows=n_out, columns=n_in, mean=f"{mean:.3g}",
                    variance=f"{got:.4g}", rule=rule, want=f"{want:.4g}", hint=hint))

    credit_cases([(f'method="{method}"', lambda method=method: check(method)) for method in rules], partial_credit)


@pytest.mark.points(1)
def test_numerical_gradient_restores_x(submission):
    """numerical_gradient moves one entry at a time and puts it back: f sees x changed at one entry at most"""
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    original = x.copy()
    seen = []

    def coupled(v):  # Σ x³ + x_first·x_last: its gradient depends on other entries, unlike Σ x³ alone
        v = np.array(v, dtype=float)
        seen.append(v.reshape(x.shape))
        flat = v.ravel()
        return float(np.sum(flat**3) + flat[0] * flat[-1])

    grad = submission.numerical_gradient(coupled, x)
    got_shape = np.shape(as_numbers(grad, "numerical_gradient(f, x)"))
    assert got_shape == x.shape, _("numerical_gradient returned shape {got}; expected {shape}, the shape of x").format(
        got=got_shape, shape=x.shape)
    for number, point in enumerate(seen):
        moved = [tuple(int(i) for i in index) for index in np.argwhere(point != original)]
        assert len(moved) <= 1, _(
            "call {call} of f saw x changed at {count} entries {moved}; only the entry being "
            "perturbed may differ: put every entry back (x[i] = original) before moving to the next").format(
                call=number + 1, count=len(moved), moved=moved[:4])
    expected = 3 * original**2
    expected[0, 0] += original[-1, -1]
    expected[-1, -1] += original[0, 0]
    assert_close(grad, expected, name="numerical_gradient(Σ x³ + x_first·x_last, x)", rtol=1e-7, atol=1e-8)


LECTURE_NETWORK = [  # the given network of the statement (LECTURE_PARAMS, LECTURE_X, LECTURE_Y)
    (np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.1, 0.05]]),
     np.array([[0.1], [-0.1], [0.2], [0.0]])),
    (np.array([[0.3, -0.5, 0.2, 0.7], [-0.4, 0.6, 0.1, -0.2]]), np.array([[0.05], [-0.05]])),
]
LECTURE_INPUT, LECTURE_TARGET = np.array([[1.0], [0.5], [-1.5]]), np.array([[1.0], [0.0]])


@pytest.mark.points(0)  # an early warning only: DE_DTHETA_23's 3 points are for its value (hidden), not for forward
def test_de_dtheta_23_agrees_with_your_forward(submission):
    """DE_DTHETA_23 is ∂E/∂Θ^(3)_{23} by central differences of YOUR forward on the given network (never its value)"""
    answer = submission.DE_DTHETA_23
    try:
        value = float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        raise AssertionError(_("DE_DTHETA_23 should be one number, got {value}").format(
            value=describe(answer))) from None
    # Every ∂E/∂Θ of the given network by central differences of your forward (sigmoid, E = ½‖y − a‖², m = 1).
    # Θ^(3) is params[1] (the lecture counts the input as layer 1); Θ^(3)_{23} is row 2, column 3 counted from 1.
    (dW2, _db2), (dW3, _db3) = central_differences(submission, LECTURE_NETWORK, LECTURE_INPUT, LECTURE_TARGET,
                                             "sigmoid", "sigmoid", "half_sse")
    wanted = dW3[1, 2]
    if np.isclose(value, wanted, rtol=1e-5, atol=1e-9):
        return
    if np.isclose(value, wanted, rtol=2e-3, atol=0):
        raise AssertionError(_("DE_DTHETA_23 agrees with ∂E/∂Θ^(3)_{{23}} of your forward to about 3 digits only; "
                               "give at least 6 significant digits (rtol 1e-5)").format())
    if np.isclose(value, -wanted, rtol=1e-4, atol=1e-9):
        raise AssertionError(_("DE_DTHETA_23 has the wrong sign: ∂E/∂Θ^(3)_{{23}} = δ^(3)_2 a^(2)_3 with "
                               "δ^(3) = −(y − a) ⊙ σ'(z), not (y − a) ⊙ σ'(z)").format())
    for lecture, dW in ((2, dW2), (3, dW3)):
        for i, j in np.ndindex(dW.shape):
            if (lecture, i, j) != (3, 1, 2) and np.isclose(value, dW[i, j], rtol=1e-4, atol=1e-9):
                raise AssertionError(_(
                    "DE_DTHETA_23 is ∂E/∂Θ^({lecture})_{{{row}{column}}} "
                    "(grads[{layer}][0][{i}, {j}] in code); "
                    "the question asks for Θ^(3) = params[1] (the lecture counts the input as layer 1), row 2, "
                    "column 3 counted from 1: grads[1][0][1, 2] = δ^(3)_2 a^(2)_3").format(
                        lecture=lecture, row=i + 1, column=j + 1, layer=lecture - 2, i=i, j=j))
    raise AssertionError(_("DE_DTHETA_23 does not equal ∂E/∂Θ^(3)_{{23}} = δ^(3)_2 a^(2)_3 computed by central "
                           "differences of your own forward on the given network (rtol 1e-5); if your forward passes "
                           "the tests above, recheck the hand derivation (this check is worth 0 points: it relies on "
                           "your forward; the graded test checks the value alone)").format())


@pytest.mark.points(1)
@pytest.mark.timeout(60)
def test_train_makes_one_step_per_mini_batch(submission, partial_credit):
    """train: one sgd_update per mini-batch, the last smaller one included (identical samples: order cannot matter)"""
    sizes = [2, 3, 1]

    def run(n, batch_size, epochs):
        """The params after train on n copies of one sample: every batch has the same mean gradient."""
        X, Y = np.tile([[0.5], [-1.0]], n), np.tile([[0.9]], n)
        what = _("train(X of {n} identical samples, lr=0.5, epochs={epochs}, batch_size={batch_size}, seed=3)").format(
            n=n, epochs=epochs, batch_size=batch_size)
        result = submission.train(X, Y, sizes, lr=0.5, epochs=epochs, batch_size=batch_size, seed=3)
        assert isinstance(result, (list, tuple)) and len(result) == 2, \
            _("{what} should return (params, losses), got {value}").format(what=what, value=describe(result))
        params = layer_pairs(result[0], _("the params of {what}").format(what=what), 2)
        losses = np.ravel(as_numbers(result[1], _("the losses of {what}").format(what=what)))
        assert len(losses) == epochs, _("{what} returned {count} losses; expected one per epoch, {epochs}").format(
            what=what, count=len(losses), epochs=epochs)
        for number, (W, b) in enumerate(params):
            assert_shape(W, (sizes[number + 1], sizes[number]),
                         _("the params of {what}: [{number}] {array}").format(what=what, number=number, array="W"),
                         W_CONVENTION)
            assert_shape(b, (sizes[number + 1], 1),
                         _("the params of {what}: [{number}] {array}").format(what=what, number=number, array="b"),
                         B_CONVENTION)
        return [np.concatenate([as_numbers(W, "W").ravel(), as_numbers(b, "b").ravel()]) for W, b in params]

    def same(first, second):
        return all(np.allclose(u, v, rtol=1e-6, atol=1e-9) for u, v in zip(first, second))

    def check(batch_size, steps):
        got = run(5, batch_size, 1)
        if same(got, run(5, None, steps)):  # full batch: one step per epoch
            return
        hint = ""
        if batch_size < 5 and same(got, run(5, None, 1)):
            hint = _(" It made one full-batch step: is batch_size used (None: the full batch, else batch_size "
                     "columns)?")
        elif 5 % batch_size and same(got, run(5 - 5 % batch_size, batch_size, 1)):  # only the full batches
            hint = _(" The last, smaller mini-batch made no step: range(0, N, batch_size) keeps it.")
        elif batch_size < 5:
            hint = _(" If the number of steps is right, their size depends on the batch's size: the gradients must be "
                     "means over the batch (divide by its number of columns), not sums.")
        raise AssertionError(_(
            "train(batch_size={batch_size}, epochs=1) on 5 identical samples should make ceil(5/{batch_size}) = "
            "{steps} sgd_update steps (the last batch may be smaller), so end where train(batch_size=None, "
            "epochs={steps}) ends (same seed, same start); it does not.{hint}").format(
                batch_size=batch_size, steps=steps, hint=hint))

    credit_cases([(f"batch_size={b}", lambda b=b, k=k: check(b, k)) for b, k in ((2, 3), (1, 5), (3, 2), (7, 1))],
                 partial_credit)
