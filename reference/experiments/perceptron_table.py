"""The lecture's perceptron iteration table and homework III's continuation (M2 at step 5)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from reference.experiments._common import console, save_plot
from reference.perceptron import HW3_NAMES, HW3_X, HW3_Y, Row, hyperplane_text, perceptron_train, trace_table


def traces(forced_step: int = 5, forced_point: str = "M2") -> dict[str, list[Row]]:
    """The lowest-index run, and the run with ``forced_point`` at ``forced_step`` (lowest-index otherwise)."""
    schedule = {forced_step: HW3_NAMES.index(forced_point)}
    return {
        "lecture (lowest-index rule)": perceptron_train(HW3_X, HW3_Y),
        f"homework III ({forced_point} at step {forced_step})": perceptron_train(
            HW3_X, HW3_Y, schedule=schedule
        ),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--forced-step", type=int, default=5)
    parser.add_argument("--forced-point", default="M2", choices=HW3_NAMES)


def main(options: argparse.Namespace, plot_path: Path | None) -> None:
    runs = traces(options.forced_step, options.forced_point)
    for title, trace in runs.items():
        table = Table(title=title)
        for column in ("迭代次数", "误分类点", "w", "b", "超平面"):
            table.add_column(column, justify="right" if column in ("迭代次数", "b") else "left")
        for iteration, point, w, b, hyperplane in trace_table(trace, HW3_NAMES):
            table.add_row(str(iteration), point, w, b, hyperplane)
        console.print(table)
        _, _, final_w, final_b = trace[-1]
        console.print(f"感知机模型: f(x) = sign({hyperplane_text(final_w, final_b)})\n")

    def draw(figure):
        ax = figure.subplots()
        for (x1, x2), label, name in zip(HW3_X, HW3_Y, HW3_NAMES):
            ax.scatter(x1, x2, marker="o" if label > 0 else "x", s=80, color="C0" if label > 0 else "C3")
            ax.annotate(name, (x1, x2), textcoords="offset points", xytext=(6, 6))
        xs = [0.0, 5.0]
        for color, (title, trace) in zip(("C2", "C1"), runs.items()):
            _, _, (w1, w2), b = trace[-1]
            ax.plot(
                xs,
                [-(w1 * x + b) / w2 for x in xs],
                color=color,
                label=f"{title}: {hyperplane_text((w1, w2), b)} = 0",
            )
        ax.set(xlim=(0, 5), ylim=(0, 5), xlabel="x1", ylabel="x2", title="final hyperplanes")
        ax.legend(fontsize="small")

    save_plot(draw, plot_path)
