"""Handwritten digits: scikit-learn's bundled 8×8 images (1797 samples, no download).

A stand-in for the handwritten-character experiment of the student report 001
(12 handwritten Chinese characters, 28×28 images, not in the material): the same
knobs (activation, hidden sizes, batch size, dropout, inverted pixels) on data
that ships with scikit-learn, an optional extra.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.table import Table

from reference import mlp
from reference.experiments._common import accuracy, console, require, save_plot


@dataclass
class DigitsResult:
    params: mlp.Params
    losses: list[float]
    test_accuracy: list[float]  # after each epoch
    train_accuracy: float
    layer_sizes: list[int]


def load(invert: bool = False, test_fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, ...]:
    """``(X_train, Y_train, X_test, labels_test)``: pixels scaled to [0, 1], samples as columns, one-hot Y."""
    datasets = require("sklearn.datasets", "scikit-learn", "digits", "the digits experiment")
    digits = datasets.load_digits()
    images = digits.data / 16.0
    if invert:
        images = 1.0 - images  # ink 0, paper 1: report 001 found this trains worse
    order = np.random.default_rng(seed).permutation(len(images))
    n_test = round(test_fraction * len(images))
    test, train = order[:n_test], order[n_test:]
    one_hot = np.eye(10)[digits.target].T
    return images[train].T, one_hot[:, train], images[test].T, digits.target[test]


def run(
    activation: str = "leaky_relu",
    hidden: tuple[int, ...] = (128,),
    epochs: int = 40,
    batch_size: int = 32,
    lr: float = 0.1,
    dropout: float = 0.0,
    l2: float = 0.0,
    invert: bool = False,
    init: str = "xavier",
    seed: int = 0,
) -> DigitsResult:
    """Softmax + cross-entropy, mini-batch SGD; test accuracy is tracked every epoch."""
    X_train, Y_train, X_test, labels_test = load(invert, seed=seed)
    sizes = [64, *hidden, 10]
    test_accuracy: list[float] = []

    def evaluate(_: int, params: mlp.Params) -> None:
        scores = mlp.predict(params, X_test, activation, "softmax")
        test_accuracy.append(accuracy(scores.argmax(axis=0), labels_test))

    params, losses = mlp.train(
        X_train, Y_train, sizes, activation, "softmax", "ce", lr=lr, epochs=epochs, batch_size=batch_size,
        seed=seed, init=init, l2=l2, dropout=dropout, on_epoch=evaluate,
    )  # fmt: skip
    train_scores = mlp.predict(params, X_train, activation, "softmax")
    return DigitsResult(
        params, losses, test_accuracy, accuracy(train_scores.argmax(axis=0), Y_train.argmax(axis=0)), sizes
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--activation", default="leaky_relu", choices=sorted(mlp.ACTIVATIONS))
    parser.add_argument("--hidden", type=int, nargs="+", default=[128], help="hidden layer sizes")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--dropout", type=float, default=0.0, help="probability of dropping a hidden unit")
    parser.add_argument("--l2", type=float, default=0.0, help="λ of the ½λ‖W‖² penalty")
    parser.add_argument("--invert", action="store_true", help="train on inverted pixels (1 − x)")
    parser.add_argument("--init", default="xavier", choices=mlp.INITIALISERS)
    parser.add_argument("--seed", type=int, default=0)


def main(options: argparse.Namespace, plot_path: Path | None) -> None:
    with console.status(f"training for {options.epochs} epochs"):
        result = run(
            options.activation, tuple(options.hidden), options.epochs, options.batch_size, options.lr,
            options.dropout, options.l2, options.invert, options.init, options.seed,
        )  # fmt: skip
    table = Table(title=f"8×8 digits, layers {result.layer_sizes}, softmax + cross-entropy")
    table.add_column("setting")
    table.add_column("value", justify="right")
    for name in ("activation", "batch_size", "lr", "dropout", "l2", "invert", "init"):
        table.add_row(name, str(getattr(options, name)))
    table.add_row("final train loss", f"{result.losses[-1]:.4f}")
    table.add_row("train accuracy", f"{result.train_accuracy:.4f}")
    table.add_row("test accuracy", f"[bold]{result.test_accuracy[-1]:.4f}")
    console.print(table)

    def draw(figure):
        left, right = figure.subplots(1, 2)
        left.plot(result.losses)
        left.set(title="training loss", xlabel="epoch")
        right.plot(result.test_accuracy)
        right.set(title="test accuracy", xlabel="epoch", ylim=(0, 1))

    save_plot(draw, plot_path)
