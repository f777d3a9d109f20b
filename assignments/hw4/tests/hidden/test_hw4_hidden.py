"""Hidden tests of hw4: random networks against the reference and against central differences computed here,
the stability cases of the contract, real training, and the hand-derived gradient.

Every random input is drawn from a fixed seed, so grading twice gives the same scores. Tests that run many
cases give partial credit for the share of cases right and report the first wrong one.
"""

import itertools
import math

import numpy as np
import pytest
from hw4_helpers import B_CONVENTION, HIDDEN, OUTPUT_LOSS, W_CONVENTION, forward_pair

from grader.checks import as_numbers, assert_close, credit_cases, describe, translations
from reference import mlp
from reference.solutions.hw4 import LECTURE_PARAMS, LECTURE_X, LECTURE_Y

# The messages below, in the language of the grading run. Spelled with the keyword: the public tests' line
# `_ = translations(__file__)` would otherwise be this hidden line verbatim, which the release's leak check refuses.
_ = translations(test_file=__file__)

# -- helpers ------------------------------------------------------------------------------------------


class Case:
    """One seeded random network with a batch: what the tests feed both sides."""

    def __init__(self, seed, activation=None, output=None, m=None):
        rng = np.random.default_rng(seed)
        self.activation = activation or HIDDEN[int(rng.integers(len(HIDDEN)))]
        self.output, self.loss = (output, dict(OUTPUT_LOSS)[output]) if output else \
            OUTPUT_LOSS[int(rng.integers(len(OUTPUT_LOSS)))]
        while True:  # redraw until no z sits within 1e-3 of a relu kink: central differences stay exact
            depth = int(rng.integers(1, 4))
            self.sizes = [int(n) for n in rng.integers(1, 7, depth + 2)]
            if self.output == "softmax":
                self.sizes[-1] = max(self.sizes[-1], 2)
            self.m = m if m is not None else int(rng.choice([1, 1, 2, 3, 5, 8]))
            self.params = [(rng.normal(0, 0.8, (n_out, n_in)), rng.normal(0, 0.3, (n_out, 1)))
                           for n_in, n_out in itertools.pairwise(self.sizes)]
            self.X = rng.normal(0, 1.0, (self.sizes[0], self.m))
            if self.output == "softmax":
                self.Y = np.eye(self.sizes[-1])[rng.integers(self.sizes[-1], size=self.m)].T
            else:
                self.Y = rng.uniform(0, 1, (self.sizes[-1], self.m))
            _A_L, cache = mlp.forward(self.params, self.X, self.activation, self.output)
            if min(np.min(np.abs(layer.z)) for layer in cache.layers) > 1e-3:
                break

    def __str__(self):
        return _("network {sizes}, {activation} hidden, {output} output, loss {loss}, m={m}").format(
            sizes=self.sizes, activation=self.activation, output=self.output, loss=self.loss, m=self.m)

    def reference_forward(self):
        return mlp.forward(self.params, self.X, self.activation, self.output)

    def reference_grads(self):
        _A_L, cache = self.reference_forward()
        return mlp.backward(self.params, cache, self.Y, self.activation, self.output, self.loss)

    def numerical_grads(self):
        """Central differences of the batch-mean loss, computed here with fresh copies of the params."""
        copies = [(W.copy(), b.copy()) for W, b in self.params]

        def batch_loss(_array):
            return mlp.objective(copies, self.X, self.Y, self.activation, self.output, self.loss)

        return [tuple(mlp.numerical_gradient(batch_loss, array, 1e-6) for array in pair) for pair in copies]

    def student_grads(self, submission):
        _A_L, cache = forward_pair(submission.forward(self.params, self.X, self.activation, self.output))
        grads = submission.backward(self.params, cache, self.Y, self.activation, self.output, self.loss)
        return layer_pairs(grads, "backward(...)", self.sizes)


def layer_pairs(value, what, sizes):
    """A list of one (W-like, b-like) pair per layer after the input."""
    layers = len(sizes) - 1
    assert isinstance(value, (list, tuple)) and len(value) == layers, \
        _("{what} should be a list of {layers} pairs (one per layer after the input of {sizes}), got {value}").format(
            what=what, layers=layers, sizes=sizes, value=describe(value))
    for number, pair in enumerate(value):
        assert isinstance(pair, (list, tuple)) and len(pair) == 2, \
            _("{what}[{number}] should be a pair (W, b), got {value}").format(
                what=what, number=number, value=describe(pair))
    return value


def assert_layers_close(actual, expected, what, labels=("dW", "db"), **tolerance):
    """Every (dW, db) or (W, b) of ``actual`` equals ``expected``, named by layer, with the shape convention."""
    for number, ((W, b), (W_want, b_want)) in enumerate(zip(actual, expected)):
        assert_close(W, W_want, name=f"{what}[{number}] {labels[0]}", convention=W_CONVENTION, **tolerance)
        assert_close(b, b_want, name=f"{what}[{number}] {labels[1]}", convention=B_CONVENTION, **tolerance)


def as_params(value, sizes, what):
    """The submission's params as reference arrays: W (n_l, n_{l-1}), b (n_l, 1); (n_l,) biases allowed."""
    params = []
    for number, (W, b) in enumerate(layer_pairs(value, what, sizes)):
        n_out, n_in = sizes[number + 1], sizes[number]
        W_array, b_array = as_numbers(W, f"{what}[{number}][0]"), as_numbers(b, f"{what}[{number}][1]")
        got_W, got_b = W_array.shape, b_array.shape
        if got_W != (n_out, n_in):
            flipped = _(" (transposed?)") if got_W == (n_in, n_out) else ""
            raise AssertionError(_("{what}[{number}][0] has shape {got}{flipped}; expected ({rows}, {columns}) = "
                                   "{convention}").format(what=what, number=number, got=got_W, flipped=flipped,
                                                          rows=n_out, columns=n_in, convention=W_CONVENTION))
        if got_b not in ((n_out, 1), (n_out,)):
            raise AssertionError(_("{what}[{number}][1] has shape {got}; expected ({rows}, 1) = {convention}").format(
                what=what, number=number, got=got_b, rows=n_out, convention=B_CONVENTION))
        params.append((W_array, b_array.reshape(n_out, 1)))
    return params


def score_cases(cases, check, partial_credit):
    """Run ``check`` on every case; credit the share that passes and report the first that does not."""
    credit_cases([(str(case), lambda c=case: check(c)) for case in cases], partial_credit)


class Named:
    """A value with the label the feedback uses for it."""

    def __init__(self, value, label):
        self.value, self.label = value, label

    def __str__(self):
        return self.label


def label(name, options):
    return f"{name}(z{''.join(f', {key}={value}' for key, value in options.items())})"


def derivative(name, gamma=0.01):
    return mlp.activation_pair(name, gamma)[1]


# -- activations and derivatives ---------------------------------------------------------------------


def activation_inputs():
    rng = np.random.default_rng(41)
    yield rng.normal(0, 3, (3, 4))
    yield rng.normal(0, 3, 5)
    yield np.array([[0.0, -0.0, 1e-12, -1e-12, 7.5, -7.5]])
    yield rng.normal(0, 2, (6, 1))


@pytest.mark.points(2)
def test_activations_match_the_reference(submission, partial_credit):
    """sigmoid, tanh, relu, leaky_relu (default and other gamma) on random arrays of several shapes"""
    calls = [("sigmoid", {}), ("tanh", {}), ("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"gamma": 0.1})]

    def check(call):
        name, options = call
        f = mlp.activation_pair(name, **options)[0]
        for z in activation_inputs():
            assert_close(getattr(submission, name)(z, **options), f(z),
                         name=_("{call} for z of shape {shape}").format(call=f"{name}(z)", shape=z.shape))

    score_cases([Named(call, label(*call)) for call in calls], lambda c: check(c.value), partial_credit)


@pytest.mark.points(2)
def test_derivatives_match_the_reference(submission, partial_credit):
    """sigmoid_prime, tanh_prime, relu_prime, leaky_relu_prime on random arrays, exact zeros included"""
    calls = [("sigmoid", {}), ("tanh", {}), ("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"gamma": 0.1})]

    def check(call):
        name, options = call
        f_prime = derivative(name, **options)
        for z in activation_inputs():
            rule = {"relu": _(" (relu_prime(0) is 0)"),
                    "leaky_relu": _(" (leaky_relu_prime(0) is gamma)")}.get(name, "")
            assert_close(getattr(submission, f"{name}_prime")(z, **options), f_prime(z),
                         name=_("{call} for z of shape {shape}").format(call=f"{name}_prime(z)", shape=z.shape) + rule)

    score_cases([Named(call, label(f"{call[0]}_prime", call[1])) for call in calls], lambda c: check(c.value),
                partial_credit)


@pytest.mark.points(1)
def test_softmax_normalises_each_column(submission):
    """softmax of (n, m) arrays: one distribution per column (sample), also for m = 1 and n = 1"""
    rng = np.random.default_rng(43)
    for shape in [(3, 5), (5, 2), (4, 1), (1, 3), (2, 2)]:
        z = rng.normal(0, 2, shape) + rng.normal(0, 20, (1, shape[1]))  # columns at different heights
        assert_close(submission.softmax(z), mlp.softmax(z),
                     name=_("{call} for z of shape {shape}").format(call="softmax(z)", shape=shape),
                     convention=_("(n, m): softmax over each column, the axis of the n outputs"))


@pytest.mark.points(2)
def test_large_values_stay_finite(submission, partial_credit):
    """softmax of ±1000 and ±800; sigmoid and sigmoid_prime at ±800"""
    checks = [
        ("softmax", [[1000.0], [1000.0]], [[0.5], [0.5]]),
        ("softmax", [[800.0, -800.0], [-800.0, 800.0]], [[1.0, 0.0], [0.0, 1.0]]),
        ("softmax", [[-1000.0, 1000.0], [-1000.0, 999.0]],
         mlp.softmax(np.array([[-1000.0, 1000.0], [-1000.0, 999.0]]))),
        ("sigmoid", [-800.0, 0.0, 800.0], [0.0, 0.5, 1.0]),
        ("sigmoid_prime", [-800.0, 0.0, 800.0], [0.0, 0.25, 0.0]),
        ("tanh_prime", [-800.0, 800.0], [0.0, 0.0]),
    ]

    def check(item):
        name, z, expected = item.value
        assert_close(getattr(submission, name)(np.array(z)), expected, name=f"{name}({z})")

    score_cases([Named(c, f"{c[0]}({c[1]})") for c in checks], check, partial_credit)


# -- initialisation and forward -----------------------------------------------------------------------


@pytest.mark.points(1)
def test_init_params(submission, partial_credit):
    """init_params: shapes, exact zeros, the same seed gives the same params, variances of normal/xavier/he"""
    sizes = [400, 300, 200]

    def weights(method, seed=0, layer_sizes=sizes):
        return as_params(submission.init_params(layer_sizes, seed=seed, method=method),
                         layer_sizes, f'init_params({layer_sizes}, seed={seed}, method="{method}")')

    def shapes():
        for method in ("zeros", "normal", "xavier", "he"):
            weights(method, 3, [4, 6, 1, 3])

    def zeros():
        for W, b in weights("zeros", 0, [3, 5, 2]):
            assert_close(W, np.zeros_like(W), name=_('a W of method "zeros"'))
            assert_close(b, np.zeros_like(b), name=_('a b of method "zeros"'))

    def reproducible():
        for method in ("normal", "xavier", "he"):
            first, again = weights(method, 7, [5, 4, 2]), weights(method, 7, [5, 4, 2])
            other = weights(method, 8, [5, 4, 2])
            for (W, _b), (V, _c) in zip(first, again):
                assert_close(V, W, name=_("{method}: W with seed=7 the second time").format(method=method),
                             rtol=0, atol=0)
            assert not all(np.array_equal(W, V) for (W, _b), (V, _c) in zip(first, other)), \
                _("{method}: seed=7 and seed=8 give the same W; draw them from np.random.default_rng(seed)").format(
                    method=method)

    def variance(method, expected):
        def check():
            for number, (W, _b) in enumerate(weights(method)):
                want = expected(sizes[number], sizes[number + 1])
                got = float(np.var(W))
                assert abs(got / want - 1) < 0.2 and abs(float(np.mean(W))) < 0.05 * math.sqrt(want), \
                    _("{method}: W of layer {number} has mean {mean} and variance {variance}; expected "
                      "mean 0 and variance {want} (within 20%)").format(
                          method=method, number=number, mean=f"{np.mean(W):.3g}", variance=f"{got:.4g}",
                          want=f"{want:.4g}")
        return check

    checks = [Named(shapes, _("shapes")), Named(zeros, "zeros"), Named(reproducible, _("seed")),
              Named(variance("normal", lambda n_in, n_out: 1e-4), "normal N(0, 0.01²)"),
              Named(variance("xavier", lambda n_in, n_out: 2 / (n_in + n_out)), "xavier"),
              Named(variance("he", lambda n_in, n_out: 2 / n_in), "he")]
    score_cases(checks, lambda c: c.value(), partial_credit)


@pytest.mark.points(3)
def test_forward_on_random_networks(submission, partial_credit):
    """forward: A_L of random networks (1-3 hidden layers, widths 1-6, every activation and output, m = 1 too)"""
    cases = [Case(seed) for seed in range(100, 124)]

    def check(case):
        A_L, _cache = forward_pair(submission.forward(case.params, case.X, case.activation, case.output))
        assert_close(A_L, case.reference_forward()[0], name="A_L", convention="(n_L, m)")

    score_cases(cases, check, partial_credit)


# -- the four equations ---------------------------------------------------------------------------


@pytest.mark.points(1)
def test_output_delta_follows_bp1(submission, partial_credit):
    """output_delta = −(y − a) ⊙ f'(z) for half_sse, every elementwise output, m = 1 too"""
    rng = np.random.default_rng(47)
    cases = []
    for output in ("sigmoid", "tanh", "relu", "leaky_relu", "identity"):
        for m in (1, 4):
            z = rng.normal(0, 1.5, (3, m))
            a = mlp.activation_pair(output)[0](z)  # a = f(z), as in a real forward pass
            y = rng.uniform(0, 1, (3, m))
            cases.append(Named((output, a, y, z), f"output={output!r}, m={m}"))

    def check(item):
        output, a, y, z = item.value
        assert_close(submission.output_delta(a, y, z, output), -(y - a) * derivative(output)(z),
                     name="δ^(L)", convention="(n_L, m)")

    score_cases(cases, check, partial_credit)


@pytest.mark.points(2)
def test_hidden_delta_follows_bp2(submission, partial_credit):
    """hidden_delta = (W_nextᵀ δ_next) ⊙ f'(z) for non-square and square W_next, every activation"""
    rng = np.random.default_rng(53)
    cases = []
    for activation in HIDDEN:
        for n_next, n, m in ((2, 4, 3), (3, 3, 1), (5, 2, 2)):
            W_next, delta_next = rng.normal(size=(n_next, n)), rng.normal(size=(n_next, m))
            z = rng.normal(size=(n, m))
            z[0, 0] = 0.0  # the derivative at 0 is part of the contract
            cases.append(Named((activation, W_next, delta_next, z),
                               f"activation={activation!r}, W_next {n_next}×{n}, m={m}"))

    def check(item):
        activation, W_next, delta_next, z = item.value
        expected = (W_next.T @ delta_next) * derivative(activation)(z)
        assert_close(submission.hidden_delta(W_next, delta_next, z, activation), expected, name="δ^(l)",
                     convention=_("(n_l, m), from W_nextᵀ δ_next"))

    score_cases(cases, check, partial_credit)


@pytest.mark.points(4)
def test_backward_matches_the_reference(submission, partial_credit):
    """backward on random networks equals the reference's gradients (batch means, shapes like the params)"""
    cases = [Case(seed) for seed in range(200, 236)]

    def check(case):
        assert_layers_close(case.student_grads(submission), case.reference_grads(), "grads")

    score_cases(cases, check, partial_credit)


@pytest.mark.points(1)
def test_backward_matches_central_differences(submission, partial_credit):
    """backward on random networks agrees with central differences of the batch-mean loss computed here"""
    cases = [Named(case, _("{case} (expected: central differences, ε = 1e-6)").format(case=case))
             for case in map(Case, range(300, 312))]

    def check(item):
        case = item.value
        assert_layers_close(case.student_grads(submission), case.numerical_grads(), "grads", rtol=1e-5, atol=1e-7)

    score_cases(cases, check, partial_credit)


@pytest.mark.points(2)
def test_backward_softmax_cross_entropy(submission, partial_credit):
    """softmax output with cross-entropy: δ^(L) = a − y, every hidden activation, m = 1 too"""
    cases = [Case(400 + i, activation=HIDDEN[i % 4], output="softmax", m=(1, 4, 7)[i % 3]) for i in range(12)]

    def check(case):
        assert_layers_close(case.student_grads(submission), case.reference_grads(), "grads")

    score_cases(cases, check, partial_credit)


# -- numerical gradient -------------------------------------------------------------------------------


def cubic(v):
    """Σ x³ plus a cross term: its third derivatives make forward differences visibly wrong."""
    x = np.asarray(v, dtype=float).ravel()
    return float(np.sum(x**3) + x[0] * x[-1])


def cubic_gradient(x):
    grad = 3 * np.asarray(x, dtype=float) ** 2
    flat = grad.reshape(-1)
    flat[0] += x.reshape(-1)[-1]
    flat[-1] += x.reshape(-1)[0]
    return grad


@pytest.mark.points(1)
def test_numerical_gradient_uses_central_differences(submission):
    """numerical_gradient is accurate to rtol 1e-7 on a cubic (forward differences are not), and uses eps"""
    x = np.array([[1.5, -2.0], [0.5, 1.0], [-1.25, 2.5]])
    assert_close(submission.numerical_gradient(cubic, x), cubic_gradient(x), rtol=1e-7, atol=1e-8,
                 name=_("{call} (central differences (f(x+ε) − f(x−ε)) / 2ε)").format(call="numerical_gradient(f, x)"))
    x = np.array([1.0, -2.0, 0.5])
    # For Σ x³ central differences give exactly 3x² + ε²: the answer shows which ε was used.
    assert_close(submission.numerical_gradient(lambda v: float(np.sum(np.asarray(v, dtype=float) ** 3)), x, eps=0.1),
                 3 * x**2 + 0.01, rtol=1e-7, atol=1e-8,
                 name=_("{call} (central differences give 3x² + ε²)").format(
                     call="numerical_gradient(Σ x³, x, eps=0.1)"))


@pytest.mark.points(1)
def test_numerical_gradient_keeps_the_shape_and_restores_x(submission):
    """numerical_gradient returns an array shaped like x and perturbs one entry at a time, restoring it"""
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    seen = []

    def recording_cubic(v):
        seen.append(np.array(v, dtype=float).reshape(x.shape))
        return cubic(v)

    grad = submission.numerical_gradient(recording_cubic, x)
    got_shape = np.shape(np.asarray(grad, dtype=float))
    assert got_shape == x.shape, _("numerical_gradient returned shape {got}; expected {shape}, the shape of x").format(
        got=got_shape, shape=x.shape)
    assert len(seen) >= x.size, _(
        "f was called {count} times; one perturbation per entry needs at least {size}").format(count=len(seen),
                                                                                                size=x.size)
    for number, point in enumerate(seen):
        moved = [tuple(int(i) for i in index) for index in np.argwhere(point != x)]
        assert len(moved) <= 1, _(
            "call {call} of f saw x changed at {count} entries {moved}; only the entry being "
            "perturbed may differ: put every entry back (x[i] = original) before moving to the next").format(
                call=number + 1, count=len(moved), moved=moved[:4])
    assert_close(grad, cubic_gradient(x), rtol=1e-6, atol=1e-7, name="numerical_gradient(f, x)")


# -- training -----------------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_sgd_update_returns_new_params(submission):
    """sgd_update on a random 3-layer network: W − lr·dW and b − lr·db for every layer"""
    rng = np.random.default_rng(61)
    sizes = [3, 5, 4, 2]
    params = [(rng.normal(size=(n_out, n_in)), rng.normal(size=(n_out, 1)))
              for n_in, n_out in itertools.pairwise(sizes)]
    grads = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in params]
    updated = layer_pairs(submission.sgd_update(params, grads, 0.3), "sgd_update(...)", sizes)
    expected = [(W - 0.3 * dW, b - 0.3 * db) for (W, b), (dW, db) in zip(params, grads)]
    assert_layers_close(updated, expected, "sgd_update(...)", labels=("W", "b"))


XOR_X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
XOR_Y = np.array([[0.0, 1.0, 1.0, 0.0]])


@pytest.mark.points(2)
@pytest.mark.timeout(180)
def test_train_learns_xor(submission):
    """train learns XOR to 100% accuracy ([2, 8, 1], sigmoid, lr 2, 3000 epochs, full batch; seeds 0, 1, 2)"""
    outcomes = []
    for seed in (0, 1, 2):  # any seed will do: one unlucky start is not a wrong train
        result = submission.train(XOR_X, XOR_Y, [2, 8, 1], activation="sigmoid", output="sigmoid", loss="half_sse",
                                  lr=2.0, epochs=3000, batch_size=None, seed=seed)
        assert isinstance(result, (list, tuple)) and len(result) == 2, \
            _("train should return (params, losses), got {value}").format(value=describe(result))
        params = as_params(result[0], [2, 8, 1], _("the params train returned"))
        outputs = mlp.forward(params, XOR_X)[0]
        if np.array_equal(outputs > 0.5, XOR_Y > 0.5):
            return
        outcomes.append(_("seed {seed}: outputs {outputs}").format(seed=seed, outputs=np.round(outputs[0], 3).tolist()))
    pytest.fail(_("after 3000 epochs XOR is not learned (targets [0, 1, 1, 0], threshold 0.5): {outcomes}").format(
        outcomes="; ".join(outcomes)))


@pytest.mark.points(2)
@pytest.mark.timeout(400)
def test_train_fits_sin(submission):
    """train fits sin on [−π, π]: [1, 16, 32, 1], leaky ReLU, identity output, batch 16, lr 0.01, 800 epochs"""
    x = np.random.default_rng(2024).uniform(-np.pi, np.pi, (1, 320))
    x_test = np.linspace(-np.pi, np.pi, 201)[np.newaxis, :]
    result = submission.train(x, np.sin(x), [1, 16, 32, 1], activation="leaky_relu", output="identity",
                              loss="half_sse", lr=0.01, epochs=800, batch_size=16, seed=0)
    assert isinstance(result, (list, tuple)) and len(result) == 2, \
        _("train should return (params, losses), got {value}").format(value=describe(result))
    params = as_params(result[0], [1, 16, 32, 1], _("the params train returned"))
    prediction = mlp.forward(params, x_test, "leaky_relu", "identity")[0]
    mse = float(np.mean((prediction - np.sin(x_test)) ** 2))
    if not math.isfinite(mse):
        pytest.fail(_("training diverged (test MSE {mse}): check the signs of the gradient step, W − lr·dW").format(
            mse=mse))
    assert mse < 0.01, _("test MSE on 201 points of [−π, π] is {mse}; expected below 0.01 (the reference reaches "
                         "about 0.0004): check backward against the tests above, then the mini-batches (16 samples, "
                         "one sgd_update per batch, every sample once per epoch)").format(mse=f"{mse:.4g}")


@pytest.mark.points(1)
@pytest.mark.timeout(60)
def test_train_returns_one_loss_per_epoch_and_is_seeded(submission):
    """train: len(losses) == epochs, finite and falling; the same seed gives the same params; batch sizes 1 and 3;
    the last, smaller mini-batch makes a step too, and a batch_size larger than N makes one full-batch step"""
    rng = np.random.default_rng(67)
    X = rng.normal(size=(2, 7))
    Y = 1 / (1 + np.exp(-(X[:1] - 0.5 * X[1:])))
    sizes = [2, 3, 1]
    for batch_size, epochs in ((None, 60), (1, 20), (3, 20)):
        what = f"train(..., lr=0.5, epochs={epochs}, batch_size={batch_size}, seed=4)"
        first = submission.train(X, Y, sizes, lr=0.5, epochs=epochs, batch_size=batch_size, seed=4)
        assert isinstance(first, (list, tuple)) and len(first) == 2, \
            _("{what} should return (params, losses), got {value}").format(what=what, value=describe(first))
        params, losses = as_params(first[0], sizes, _("the params of {what}").format(what=what)), first[1]
        losses = as_numbers(losses, _("the losses of {what}").format(what=what)).ravel()
        assert len(losses) == epochs, _("{what} returned {count} losses; expected one per epoch, {epochs}").format(
            what=what, count=len(losses), epochs=epochs)
        assert np.all(np.isfinite(losses)), _("{what}: losses are not all finite: {losses}...").format(
            what=what, losses=losses[:5])
        assert losses[-1] < losses[0], _("{what}: the loss did not fall ({first} → {last})").format(
            what=what, first=f"{losses[0]:.6g}", last=f"{losses[-1]:.6g}")
        again = as_params(submission.train(X, Y, sizes, lr=0.5, epochs=epochs, batch_size=batch_size, seed=4)[0],
                          sizes, _("the params of {what}").format(what=what))
        for (W, b), (V, c) in zip(params, again):
            assert_close(V, W, name=_("{what} run twice: W").format(what=what), rtol=1e-12, atol=1e-15)
    # The contract's boundary cases, checked against the submission's own full-batch train (same seed, same start).
    def end_of(X, Y, batch_size, epochs):
        result = submission.train(X, Y, sizes, lr=0.5, epochs=epochs, batch_size=batch_size, seed=4)
        assert isinstance(result, (list, tuple)) and len(result) == 2, \
            _("train should return (params, losses), got {value}").format(value=describe(result))
        return as_params(result[0], sizes, _("the params of {what}").format(
            what=f"train(..., epochs={epochs}, batch_size={batch_size})"))

    for batch_size in (7, 10):  # batch_size >= N: one full-batch step per epoch, whatever the order
        assert_layers_close(end_of(X, Y, batch_size, 2), end_of(X, Y, None, 2),
                            _("train(7 samples, epochs=2, batch_size={batch_size}) against batch_size=None").format(
                                batch_size=batch_size),
                            labels=("W", "b"))
    # The last, smaller batch makes a step: on identical samples (one gradient for every batch, whatever the order),
    # 7 samples in batches of 3 make one step more than 6 samples do; a train that drops it ends in the same place.
    for batch_size, fewer in ((3, 6), (5, 5), (2, 6)):
        seven, less = (end_of(np.tile(X[:, :1], n), np.tile(Y[:, :1], n), batch_size, 1) for n in (7, fewer))
        assert not all(np.allclose(W, V, rtol=1e-9, atol=1e-12) and np.allclose(b, c, rtol=1e-9, atol=1e-12)
                       for (W, b), (V, c) in zip(seven, less)), _(
            "train(7 identical samples, epochs=1, batch_size={batch_size}) ends where the same train on {fewer} "
            "samples ends: the last, smaller mini-batch made no sgd_update step (range(0, N, batch_size) keeps it)"
        ).format(batch_size=batch_size, fewer=fewer)


# -- the hand-derived gradient --------------------------------------------------------------------------


def lecture_network():
    """a^(2), a^(3) and ∂E/∂Θ^(3) of the given network (the lecture counts the input as layer 1)."""
    _A_L, cache = mlp.forward(LECTURE_PARAMS, LECTURE_X)
    hidden, output = cache.layers[1].a_prev, cache.output
    return hidden, output, mlp.backward(LECTURE_PARAMS, cache, LECTURE_Y)[1][0]


@pytest.mark.points(3)
def test_de_dtheta_23_of_the_lecture_network(submission, partial_credit):
    """DE_DTHETA_23 = ∂E/∂Θ^(3)_{23} = δ^(3)_2 a^(2)_3 for the given network (rtol 1e-5; 3 digits earn half)"""
    answer = submission.DE_DTHETA_23
    hidden, output, grad = lecture_network()
    a = output[1, 0]
    expected = float(-(LECTURE_Y[1, 0] - a) * a * (1 - a) * hidden[2, 0])  # δ^(3)_2 a^(2)_3, the hand formula
    try:
        value = float(np.asarray(answer, dtype=float).reshape(()))
    except (TypeError, ValueError):
        raise AssertionError(_("DE_DTHETA_23 should be one number, got {value}").format(
            value=describe(answer))) from None
    if math.isclose(value, expected, rel_tol=2e-3):
        partial_credit(1, 2)
    hints = {(i, j): f"∂E/∂Θ^(3)_{{{i + 1}{j + 1}}}" for i in range(grad.shape[0]) for j in range(grad.shape[1])}
    for (i, j), label in hints.items():
        if (i, j) != (1, 2) and math.isclose(value, grad[i, j], rel_tol=1e-4):
            pytest.fail(_("DE_DTHETA_23 = {value} is {label}; the question asks for row 2, column 3 (from 1), "
                          "δ^(3)_2 a^(2)_3").format(value=f"{value:.6g}", label=label))
    if math.isclose(value, -expected, rel_tol=1e-4):
        pytest.fail(_("DE_DTHETA_23 = {value} has the wrong sign: δ^(3) = −(y − a) ⊙ σ'(z), "
                      "not (y − a) ⊙ σ'(z)").format(value=f"{value:.6g}"))
    assert_close(value, expected, name=_("{name} (at least 6 significant digits)").format(name="DE_DTHETA_23"),
                 rtol=1e-5, atol=0)
