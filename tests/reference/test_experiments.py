"""The experiments at reduced size: they must converge, and the CLI must run them."""

import importlib.util
import sys

import numpy as np
import pytest

from reference import experiments
from reference.experiments import _common, digits, init_symmetry, perceptron_table, sin, xor

HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None


def test_xor_reaches_full_accuracy():
    for hidden in (2, 4):
        result = xor.run(hidden=hidden, epochs=3000, seed=1)
        assert result.accuracy == 1.0, hidden
        assert np.all(np.abs(result.outputs - xor.Y) < 0.2)
        assert result.losses[-1] < result.losses[0] / 10


def test_sin_with_leaky_relu_beats_the_target_at_reduced_size():
    result = sin.run("leaky_relu", samples=400, epochs=250)
    assert result.test_mse < 0.01
    assert result.losses[-1] < result.losses[0] / 10


def test_sin_with_sigmoid_learns_but_more_slowly():
    leaky = sin.run("leaky_relu", samples=200, epochs=60)
    sigmoid = sin.run("sigmoid", samples=200, epochs=60)
    assert sigmoid.losses[-1] < sigmoid.losses[0]
    assert sigmoid.test_mse > leaky.test_mse  # report 001's observation: saturation slows sigmoid down


def test_zero_init_keeps_every_hidden_unit_identical():
    zeros = init_symmetry.run("zeros", hidden=6, epochs=600)
    # identical up to rounding: BLAS may sum different rows in different orders
    assert zeros.unit_spread < 1e-9
    W1, b1 = zeros.params[0]
    assert np.ptp(W1, axis=0).max() < 1e-9 and np.ptp(b1) < 1e-9
    assert np.abs(W1).max() > 0.5  # it did train, just symmetrically
    assert zeros.accuracy < 0.8  # one effective hidden unit draws one straight line, not a disc
    random = init_symmetry.run("xavier", hidden=6, epochs=600)
    assert random.unit_spread > 0.1 and random.accuracy > 0.9


def test_unit_spread_sees_a_single_differing_unit():
    params = [(np.ones((3, 2)), np.zeros((3, 1))), (np.ones((1, 3)), np.zeros((1, 1)))]
    assert init_symmetry.unit_spread(params) == 0.0
    params[1][0][0, 2] = 0.5  # unit 3's outgoing weight
    assert init_symmetry.unit_spread(params) == 0.5


def test_perceptron_table_traces():
    lecture, homework = perceptron_table.traces().values()
    assert lecture[-1] == (8, None, (1.0, 1.0), -3.0)
    assert homework[5][1] == 1 and homework[-1] == (12, None, (2.0, 1.0), -5.0)


@pytest.mark.skipif(not HAS_SKLEARN, reason="scikit-learn (the digits extra) is not installed")
def test_digits_reaches_95_percent():
    result = digits.run()  # the full default run takes well under a second
    assert result.layer_sizes == [64, 128, 10]
    assert result.test_accuracy[-1] >= 0.95
    assert len(result.test_accuracy) == len(result.losses) == 40


@pytest.mark.skipif(not HAS_SKLEARN, reason="scikit-learn (the digits extra) is not installed")
def test_digits_options_change_the_network():
    result = digits.run(
        activation="sigmoid", hidden=(32, 16), epochs=3, batch_size=64, dropout=0.2, invert=True
    )
    assert result.layer_sizes == [64, 32, 16, 10]
    assert [W.shape for W, _ in result.params] == [(32, 64), (16, 32), (10, 16)]
    X_train, _, X_test, _ = digits.load(invert=True)
    assert X_train.shape[0] == 64 and X_train.shape[1] + X_test.shape[1] == 1797
    assert X_train.max() <= 1.0 and X_train.min() >= 0.0


def test_missing_extra_is_explained(monkeypatch, capsys):
    for module in ("sklearn", "sklearn.datasets"):
        monkeypatch.setitem(sys.modules, module, None)  # None in sys.modules makes the import fail
    with pytest.raises(_common.MissingExtra, match=r"pip install '\.\[digits\]'"):
        digits.load()
    assert experiments.main(["digits", "--no-plot"]) == 2
    assert "pip install '.[digits]'" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(
    "argv",
    [
        ["perceptron-table"],
        ["xor", "--epochs", "2000"],
        ["init-symmetry", "--epochs", "100"],
        ["sin", "--epochs", "3", "--samples", "64", "--activations", "leaky_relu"],
    ],
)
def test_cli_runs_each_experiment(argv, tmp_path, capsys):
    assert experiments.main([*argv, "--plot-dir", str(tmp_path)]) == 0
    output = capsys.readouterr().out
    assert output.strip()
    if importlib.util.find_spec("matplotlib") is not None:
        assert (tmp_path / f"{argv[0]}.png").stat().st_size > 0
    else:
        assert "pip install '.[plots]'" in " ".join(output.split())


def test_cli_prints_the_lecture_table(capsys):
    assert experiments.main(["perceptron-table", "--no-plot"]) == 0
    output = capsys.readouterr().out
    assert "x1 + x2 - 3" in output and "2x1 + x2 - 5" in output and "无" in output
