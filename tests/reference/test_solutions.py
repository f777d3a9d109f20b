"""The model answers hw1, hw2, hw4, hw5 against the contract (HOMEWORK.md) and the reference modules."""

import ast
import importlib.util
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from reference import counts, likelihood, logistic, mlp

SOLUTIONS = Path(__file__).resolve().parents[2] / "reference" / "solutions"

CONTRACT = {
    "hw1": ["Q1_A", "Q1_B", "binomial_likelihood", "binomial_log_likelihood", "mle_ratio", "grid_argmax", "Q1_C",
            "logistic_log_likelihood"],
    "hw2": ["sigmoid", "logistic_loss", "logistic_gradient", "taylor_first_order", "predicted_change",
            "steepest_descent_direction", "gradient_descent", "PROOF"],
    "hw4": ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "sigmoid_prime", "tanh_prime", "relu_prime",
            "leaky_relu_prime", "init_params", "forward", "output_delta", "hidden_delta", "backward",
            "numerical_gradient", "sgd_update", "train", "LECTURE_PARAMS", "LECTURE_X", "LECTURE_Y", "DE_DTHETA_23",
            "ESSAY_IV"],
    "hw5": ["count_params", "count_macs", "Q5_PARAMS", "Q5_PARAMS_256", "Q5_GROWTH", "Q5_MEASURES"],
}  # fmt: skip
GIVEN = {"hw4": ["LECTURE_PARAMS", "LECTURE_X", "LECTURE_Y"], "hw5": []}
MANUAL = {"hw2": "PROOF", "hw4": "ESSAY_IV", "hw5": "Q5_MEASURES"}


def load_plain(name):
    """Import a solution file as a plain module, the way the grader loads a submission."""
    spec = importlib.util.spec_from_file_location(f"plain_{name}", SOLUTIONS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hw1, hw2, hw4, hw5 = (load_plain(name) for name in ("hw1", "hw2", "hw4", "hw5"))


# --- form -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_every_contract_name_is_defined_and_importable_as_a_package_module(name):
    plain = load_plain(name)
    packaged = importlib.import_module(f"reference.solutions.{name}")
    for attribute in CONTRACT[name]:
        assert hasattr(plain, attribute) and hasattr(packaged, attribute), attribute


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_solutions_import_only_numpy_math_and_reference(name):
    tree = ast.parse((SOLUTIONS / f"{name}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"numpy", "math", "reference"}, imported


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_the_template_keeps_names_but_not_answers(name):
    authoring = pytest.importorskip(
        "grader.authoring.templates", reason="the grader's template generator is not importable"
    )
    source = (SOLUTIONS / f"{name}.py").read_text(encoding="utf-8")
    assert source.startswith("# %%") and "### BEGIN SOLUTION" in source
    template = authoring.strip_solutions(source)
    assert "BEGIN SOLUTION" not in template and "BEGIN STUB" not in template
    namespace: dict = {}
    exec(compile(template, f"{name}_template.py", "exec"), namespace)  # noqa: S102 - the file we just generated
    solution = load_plain(name)
    for attribute in CONTRACT[name]:
        value = namespace[attribute]
        if attribute in GIVEN.get(name, []):
            assert repr(value) == repr(getattr(solution, attribute))  # given data stays in the template
        elif callable(value):
            with pytest.raises(NotImplementedError):
                value(*[None] * value.__code__.co_argcount)
        else:
            assert value is Ellipsis or (isinstance(value, str) and "Write your" in value), attribute


@pytest.mark.parametrize(("name", "attribute"), sorted(MANUAL.items()))
def test_manual_answers_are_written_in_chinese(name, attribute):
    text = getattr(load_plain(name), attribute)
    assert isinstance(text, str) and len(text.strip()) > 100
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 50


# --- hw1 ------------------------------------------------------------------------------


def test_hw1_choices():
    assert (hw1.Q1_A, hw1.Q1_B, hw1.Q1_C) == ("B", "A", "B")


def test_hw1_likelihood_agrees_with_the_reference():
    rng = np.random.default_rng(0)
    for n in (1, 3, 10, 100, 1000, 10_000):
        for _ in range(10):
            k, p = int(rng.integers(0, n + 1)), float(rng.uniform(0, 1))
            assert hw1.binomial_log_likelihood(p, n, k) == pytest.approx(
                likelihood.binomial_log_likelihood(p, n, k), rel=1e-12, abs=1e-9
            )
            assert hw1.binomial_likelihood(p, n, k) == pytest.approx(
                likelihood.binomial_likelihood(p, n, k), rel=1e-8, abs=1e-300
            )
    assert hw1.binomial_likelihood(0.7, 100, 70) == pytest.approx(0.0867838647534281, rel=1e-12)


@pytest.mark.parametrize("n", [0, 1, 10_000])
def test_hw1_boundaries(n):
    assert hw1.binomial_likelihood(0.0, n, 0) == 1.0 and hw1.binomial_likelihood(1.0, n, n) == 1.0
    if n:
        assert hw1.binomial_likelihood(0.0, n, 1) == 0.0 and hw1.binomial_likelihood(1.0, n, 0) == 0.0
        assert hw1.binomial_log_likelihood(0.0, n, n) == -math.inf


def test_hw1_maximum():
    assert hw1.mle_ratio(100, 70) == 0.7
    for n, k, num in ((100, 70, 1001), (100, 70, 7), (9, 0, 5), (10_000, 3, 1001)):
        assert hw1.grid_argmax(n, k, num) == likelihood.grid_argmax(n, k, num)


def test_hw1_logistic_log_likelihood():
    rng = np.random.default_rng(1)
    X, y, w = rng.normal(size=(20, 3)), rng.integers(0, 2, 20), rng.normal(size=3)
    assert hw1.logistic_log_likelihood(w, X, y) == pytest.approx(logistic.log_likelihood(w, X, y), rel=1e-13)
    X_huge = np.array([[800.0], [-800.0], [800.0], [-800.0]])
    value = hw1.logistic_log_likelihood(np.array([1.0]), X_huge, np.array([1, 0, 0, 1]))
    assert value == pytest.approx(-1600.0, rel=1e-15)


# --- hw2 ------------------------------------------------------------------------------


def test_hw2_sigmoid_is_stable():
    z = np.array([-800.0, -30.0, -1.0, 0.0, 2.5, 30.0, 800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = hw2.sigmoid(z)
    assert np.allclose(values, mlp.sigmoid(z), rtol=1e-15, atol=0)
    assert hw2.sigmoid(0.0) == 0.5


def test_hw2_loss_and_gradient():
    rng = np.random.default_rng(2)
    for _ in range(10):
        X, y, w = rng.normal(size=(15, 4)), rng.integers(0, 2, 15), rng.normal(scale=3, size=4)
        assert hw2.logistic_loss(w, X, y) == pytest.approx(logistic.loss(w, X, y), rel=1e-13)
        gradient = hw2.logistic_gradient(w, X, y)
        assert gradient.shape == (4,)
        numeric = mlp.numerical_gradient(lambda v, X=X, y=y: hw2.logistic_loss(v, X, y), w.copy())
        assert mlp.relative_error(gradient, numeric) < 1e-8
    assert math.isfinite(hw2.logistic_loss(np.array([1.0]), np.array([[800.0], [-800.0]]), np.array([0, 1])))


def test_hw2_taylor_and_direction():
    g = np.array([3.0, -4.0])
    assert hw2.taylor_first_order(2.0, g, np.array([0.1, 0.2])) == pytest.approx(2.0 + 0.3 - 0.8)
    assert hw2.predicted_change(g, 0.1) == pytest.approx(-2.5)
    assert np.allclose(hw2.steepest_descent_direction(g), [-0.6, 0.8])
    assert np.array_equal(hw2.steepest_descent_direction(np.zeros(3)), np.zeros(3))


def test_hw2_gradient_descent_matches_the_reference():
    rng = np.random.default_rng(3)
    X = np.hstack([np.ones((40, 1)), rng.normal(size=(40, 2))])
    y = (X[:, 1] - X[:, 2] > 0).astype(float)
    w, losses = hw2.gradient_descent(X, y, 0.05, 50)
    w_ref, losses_ref = logistic.gradient_descent(X, y, 0.05, 50)
    assert len(losses) == 51 and losses[0] == pytest.approx(40 * math.log(2))
    assert np.allclose(w, w_ref, rtol=1e-12) and np.allclose(losses, losses_ref, rtol=1e-12)
    w0 = np.array([0.5, -0.5, 0.5])
    _, from_w0 = hw2.gradient_descent(X, y, 0.05, 3, w0=w0)
    assert from_w0[0] == pytest.approx(logistic.loss(w0, X, y))


# --- hw4 ------------------------------------------------------------------------------


def test_hw4_given_network_is_the_contract_one():
    (W2, b2), (W3, b3) = hw4.LECTURE_PARAMS
    assert W2.tolist() == [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.1, 0.05]]
    assert b2.tolist() == [[0.1], [-0.1], [0.2], [0.0]] and b3.tolist() == [[0.05], [-0.05]]
    assert W3.tolist() == [[0.3, -0.5, 0.2, 0.7], [-0.4, 0.6, 0.1, -0.2]]
    assert hw4.LECTURE_X.tolist() == [[1.0], [0.5], [-1.5]] and hw4.LECTURE_Y.tolist() == [[1.0], [0.0]]


def test_hw4_de_dtheta_23_is_the_reference_gradient():
    _, cache = mlp.forward(hw4.LECTURE_PARAMS, hw4.LECTURE_X)
    grads = mlp.backward(hw4.LECTURE_PARAMS, cache, hw4.LECTURE_Y)
    assert hw4.DE_DTHETA_23 == pytest.approx(grads[1][0][1, 2], rel=1e-14)


def test_hw4_activations():
    z = np.linspace(-5, 5, 23).reshape(1, -1)
    for name in ("sigmoid", "tanh", "relu"):
        assert np.allclose(getattr(hw4, name)(z), getattr(mlp, name)(z))
        assert np.allclose(getattr(hw4, f"{name}_prime")(z), getattr(mlp, f"{name}_prime")(z))
    assert np.allclose(hw4.leaky_relu(z, 0.2), mlp.leaky_relu(z, 0.2))
    assert np.allclose(hw4.leaky_relu_prime(z, 0.2), mlp.leaky_relu_prime(z, 0.2))
    assert hw4.relu_prime(np.zeros(1))[0] == 0.0 and hw4.leaky_relu_prime(np.zeros(1))[0] == 0.01
    assert np.allclose(
        hw4.softmax(np.array([[1000.0, 1.0], [1000.0, 2.0]])),
        mlp.softmax(np.array([[1000.0, 1.0], [1000.0, 2.0]])),
    )


@pytest.mark.parametrize("method", ["zeros", "normal", "xavier", "he"])
def test_hw4_init_params(method):
    params = hw4.init_params([3, 5, 2], seed=4, method=method)
    assert [(W.shape, b.shape) for W, b in params] == [((5, 3), (5, 1)), ((2, 5), (2, 1))]
    again = hw4.init_params([3, 5, 2], seed=4, method=method)
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(params, again))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize(("output", "loss"), [("sigmoid", "half_sse"), ("identity", "half_sse"), ("tanh", "half_sse"),
                                              ("softmax", "half_sse"), ("softmax", "ce")])  # fmt: skip
def test_hw4_forward_and_backward_agree_with_the_reference(activation, output, loss):
    rng = np.random.default_rng(len(activation) * 10 + len(output))
    for _ in range(3):
        sizes = [int(n) for n in rng.integers(2, 6, int(rng.integers(2, 5)))]
        m = int(rng.integers(1, 5))
        params = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in mlp.init_params(sizes)]
        X = rng.normal(size=(sizes[0], m))
        Y = rng.dirichlet(np.ones(sizes[-1]), size=m).T
        a, cache = hw4.forward(params, X, activation, output)
        a_ref, cache_ref = mlp.forward(params, X, activation, output)
        assert np.allclose(a, a_ref, rtol=1e-13)
        grads = hw4.backward(params, cache, Y, activation, output, loss)
        grads_ref = mlp.backward(params, cache_ref, Y, activation, output, loss)
        for (dW, db), (dW_ref, db_ref) in zip(grads, grads_ref):
            assert np.allclose(dW, dW_ref, rtol=1e-12, atol=1e-15) and np.allclose(
                db, db_ref, rtol=1e-12, atol=1e-15
            )


def test_hw4_delta_helpers_follow_the_formulas():
    rng = np.random.default_rng(5)
    a, y, z = rng.uniform(size=(3, 4)), rng.uniform(size=(3, 4)), rng.normal(size=(3, 4))
    assert np.allclose(hw4.output_delta(a, y, z, "tanh"), -(y - a) * (1 - np.tanh(z) ** 2))
    W_next, delta_next = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    assert np.allclose(hw4.hidden_delta(W_next, delta_next, z, "relu"), (W_next.T @ delta_next) * (z > 0))


def test_hw4_numerical_gradient_and_update():
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    original = x.copy()
    grad = hw4.numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert np.array_equal(x, original) and np.allclose(grad, np.cos(original), rtol=1e-9)
    params = [(np.ones((2, 2)), np.zeros((2, 1)))]
    ((W, b),) = hw4.sgd_update(params, [(np.ones((2, 2)), np.ones((2, 1)))], 0.25)
    assert np.allclose(W, 0.75) and np.allclose(b, -0.25) and np.all(params[0][0] == 1)


def test_hw4_train_solves_xor():
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    params, losses = hw4.train(X, Y, [2, 4, 1], lr=2.0, epochs=3000, seed=0)
    assert len(losses) == 3000 and losses[-1] < losses[0]
    assert np.array_equal(hw4.forward(params, X)[0] > 0.5, Y > 0.5)


def test_hw4_train_fits_sin_with_the_lecture_settings_at_reduced_size():
    rng = np.random.default_rng(0)
    x = rng.uniform(-np.pi, np.pi, (1, 320))
    x_test = np.linspace(-np.pi, np.pi, 101)[None, :]
    params, _ = hw4.train(x, np.sin(x), [1, 16, 32, 1], "leaky_relu", "identity", lr=0.01, epochs=250,
                               batch_size=16, seed=0)  # fmt: skip
    assert np.mean((hw4.forward(params, x_test, "leaky_relu", "identity")[0] - np.sin(x_test)) ** 2) < 0.01


def test_hw4_train_modes_and_softmax():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(2, 30))
    labels = (X[0] > X[1]).astype(int)
    Y = np.eye(2)[labels].T
    params, losses = hw4.train(
        X, Y, [2, 5, 2], "tanh", "softmax", "ce", lr=0.5, epochs=40, batch_size=1, seed=1
    )
    assert len(losses) == 40 and losses[-1] < losses[0] / 2
    assert np.mean(hw4.forward(params, X, "tanh", "softmax")[0].argmax(axis=0) == labels) > 0.9


# --- hw5 ------------------------------------------------------------------------------


def test_hw5_answers():
    assert hw5.DIGIT_NET == [784, 256, 128, 10]
    assert hw5.Q5_PARAMS == 235_146 and hw5.Q5_PARAMS_256 == 16_811_658
    assert hw5.Q5_GROWTH == pytest.approx(16_811_658 / 235_146) and round(hw5.Q5_GROWTH, 1) == 71.5


def test_hw5_counts_agree_with_the_reference_and_the_arrays():
    rng = np.random.default_rng(7)
    for _ in range(30):
        sizes = [int(n) for n in rng.integers(1, 50, int(rng.integers(1, 6)))]
        for bias in (True, False):
            assert hw5.count_params(sizes, bias) == counts.count_params(sizes, bias)
        assert hw5.count_macs(sizes) == counts.count_macs(sizes)
        assert hw5.count_params(sizes) == counts.allocated_params(mlp.init_params(sizes, method="zeros"))
