"""Small timing helpers: best-of-N wall time, so a noisy neighbour on a 2-core machine skews less."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], *, repeat: int = 5, number: int = 1) -> float:
    """Seconds per call: the best of `repeat` runs of `number` calls each."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"
