"""What the experiments share: the console, optional extras, plots."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape

console = Console()


class MissingExtra(RuntimeError):
    """An optional package an experiment needs is not installed."""


def require(module: str, package: str, extra: str, why: str) -> ModuleType:
    """Import an optional package or explain how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"{why} needs {package}: pip install '.[{extra}]' in the repository (or pip install {package})"
        ) from None


def accuracy(predicted: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(predicted == labels))


def save_plot(draw: Callable[[Any], None], path: Path | None) -> Path | None:
    """Draw on a fresh matplotlib figure and save it as PNG; None when skipped.

    Plots are optional: without matplotlib the experiment still runs and says so.
    """
    if path is None:
        return None
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        message = "no plot: matplotlib is not installed (pip install '.[plots]' or pip install matplotlib)"
        console.print(escape(message), style="yellow")
        return None
    figure = plt.figure(figsize=(9, 4.5), layout="constrained")
    draw(figure)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(figure)
    console.print(f"plot written to [bold]{path}")
    return path
