"""The binomial likelihood of lecture 004 (homework I: 100 draws, 70 white).

``L(p) = C(n, k) p^k (1 − p)^(n − k)``. It is computed through its logarithm,
with ``ln C(n, k)`` taken from the exact integer ``math.comb(n, k)``, so nothing
overflows for ``n`` in the tens of thousands; ``0·ln 0`` is taken as 0, which
makes the boundaries exact (``0**0 == 1``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _log_comb(n: int, k: int) -> float:
    return math.log(math.comb(n, k))  # math.log is exact enough on huge ints


def binomial_log_likelihood(p: Any, n: int, k: int) -> Any:
    """``ln L(p)``; ``-inf`` where the likelihood is 0. ``p`` may be an array."""
    n, k = int(n), int(k)
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got n={n}, k={k}")
    p_array = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore"):
        success = k * np.log(p_array) if k else np.zeros_like(p_array)
        failure = (n - k) * np.log1p(-p_array) if n - k else np.zeros_like(p_array)
    result = _log_comb(n, k) + success + failure
    return float(result) if result.ndim == 0 else result


def binomial_likelihood(p: Any, n: int, k: int) -> Any:
    """``C(n, k) p^k (1 − p)^(n − k)``, exactly 1 or 0 at ``p = 0`` and ``p = 1``."""
    result = np.exp(binomial_log_likelihood(p, n, k))
    return float(result) if np.ndim(result) == 0 else result


def mle_ratio(n: int, k: int) -> float:
    """The root of ``dL/dp = 0`` inside (0, 1): ``k / n``."""
    return k / n


def grid_argmax(n: int, k: int, num: int = 1001) -> float:
    """The ``p`` in ``np.linspace(0, 1, num)`` with the largest likelihood (first one on ties)."""
    grid = np.linspace(0.0, 1.0, num)
    return float(grid[np.argmax(binomial_log_likelihood(grid, n, k))])
