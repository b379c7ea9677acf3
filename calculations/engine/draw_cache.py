"""The draws of a hypothesis kept between runs of one process (speed work, issue 17).

A hypothesis' draws depend on nothing but its law (low, mode, high), its stream (the project seed
and the hypothesis' stream key) and the number of draws: every upload under the same methodology
version draws the same arrays again. Drawing them (a PCG64 stream, 20 000 uniforms, the triangular
inverse distribution function, the Sobol bins) was about 40 % of a typical upload's Monte Carlo. A
worker keeps the most recently used ones here, bounded in bytes; the arrays are read-only, so a run
cannot alter what the next one reads, and a kept array is the very array a fresh draw makes (the
same function of the same key: tests/calculations/engine/test_draw_cache.py compares them).

The bound (DEFAULT_MAX_BYTES, 8 MiB: the 27 uncertain hypotheses of the shipped version take
4.9 MB at 20 000 draws) keeps a worker's memory flat: a run with more hypotheses than fit (500
profiles draw 1 017) evicts the oldest as it goes and gains nothing, at the cost of a dict lookup.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

DEFAULT_MAX_BYTES = 8 * 1024 * 1024


class DrawCache:
    """A least-recently-used map from a hypothesis' key to its (draws, bins), at most `max_bytes`."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[np.ndarray, ...]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # threaded workers share one cache

    def get(self, key: Hashable, make: Callable[[], tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
        """The arrays kept under `key`, else `make()`'s, kept (read-only) when they fit."""
        with self._lock:
            arrays = self._entries.get(key)
            if arrays is not None:
                self._entries.move_to_end(key)
                return arrays
        arrays = make()
        for array in arrays:
            array.flags.writeable = False
        size = sum(array.nbytes for array in arrays)
        if size <= self.max_bytes:
            with self._lock:
                if key not in self._entries:
                    self._entries[key] = arrays
                    self._bytes += size
                    while self._bytes > self.max_bytes:
                        _, evicted = self._entries.popitem(last=False)
                        self._bytes -= sum(array.nbytes for array in evicted)
        return arrays

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)


def law_key(seed: int, stream: tuple[str, str, str], draws: int, low, mode, high) -> tuple:
    """The key of a hypothesis' draws: everything they are computed from. The numbers' types are part
    of it (8 and 8.0 are equal keys in Python, but the arithmetic of an int bound is not a float's)."""
    return (seed, stream, draws, *((type(x), x) for x in (low, mode, high)))


DRAWS = DrawCache()  # the process's
