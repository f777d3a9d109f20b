"""The reference MLP: gradients against central differences, activations, initialisers, training modes."""

import itertools
import math

import numpy as np
import pytest

from reference import mlp

HIDDEN = sorted(mlp.ACTIVATIONS)
PAIRS = [
    (output, loss)
    for output in mlp.OUTPUTS
    for loss in mlp.LOSSES
    if loss in ("half_sse", "mse") or output in ("sigmoid", "softmax")
]
COMBINATIONS = [(activation, output, loss) for activation in HIDDEN for output, loss in PAIRS]


def targets(rng, output, loss, n_out, m):
    if output == "softmax" or loss == "ce":
        return rng.dirichlet(np.ones(n_out), size=m).T  # columns are distributions
    if loss == "bce":
        return rng.uniform(0, 1, (n_out, m))
    return rng.normal(size=(n_out, m))


def random_network(rng, sizes):
    # random biases too, so that no unit sits exactly at a kink of relu
    return [
        (rng.normal(0, 0.8, (n_out, n_in)), rng.normal(0, 0.5, (n_out, 1)))
        for n_in, n_out in itertools.pairwise(sizes)
    ]


# --- gradients ----------------------------------------------------------------


def test_combinations_cover_every_activation_output_and_loss():
    assert len(COMBINATIONS) == 80
    assert {c[0] for c in COMBINATIONS} == set(mlp.ACTIVATIONS)
    assert {c[1] for c in COMBINATIONS} == set(mlp.OUTPUTS)
    assert {c[2] for c in COMBINATIONS} == set(mlp.LOSSES)


@pytest.mark.parametrize("round_", [0, 1])
def test_backward_matches_central_differences_on_random_networks(round_):
    """2 × 80 random networks: every hidden activation × output × loss, random depth, width and batch."""
    rng = np.random.default_rng(100 + round_)
    for index, (activation, output, loss) in enumerate(COMBINATIONS):
        depth = int(rng.integers(1, 4))
        sizes = [int(n) for n in rng.integers(1, 6, depth + 1)]
        if output == "softmax":
            sizes[-1] = max(sizes[-1], 2)  # one softmax output is the constant 1: nothing to check
        m = int(rng.integers(1, 5))
        X = rng.normal(size=(sizes[0], m))
        Y = targets(rng, output, loss, sizes[-1], m)
        options = {
            "gamma": float(rng.uniform(0.01, 0.3)),
            "l2": [0.0, 0.3][index % 2],
            "dropout": [0.0, 0.0, 0.4][index % 3],
        }
        error = mlp.gradient_check(
            random_network(rng, sizes), X, Y, activation, output, loss, seed=index, **options
        )
        assert error < 1e-7, (activation, output, loss, sizes, m, options, error)


@pytest.mark.parametrize(
    ("sizes", "m"),
    [([1, 1], 1), ([1, 1, 1], 1), ([3, 1, 1, 1, 2], 1), ([1, 7, 1], 5), ([6, 2, 9, 3], 1), ([2, 3], 11)],
)
@pytest.mark.parametrize(
    ("activation", "output", "loss"),
    [
        ("tanh", "sigmoid", "ce"),
        ("leaky_relu", "identity", "half_sse"),
        ("relu", "tanh", "mse"),
        ("sigmoid", "sigmoid", "bce"),
    ],
)
def test_backward_on_odd_shapes(sizes, m, activation, output, loss):
    rng = np.random.default_rng(sum(sizes) * 10 + m)
    X = rng.normal(size=(sizes[0], m))
    Y = targets(rng, output, loss, sizes[-1], m)
    assert mlp.gradient_check(random_network(rng, sizes), X, Y, activation, output, loss) < 1e-7


def test_the_check_catches_a_wrong_gradient():
    """A deliberately broken backward (δ without f') must fail the same check."""
    rng = np.random.default_rng(0)
    params = random_network(rng, [3, 4, 2])
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    _, cache = mlp.forward(params, X, "tanh", "identity")
    W2 = params[1][0]
    delta_out = (cache.output - Y) / 5
    wrong_dW1 = (W2.T @ delta_out) @ X.T  # forgot ⊙ f'(z)

    def f(_):
        return mlp.objective(params, X, Y, "tanh", "identity")

    assert mlp.relative_error(wrong_dW1, mlp.numerical_gradient(f, params[0][0])) > 1e-2


def test_batch_gradient_is_the_mean_of_per_sample_gradients():
    rng = np.random.default_rng(1)
    params = random_network(rng, [3, 5, 4])
    X, Y = rng.normal(size=(3, 6)), rng.dirichlet(np.ones(4), size=6).T
    _, cache = mlp.forward(params, X, "relu", "softmax")
    batch = mlp.backward(params, cache, Y, "relu", "softmax", "ce")
    singles = []
    for j in range(6):
        _, one = mlp.forward(params, X[:, [j]], "relu", "softmax")
        singles.append(mlp.backward(params, one, Y[:, [j]], "relu", "softmax", "ce"))
    for layer, (dW, db) in enumerate(batch):
        assert np.allclose(dW, np.mean([s[layer][0] for s in singles], axis=0), atol=1e-14)
        assert np.allclose(db, np.mean([s[layer][1] for s in singles], axis=0), atol=1e-14)


LECTURE_W2 = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.1, 0.05]]
LECTURE_B2 = [0.1, -0.1, 0.2, 0.0]
LECTURE_W3 = [[0.3, -0.5, 0.2, 0.7], [-0.4, 0.6, 0.1, -0.2]]
LECTURE_B3 = [0.05, -0.05]
LECTURE_X = [1.0, 0.5, -1.5]
LECTURE_Y = [1.0, 0.0]


def lecture_by_hand():
    """The lecture's 3-4-2 network worked out with scalar formulas (004: δ_i = −(y_i − a_i) f'(z_i), ...)."""

    def s(v):
        return 1 / (1 + math.exp(-v))

    a2 = [s(sum(w * x for w, x in zip(row, LECTURE_X)) + b) for row, b in zip(LECTURE_W2, LECTURE_B2)]
    a3 = [s(sum(w * a for w, a in zip(row, a2)) + b) for row, b in zip(LECTURE_W3, LECTURE_B3)]
    d3 = [-(y - a) * a * (1 - a) for y, a in zip(LECTURE_Y, a3)]
    d2 = [sum(d3[j] * LECTURE_W3[j][i] for j in range(2)) * a2[i] * (1 - a2[i]) for i in range(4)]
    dW3 = [[d3[i] * a2[j] for j in range(4)] for i in range(2)]
    dW2 = [[d2[i] * LECTURE_X[j] for j in range(3)] for i in range(4)]
    return dW2, d2, dW3, d3


def test_lecture_network_gradients_match_the_scalar_formulas():
    params = [
        (np.array(LECTURE_W2), np.array(LECTURE_B2)[:, None]),
        (np.array(LECTURE_W3), np.array(LECTURE_B3)[:, None]),
    ]
    _, cache = mlp.forward(params, np.array(LECTURE_X)[:, None])
    (dW2, db2), (dW3, db3) = mlp.backward(params, cache, np.array(LECTURE_Y)[:, None])
    hand_dW2, hand_d2, hand_dW3, hand_d3 = lecture_by_hand()
    assert np.allclose(dW2, hand_dW2, rtol=1e-13, atol=0) and np.allclose(
        db2[:, 0], hand_d2, rtol=1e-13, atol=0
    )
    assert np.allclose(dW3, hand_dW3, rtol=1e-13, atol=0) and np.allclose(
        db3[:, 0], hand_d3, rtol=1e-13, atol=0
    )
    assert dW3[1, 2] == pytest.approx(hand_dW3[1][2], rel=1e-13)  # the homework's ∂E/∂Θ^(3)_23


# --- activations ---------------------------------------------------------------


@pytest.mark.parametrize("name", HIDDEN)
def test_activation_derivatives_match_central_differences(name):
    f, f_prime = mlp.activation_pair(name, gamma=0.2)
    z = np.linspace(-3.05, 2.95, 41)  # steps of 0.15 from −3.05: no point within 0.05 of the kink at 0
    numeric = (f(z + 1e-6) - f(z - 1e-6)) / 2e-6
    assert np.allclose(f_prime(z), numeric, atol=1e-8)


def test_kinks_and_gamma():
    assert mlp.relu_prime(np.array([0.0]))[0] == 0.0
    assert mlp.leaky_relu_prime(np.array([0.0]), gamma=0.1)[0] == 0.1
    assert np.array_equal(mlp.leaky_relu(np.array([-2.0, 3.0]), gamma=0.1), [-0.2, 3.0])
    assert np.array_equal(mlp.relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])


def test_sigmoid_is_finite_and_accurate_in_both_tails():
    z = np.array([-800.0, -700.0, -40.0, -1.0, 0.0, 1.0, 40.0, 700.0, 800.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = mlp.sigmoid(z)
    expected = [
        math.exp(-800)
        if v < -745
        else 1 / (1 + math.exp(-v))
        if v > -700
        else math.exp(v) / (1 + math.exp(v))
        for v in z
    ]
    assert np.allclose(s, expected, rtol=1e-15, atol=0)
    assert s[1] > 0  # σ(−700) ≈ 9.9e-305 is representable and must not round to 0


def test_softmax_columns_are_distributions_even_for_huge_logits():
    z = np.array([[1000.0, -1000.0, 0.0], [999.0, -1000.0, 0.0], [0.0, -1001.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = mlp.softmax(z)
    assert np.allclose(a.sum(axis=0), 1.0)
    assert np.allclose(a[:, 2], 1 / 3)
    assert a[0, 0] == pytest.approx(1 / (1 + math.exp(-1) + math.exp(-1000)))


def test_unknown_names_and_invalid_pairs_are_refused():
    with pytest.raises(ValueError):
        mlp.activation_pair("swish")
    with pytest.raises(ValueError):
        mlp.output_delta(np.zeros((2, 1)), np.zeros((2, 1)), np.zeros((2, 1)), "identity", "ce")
    with pytest.raises(ValueError):
        mlp.init_params([2, 2], method="orthogonal")


# --- losses -----------------------------------------------------------------------


def test_loss_values_follow_their_definitions():
    a = np.array([[0.2, 0.9], [0.8, 0.1]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert mlp.loss_value(a, y, "half_sse") == pytest.approx(0.5 * (0.04 + 0.04 + 0.01 + 0.01) / 2)
    assert mlp.loss_value(a, y, "mse") == pytest.approx((0.04 + 0.04 + 0.01 + 0.01) / 4)
    assert mlp.loss_value(a, y, "ce") == pytest.approx(-(math.log(0.8) + math.log(0.9)) / 2)
    bce = -(math.log(0.8) + math.log(0.8) + math.log(0.9) + math.log(0.9)) / 2
    assert mlp.loss_value(a, y, "bce") == pytest.approx(bce)


def test_l2_penalty_and_gradient():
    rng = np.random.default_rng(2)
    params = random_network(rng, [2, 3, 1])
    X, Y = rng.normal(size=(2, 4)), rng.normal(size=(1, 4))
    expected = 0.5 * 0.7 * sum(float(np.sum(W**2)) for W, _ in params)
    assert mlp.l2_penalty(params, 0.7) == pytest.approx(expected)
    _, cache = mlp.forward(params, X)
    plain = mlp.backward(params, cache, Y)
    regularised = mlp.backward(params, cache, Y, l2=0.7)
    for (W, _), (dW, db), (dW_l2, db_l2) in zip(params, plain, regularised):
        assert np.allclose(dW_l2 - dW, 0.7 * W) and np.array_equal(db, db_l2)  # biases are not penalised


# --- initialisers ---------------------------------------------------------------------


@pytest.mark.parametrize("method", mlp.INITIALISERS)
def test_initialisers_allocate_the_lecture_shapes(method):
    params = mlp.init_params([5, 4, 3], seed=1, method=method)
    assert [(W.shape, b.shape) for W, b in params] == [((4, 5), (4, 1)), ((3, 4), (3, 1))]
    assert all(W.dtype == np.float64 and not b.any() for W, b in params)
    again = mlp.init_params([5, 4, 3], seed=1, method=method)
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(params, again))


def test_initialiser_scales():
    n_in, n_out = 400, 300
    ((xavier, _),) = mlp.init_params([n_in, n_out], seed=0, method="xavier")
    ((he, _),) = mlp.init_params([n_in, n_out], seed=0, method="he")
    ((uniform, _),) = mlp.init_params([n_in, n_out], seed=0, method="uniform")
    ((normal, _),) = mlp.init_params([n_in, n_out], seed=0, method="normal")
    limit = math.sqrt(6 / (n_in + n_out))
    assert np.abs(xavier).max() <= limit and xavier.std() == pytest.approx(
        math.sqrt(2 / (n_in + n_out)), rel=0.02
    )
    assert he.std() == pytest.approx(math.sqrt(2 / n_in), rel=0.02)
    assert np.abs(uniform).max() <= 1 / math.sqrt(n_in) and uniform.std() == pytest.approx(
        1 / math.sqrt(3 * n_in), rel=0.02
    )
    assert normal.std() == pytest.approx(0.01, rel=0.02)
    assert not np.any(mlp.init_params([n_in, n_out], method="zeros")[0][0])


# --- dropout -------------------------------------------------------------------------


def test_inverted_dropout_keeps_the_expected_activation():
    params = [(np.ones((2000, 1)), np.zeros((2000, 1))), (np.ones((1, 2000)) / 2000, np.zeros((1, 1)))]
    X = np.ones((1, 50))
    a_eval, cache_eval = mlp.forward(params, X, "identity", "identity")
    assert all(layer.mask == 1.0 for layer in cache_eval.layers)
    a_train, cache = mlp.forward(params, X, "identity", "identity", dropout=0.3, rng=np.random.default_rng(0))
    mask = cache.layers[0].mask
    assert set(np.unique(mask)) == {0.0, 1 / 0.7}
    assert np.mean(mask == 0) == pytest.approx(0.3, abs=0.01)
    assert np.allclose(a_eval, 1.0) and np.mean(a_train) == pytest.approx(1.0, abs=0.01)
    assert cache.layers[-1].mask == 1.0  # the output layer is never dropped
    with pytest.raises(ValueError):
        mlp.forward(params, X, dropout=0.3)  # masks need an explicit generator


# --- training ----------------------------------------------------------------------------


def test_one_full_batch_epoch_is_one_gradient_step():
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(2, 8)), rng.uniform(size=(1, 8))
    start = mlp.init_params([2, 3, 1], seed=5)
    trained, losses = mlp.train(X, Y, [2, 3, 1], lr=0.3, epochs=1, seed=5)
    a, cache = mlp.forward(start, X)
    expected = [
        (W - 0.3 * dW, b - 0.3 * db) for (W, b), (dW, db) in zip(start, mlp.backward(start, cache, Y))
    ]
    for (W, b), (V, c) in zip(trained, expected):
        assert np.allclose(W, V, atol=1e-15) and np.allclose(b, c, atol=1e-15)
    assert losses == [pytest.approx(mlp.loss_value(a, Y))]


def test_sgd_takes_one_step_per_sample_in_the_shuffled_order():
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(2, 5)), rng.uniform(size=(1, 5))
    trained, _ = mlp.train(X, Y, [2, 3, 1], lr=0.2, epochs=1, batch_size=1, seed=9)
    params = mlp.init_params([2, 3, 1], seed=9)
    for j in np.random.default_rng(9).permutation(5):  # train shuffles with default_rng(seed)
        _, cache = mlp.forward(params, X[:, [j]])
        params = mlp.sgd_update(params, mlp.backward(params, cache, Y[:, [j]]), 0.2)
    for (W, b), (V, c) in zip(trained, params):
        assert np.allclose(W, V, atol=1e-15) and np.allclose(b, c, atol=1e-15)


def test_mini_batches_and_losses():
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(3, 50)), rng.uniform(size=(2, 50))
    calls = []
    params, losses = mlp.train(
        X, Y, [3, 6, 2], lr=0.5, epochs=30, batch_size=7, seed=1, on_epoch=lambda e, p: calls.append(e)
    )
    assert len(losses) == 30 and calls == list(range(30))
    assert losses[-1] < losses[0]
    again, _ = mlp.train(X, Y, [3, 6, 2], lr=0.5, epochs=30, batch_size=7, seed=1)
    assert all(np.array_equal(W, V) for (W, _), (V, _) in zip(params, again))  # deterministic with a seed


def test_sgd_update_returns_new_arrays():
    params = [(np.ones((2, 2)), np.ones((2, 1)))]
    grads = [(np.full((2, 2), 2.0), np.full((2, 1), 4.0))]
    ((W, b),) = mlp.sgd_update(params, grads, 0.5)
    assert np.array_equal(W, np.zeros((2, 2))) and np.array_equal(b, -np.ones((2, 1)))
    assert np.array_equal(params[0][0], np.ones((2, 2)))


def test_numerical_gradient_restores_its_argument():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    grad = mlp.numerical_gradient(lambda v: float(np.sum(v**3)), x)
    assert np.array_equal(x, before)
    assert np.allclose(grad, 3 * before**2, rtol=1e-9)
