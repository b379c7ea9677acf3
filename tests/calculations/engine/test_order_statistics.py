"""partition_at_ranks and order_statistics (order_statistics.py): a full sort's values at some ranks, faster."""

from __future__ import annotations

import numpy as np
import pytest

from calculations.engine.order_statistics import order_statistics, partition_at_ranks


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


class AdversarialPartition(np.ndarray):
    """An array whose partition keeps only what np.partition promises: the value at kth in its place, the
    others on the right side of it, each side in reversed order (numpy's own partition often leaves the
    next order statistic right after kth, which would hide a search that skips it)."""

    def partition(self, kth, *args, **kwargs):
        super().partition(kth, *args, **kwargs)
        plain = self.view(np.ndarray)
        plain[:kth] = plain[:kth][::-1].copy()
        plain[kth + 1:] = plain[kth + 1:][::-1].copy()


def test_the_rank_just_above_the_first_placed_one_holds_its_order_statistic():
    """Ranks 100, 1000 and 1001 of 0..1999 shuffled: 1000 is placed first, and 1001 is searched for among
    every value after it, including the one right after it."""
    values = np.random.default_rng(6).permutation(np.arange(2000.0)).view(AdversarialPartition)
    partition_at_ranks(values, [100, 1000, 1001])
    assert values[[100, 1000, 1001]].tolist() == [100.0, 1000.0, 1001.0]


@pytest.mark.parametrize("size, ranks", [
    (20_000, [999, 1000, 9999, 10000, 18999, 19000]),  # the Monte Carlo's P5, P50, P95 and their neighbours
    (20_001, [1000, 10000, 19000]),
    (2_000, [0, 1, 1999, 1998]),  # the extremes, given out of order
    (5_000, [2500, 2500]),
    (1_999, [99, 100, 1899]),
    (1, [0]),
])
def test_order_statistics_are_a_full_sort_s_values_at_the_ranks(size, ranks):
    values = np.random.default_rng(size).lognormal(size=size)
    assert order_statistics(values.copy(), ranks) == np.sort(values)[ranks].tolist()


@pytest.mark.parametrize("arrange", [np.sort, lambda v: np.sort(v)[::-1].copy(), lambda v: np.round(v, 1)])
def test_order_statistics_hold_for_sorted_reversed_and_tied_values(arrange):
    values = arrange(np.random.default_rng(8).normal(size=20_000))
    ranks = [999, 1000, 9999, 10000, 18999, 19000]
    assert order_statistics(values.copy(), ranks) == np.sort(values)[ranks].tolist()


def test_a_rank_after_a_placed_one_is_read_among_every_value_up_to_the_next_placed_rank():
    """Ranks 999/1000 and 9999/10000: 1000 is the least of the values between the placed 999 and 9999,
    whatever order the partition left them in."""
    values = np.random.default_rng(9).permutation(np.arange(20_000.0)).view(AdversarialPartition)
    assert order_statistics(values, [999, 1000, 9999, 10000]) == [999.0, 1000.0, 9999.0, 10000.0]


def test_a_run_of_three_ranks_places_the_third_again():
    values = np.random.default_rng(11).permutation(np.arange(3000.0)).view(AdversarialPartition)
    assert order_statistics(values, [1500, 1501, 1502, 2999]) == [1500.0, 1501.0, 1502.0, 2999.0]


def test_order_statistics_place_nan_after_every_number_as_a_sort_does():
    values = np.random.default_rng(10).random(20_000)
    values[[5, 500, 5000]] = np.nan
    ranks = [999, 19_996, 19_997]
    got = order_statistics(values.copy(), ranks)
    assert got[:2] == np.sort(values)[ranks[:2]].tolist() and np.isnan(got[2])


def test_a_rank_read_among_numbers_and_nans_is_the_least_number():
    """Rank 19 996 is the greatest number, read among it and the three NaNs (a min would give NaN)."""
    values = np.random.default_rng(14).random(20_000)
    values[[7, 70, 700]] = np.nan
    ranks = [18_999, 19_000, 19_995, 19_996]
    assert order_statistics(values.copy(), ranks) == np.sort(values)[ranks].tolist()


@pytest.mark.parametrize("arrange", [lambda v: v, lambda v: v[::-1].copy(), np.random.default_rng(13).permutation],
                         ids=["sorted", "reversed", "shuffled"])
def test_every_rank_of_an_array_is_its_order_statistic(arrange):
    """All ranks at once: every other rank placed, the ones between read as the least after it."""
    values = arrange(np.arange(4000.0))
    assert order_statistics(values, range(4000)) == list(range(4000))
