"""XOR, the problem no single perceptron solves, learned by a small sigmoid network."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.table import Table

from reference import mlp
from reference.experiments._common import accuracy, console, save_plot

X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])  # samples as columns
Y = np.array([[0.0, 1.0, 1.0, 0.0]])


@dataclass
class XorResult:
    params: mlp.Params
    losses: list[float]
    outputs: np.ndarray
    accuracy: float


def run(hidden: int = 4, epochs: int = 3000, lr: float = 2.0, seed: int = 0) -> XorResult:
    """Full-batch gradient descent on ½‖y − a‖² with sigmoid everywhere."""
    params, losses = mlp.train(
        X, Y, [2, hidden, 1], "sigmoid", "sigmoid", "half_sse", lr=lr, epochs=epochs, seed=seed
    )
    outputs = mlp.predict(params, X)
    return XorResult(params, losses, outputs, accuracy(outputs > 0.5, Y > 0.5))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hidden", type=int, default=4, help="hidden units (2 or 4 in the lecture)")
    parser.add_argument("--epochs", type=int, default=3000)
    parser.add_argument("--lr", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)


def main(options: argparse.Namespace, plot_path: Path | None) -> None:
    result = run(options.hidden, options.epochs, options.lr, options.seed)
    table = Table(title=f"XOR with a 2-{options.hidden}-1 sigmoid network")
    for column in ("x1", "x2", "y", "a (output)"):
        table.add_column(column, justify="right")
    for (x1, x2), y, a in zip(X.T, Y[0], result.outputs[0]):
        table.add_row(f"{x1:g}", f"{x2:g}", f"{y:g}", f"{a:.4f}")
    console.print(table)
    console.print(f"final loss {result.losses[-1]:.6f}, accuracy {result.accuracy:.0%}")

    def draw(figure):
        left, right = figure.subplots(1, 2)
        left.semilogy(result.losses)
        left.set(title="training loss", xlabel="epoch", ylabel="½‖y − a‖²")
        grid = np.linspace(-0.25, 1.25, 151)
        g1, g2 = np.meshgrid(grid, grid)
        surface = mlp.predict(result.params, np.vstack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
        right.contourf(g1, g2, surface, levels=20, cmap="RdBu_r")
        right.scatter(X[0], X[1], c=Y[0], cmap="RdBu_r", edgecolors="k", s=80)
        right.set(title="network output", xlabel="x1", ylabel="x2")

    save_plot(draw, plot_path)
