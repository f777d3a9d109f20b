"""The symmetry problem: with all-zero weights every hidden unit learns the same thing."""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.table import Table

from reference import mlp
from reference.experiments._common import accuracy, console, save_plot


@dataclass
class SymmetryRun:
    init: str
    params: mlp.Params
    losses: list[float]
    unit_spread: float  # largest difference between two hidden units' weights (in and out)
    accuracy: float


def unit_spread(params: mlp.Params) -> float:
    """How far apart the hidden units are: 0 means every unit of every hidden layer is a copy of the first.

    Unit i of hidden layer l is row i of ``(W^(l), b^(l))`` (what comes in) and
    column i of ``W^(l+1)`` (what goes out).
    """
    spread = 0.0
    for (W, b), (W_next, _) in itertools.pairwise(params):
        incoming = np.hstack([W, b])
        spread = max(
            spread,
            float(np.max(np.abs(incoming - incoming[:1]))),
            float(np.max(np.abs(W_next - W_next[:, :1]))),
        )
    return spread


def disc_data(samples: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points in [−1, 1]² labelled 1 inside the disc x1² + x2² < 0.5 (about 39% of them).

    A disc needs several hidden units; the classes are unbalanced so that zero-initialised
    output weights do receive gradient (on balanced XOR they would not move at all).
    """
    X = np.random.default_rng(seed).uniform(-1.0, 1.0, (2, samples))
    return X, (np.sum(X**2, axis=0, keepdims=True) < 0.5).astype(float)


def run(
    init: str, hidden: int = 8, epochs: int = 2000, lr: float = 2.0, samples: int = 200, seed: int = 0
) -> SymmetryRun:
    """Train a 2-hidden-1 sigmoid network (binary cross-entropy, full batch) from one initialiser."""
    X, Y = disc_data(samples, seed)
    params, losses = mlp.train(
        X, Y, [2, hidden, 1], "sigmoid", "sigmoid", "bce", lr=lr, epochs=epochs, seed=seed, init=init
    )
    return SymmetryRun(
        init, params, losses, unit_spread(params), accuracy(mlp.predict(params, X) > 0.5, Y > 0.5)
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hidden", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2000)
    parser.add_argument("--lr", type=float, default=2.0)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)


def main(options: argparse.Namespace, plot_path: Path | None) -> None:
    runs = [
        run(init, options.hidden, options.epochs, options.lr, options.samples, options.seed)
        for init in ("zeros", "xavier")
    ]
    table = Table(
        title=f"inside a disc or not: 2-{options.hidden}-1 sigmoid network, {options.epochs} epochs"
    )
    for column in ("init", "largest difference between hidden units", "final loss", "accuracy"):
        table.add_column(column, justify="right")
    for result in runs:
        table.add_row(
            result.init, f"{result.unit_spread:.3g}", f"{result.losses[-1]:.4f}", f"{result.accuracy:.0%}"
        )
    console.print(table)
    console.print(
        "zero init: every hidden unit gets the same gradient at every step, so the units stay copies of each "
        "other and the layer acts like a single unit, which can only draw a straight boundary (对称性问题)."
    )

    def draw(figure):
        axes = figure.subplots(1, len(runs))
        for ax, result in zip(axes, runs):
            image = ax.imshow(np.hstack(result.params[0]), cmap="RdBu_r")
            ax.set(
                title=f"{result.init}: [W⁽¹⁾ | b⁽¹⁾] after training",
                xlabel="input (last column: bias)",
                ylabel="hidden unit",
            )
            figure.colorbar(image, ax=ax)

    save_plot(draw, plot_path)
