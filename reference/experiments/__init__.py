"""Runnable experiments after the course material: ``python -m reference.experiments NAME [options]``.

Each experiment module has ``run(...)`` (plain results, used by the tests at a
reduced size), ``add_arguments(parser)`` and ``main(options, plot_path)`` (rich
output, and a PNG when matplotlib is installed).
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

EXPERIMENTS = {
    "xor": "xor",
    "sin": "sin",
    "digits": "digits",
    "init-symmetry": "init_symmetry",
    "perceptron-table": "perceptron_table",
}


def main(argv: list[str] | None = None) -> int:
    from rich.markup import escape

    from reference.experiments._common import MissingExtra, console

    parser = argparse.ArgumentParser(
        prog="python -m reference.experiments", description=__doc__.splitlines()[0]
    )
    plots = argparse.ArgumentParser(add_help=False)
    plots.add_argument(
        "--plot-dir", type=Path, default=Path("results"), help="where PNG plots go (default: results/)"
    )
    plots.add_argument("--no-plot", action="store_true", help="skip the PNG plot")
    commands = parser.add_subparsers(dest="name", required=True, metavar="NAME")
    modules = {}
    for name, module_name in EXPERIMENTS.items():
        module = importlib.import_module(f"reference.experiments.{module_name}")
        modules[name] = module
        assert module.__doc__ is not None, f"{module_name}: its docstring's first line is the command's help"
        module.add_arguments(commands.add_parser(name, parents=[plots], help=module.__doc__.splitlines()[0]))
    options = parser.parse_args(argv)
    plot_path = None if options.no_plot else options.plot_dir / f"{options.name}.png"
    try:
        modules[options.name].main(options, plot_path)
    except MissingExtra as missing:
        console.print(escape(str(missing)), style="red")
        return 2
    return 0
