"""Parameter and multiply-accumulate counts of a fully connected network (homework V)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np


def count_params(layer_sizes: Sequence[int], bias: bool = True) -> int:
    """``Σ_l n_{l-1}·n_l (+ n_l)``: the entries of every ``W^(l)`` (and ``b^(l)``)."""
    sizes = [int(n) for n in layer_sizes]
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in itertools.pairwise(sizes))


def count_macs(layer_sizes: Sequence[int]) -> int:
    """Multiply-accumulates of one forward pass of one sample: ``Σ_l n_{l-1}·n_l``.

    Each weight is used once per sample in ``W a``; adding the bias is not a MAC.
    """
    sizes = [int(n) for n in layer_sizes]
    return sum(n_in * n_out for n_in, n_out in itertools.pairwise(sizes))


def allocated_params(params: Sequence[tuple[np.ndarray, np.ndarray]], bias: bool = True) -> int:
    """The number of entries the network's arrays actually hold."""
    return sum(W.size + (b.size if bias else 0) for W, b in params)
