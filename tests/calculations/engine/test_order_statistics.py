"""partition_at_ranks (order_statistics.py): what `ndarray.partition(ranks)` guarantees, faster."""

from __future__ import annotations

import numpy as np
import pytest

from calculations.engine.order_statistics import partition_at_ranks


def _assert_partitioned(values: np.ndarray, original: np.ndarray, ranks) -> None:
    ordered = np.sort(original)
    assert sorted(values.tolist()) == ordered.tolist()  # the same values, moved only
    for rank in ranks:
        assert values[rank] == ordered[rank]
        assert (values[:rank] <= values[rank]).all() and (values[rank + 1:] >= values[rank]).all()


@pytest.mark.parametrize("size, ranks", [
    (20_000, [999, 9999, 18999]),  # the Monte Carlo's P5, P50, P95 ranks
    (20_001, [1000, 10000, 19000]),
    (1001, [50, 500, 950]),
    (7, [0, 3, 6]),
    (2, [0]),
    (1, [0]),
    (50, [10, 10, 3]),  # repeated and unsorted ranks
])
def test_each_rank_holds_its_order_statistic_and_splits_the_values(size, ranks):
    original = np.random.default_rng(size).lognormal(size=size)
    values = original.copy()
    partition_at_ranks(values, ranks)
    _assert_partitioned(values, original, ranks)


def test_ties_are_placed_like_a_sort():
    original = np.round(np.random.default_rng(3).normal(size=5000), 1)  # many equal values
    values = original.copy()
    partition_at_ranks(values, [249, 2499, 4749])
    _assert_partitioned(values, original, [249, 2499, 4749])


def test_the_order_statistics_equal_numpy_s_partition_at_the_same_ranks():
    rng = np.random.default_rng(11)
    for _ in range(50):
        size = int(rng.integers(1, 3000))
        ranks = sorted(set(rng.integers(0, size, size=3).tolist()))
        original = rng.standard_normal(size) ** 3
        ours, numpy_s = original.copy(), original.copy()
        partition_at_ranks(ours, ranks)
        numpy_s.partition(ranks)
        assert ours[ranks].tobytes() == numpy_s[ranks].tobytes()


def test_the_rank_just_above_the_first_placed_one_holds_its_order_statistic():
    """Ranks 100, 1000 and 1001 of 0..1999 in 200 shuffled orders: 1000 is placed first, and 1001 is searched
    for among every value after it, including the one right after it (numpy's partition does not always leave
    the least of the values above a rank next to it: 5 of these 200 orders do not)."""
    rng = np.random.default_rng(6)
    for _ in range(200):
        values = rng.permutation(np.arange(2000.0))
        partition_at_ranks(values, [100, 1000, 1001])
        assert values[[100, 1000, 1001]].tolist() == [100.0, 1000.0, 1001.0]
