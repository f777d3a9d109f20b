"""Time one training epoch of the reference MLP, and of the same network in PyTorch when it is installed.

The network is 64-128-10 (leaky ReLU hidden layer, softmax + cross-entropy), trained with
mini-batch SGD, batch 32, lr 0.1, float64, on the 1797 8×8 digits (random data of that shape when
scikit-learn is absent). Prints the median over repeats and, with PyTorch, the ratio
reference / PyTorch (target: at most 1.5).

    python -m bench.bench_mlp [--repeats 15]      (from the repository root)
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from reference import mlp

SIZES = [64, 128, 10]
BATCH = 32
LR = 0.1
SAMPLES = 1797


def load_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray, str]:
    """``(X (64, m), labels (m,), description)``."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        rng = np.random.default_rng(seed)
        return (
            rng.random((SIZES[0], SAMPLES)),
            rng.integers(0, 10, SAMPLES),
            "random data (scikit-learn absent)",
        )
    digits = load_digits()
    return digits.data.T / 16.0, digits.target, "scikit-learn digits"


def median_seconds(runners: list[Callable[[], None]], repeats: int) -> list[float]:
    """Median wall time of each runner; the runners take turns so that both see the same machine load."""
    for run_epoch in runners:
        run_epoch()  # warm-up: first-call allocations and lazy imports
    times: list[list[float]] = [[] for _ in runners]
    for _ in range(repeats):
        for run_epoch, samples in zip(runners, times):
            start = time.perf_counter()
            run_epoch()
            samples.append(time.perf_counter() - start)
    return [statistics.median(samples) for samples in times]


def numpy_epoch_runner(X: np.ndarray, labels: np.ndarray) -> Callable[[], None]:
    Y = np.eye(SIZES[-1])[labels].T
    state = {"params": mlp.init_params(SIZES, seed=0), "seed": 0}

    def run_epoch() -> None:
        state["seed"] += 1
        state["params"], _ = mlp.train(
            X, Y, SIZES, "leaky_relu", "softmax", "ce", lr=LR, epochs=1, batch_size=BATCH,
            seed=state["seed"], params=state["params"],
        )  # fmt: skip

    return run_epoch


def torch_epoch_runner(X: np.ndarray, labels: np.ndarray) -> Callable[[], None] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    inputs = torch.from_numpy(np.ascontiguousarray(X.T))  # PyTorch puts samples in rows
    targets = torch.from_numpy(labels.astype(np.int64))
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.LeakyReLU(0.01), torch.nn.Linear(SIZES[1], SIZES[2])
    ).double()
    optimiser = torch.optim.SGD(model.parameters(), lr=LR)
    loss_function = torch.nn.CrossEntropyLoss()

    def run_epoch() -> None:
        order = torch.randperm(len(targets))
        for start in range(0, len(targets), BATCH):
            batch = order[start : start + BATCH]
            optimiser.zero_grad(set_to_none=True)
            loss_function(model(inputs[batch]), targets[batch]).backward()
            optimiser.step()

    return run_epoch


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed epochs per implementation")
    options = parser.parse_args(argv)
    X, labels, description = load_data()
    print(
        f"one epoch of {'-'.join(map(str, SIZES))}, {X.shape[1]} samples ({description}), batch {BATCH}, float64"
    )
    runners = [numpy_epoch_runner(X, labels)]
    torch_runner = torch_epoch_runner(X, labels)
    if torch_runner is not None:
        runners.append(torch_runner)
    numpy_time, *torch_time = median_seconds(runners, options.repeats)
    print(f"reference (NumPy): median {numpy_time * 1e3:.2f} ms over {options.repeats} epochs")
    if not torch_time:
        print("PyTorch is not installed: comparison skipped")
        return
    import torch

    ratio = numpy_time / torch_time[0]
    print(
        f"PyTorch {torch.__version__} (CPU, {torch.get_num_threads()} threads): median {torch_time[0] * 1e3:.2f} ms"
    )
    print(f"ratio reference / PyTorch: {ratio:.2f} (target <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
