"""XOR, the problem no single perceptron solves, learned by a small sigmoid network.

Measured with the defaults (lr 2, 3000 full-batch epochs, xavier init from ``seed``), seeds 0–99:
4 hidden units (the default) reach 100 % on all 100 seeds, and so do 3 and 8; **2 hidden units reach
100 % on 80 of the 100** and stall at 50 % on the other 20 (seeds 0, 4, 9, 11, 12, …). Those runs settle
where the network fits two of the four points and leaves the other two at a ≈ 0.5 (mean loss
½·2·0.5²/4 = 1/16): a local minimum (or a region flat enough to act as one) that 30 000 epochs do not
leave either. Two hidden units are the fewest that can solve XOR, so no spare unit can take over the
missing half. The default seed is 1, where 2 and 4 hidden units both reach 100 %; ``--hidden 2 --seed 0``
shows a stuck run. (The seeds give no hidden size for XOR; the lecture only shows that no single straight
line separates it.)
"""

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


STALL_SHARE_2_HIDDEN = (20, 100)  # measured: seeds 0–99 with 2 hidden units that stay at 50 %


def run(hidden: int = 4, epochs: int = 3000, lr: float = 2.0, seed: int = 1) -> XorResult:
    """Full-batch gradient descent on ½‖y − a‖² with sigmoid everywhere."""
    params, losses = mlp.train(
        X, Y, [2, hidden, 1], "sigmoid", "sigmoid", "half_sse", lr=lr, epochs=epochs, seed=seed
    )
    outputs = mlp.predict(params, X)
    return XorResult(params, losses, outputs, accuracy(outputs > 0.5, Y > 0.5))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hidden", type=int, default=4,
        help="hidden units (default 4: 100%% on seeds 0-99; 2 is the fewest that can work and reaches 100%% "
        "on 80 of seeds 0-99, the rest stall at 50%%)",
    )  # fmt: skip
    parser.add_argument("--epochs", type=int, default=3000)
    parser.add_argument("--lr", type=float, default=2.0)
    parser.add_argument(
        "--seed", type=int, default=1, help="initialisation seed (default 1; with --hidden 2, seed 0 stalls at 50%%)"
    )


def main(options: argparse.Namespace, plot_path: Path | None) -> None:
    result = run(options.hidden, options.epochs, options.lr, options.seed)
    table = Table(title=f"XOR with a 2-{options.hidden}-1 sigmoid network")
    for column in ("x1", "x2", "y", "a (output)"):
        table.add_column(column, justify="right")
    for (x1, x2), y, a in zip(X.T, Y[0], result.outputs[0]):
        table.add_row(f"{x1:g}", f"{x2:g}", f"{y:g}", f"{a:.4f}")
    console.print(table)
    console.print(f"final loss {result.losses[-1]:.6f}, accuracy {result.accuracy:.0%}")
    if result.accuracy < 1.0 and options.hidden == 2:
        stalled, seeds = STALL_SHARE_2_HIDDEN
        console.print(
            f"stuck in a local minimum: points fitted on one side, the rest left near 0.5. With 2 hidden units "
            f"{stalled} of {seeds} seeds (0–{seeds - 1}) end like this; try another --seed or more --hidden units",
            style="yellow",
        )
    elif result.accuracy < 1.0:
        console.print("not learned within --epochs: try more epochs or another --seed", style="yellow")

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
