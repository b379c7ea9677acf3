"""DrawCache (draw_cache.py): a hypothesis' draws kept between runs are the draws a fresh run makes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.draw_cache import DRAWS, DrawCache, law_key
from calculations.engine.uncertainty import draw_law, simulate

DAY = date(2025, 1, 1)


def _arrays(size: int, value: float = 1.0):
    return (np.full(size, value), np.zeros(size, dtype=np.uint8))


def test_kept_arrays_are_returned_without_making_them_again():
    cache, made = DrawCache(), []
    first = cache.get("k", lambda: made.append(1) or _arrays(10))
    assert cache.get("k", lambda: made.append(1) or _arrays(10)) is first
    assert made == [1]


def test_kept_arrays_are_read_only():
    values, _ = DrawCache().get("k", lambda: _arrays(10))
    with pytest.raises(ValueError):
        values[0] = 2.0


def test_the_least_recently_used_entries_leave_first_to_keep_the_bound():
    cache = DrawCache(max_bytes=3 * 90)  # three entries of 80 + 10 bytes
    for key in "abc":
        cache.get(key, lambda: _arrays(10))
    cache.get("a", lambda: _arrays(10))  # a used again: b is now the oldest
    cache.get("d", lambda: _arrays(10))
    assert len(cache) == 3 and cache.nbytes <= cache.max_bytes
    made = []
    cache.get("b", lambda: made.append("b") or _arrays(10))
    cache.get("a", lambda: made.append("a") or _arrays(10))
    assert made == ["b"]


def test_arrays_larger_than_the_bound_are_not_kept():
    cache = DrawCache(max_bytes=50)
    cache.get("k", lambda: _arrays(10))
    assert len(cache) == 0 and cache.nbytes == 0


def test_an_int_and_a_float_bound_are_different_laws():
    assert law_key(1, ("models", "m", "gpu_count"), 100, 4, 8, 8.5) != law_key(
        1, ("models", "m", "gpu_count"), 100, 4.0, 8, 8.5)


def test_a_kept_law_is_the_law_a_fresh_draw_makes():
    stream = ("regions", "", "pue")
    fresh = draw_law(5001, stream, 20_000, 1.09, 1.2, 1.56)
    kept = DrawCache().get(law_key(5001, stream, 20_000, 1.09, 1.2, 1.56),
                           lambda: draw_law(5001, stream, 20_000, 1.09, 1.2, 1.56))
    assert all(a.tobytes() == b.tobytes() for a, b in zip(fresh, kept))


def test_a_run_gives_the_same_figures_with_every_law_kept_or_none(default_parameters):
    cells = [Cell(DAY, code, 100 + i) for i, code in enumerate(default_parameters.profiles)]
    result = compute(cells, default_parameters, "france")
    DRAWS.clear()
    cold = simulate(cells, default_parameters, result).as_dict()
    assert len(DRAWS) > 0
    warm = simulate(cells, default_parameters, result).as_dict()
    DRAWS.clear()
    assert repr(warm) == repr(cold)  # repr: bit for bit, NaN included


def test_arrays_exactly_the_size_of_the_bound_are_kept():
    cache = DrawCache(max_bytes=90)  # one entry of 80 + 10 bytes
    cache.get("k", lambda: _arrays(10))
    assert (len(cache), cache.nbytes) == (1, 90)


def test_the_kept_bytes_are_counted_after_an_eviction():
    cache = DrawCache(max_bytes=2 * 90)
    for key in "abc":  # c evicts a
        cache.get(key, lambda: _arrays(10))
    assert (len(cache), cache.nbytes) == (2, 180)


def test_a_cleared_cache_holds_nothing_and_counts_no_byte():
    cache = DrawCache()
    cache.get("k", lambda: _arrays(10))
    cache.clear()
    assert (len(cache), cache.nbytes) == (0, 0)
