"""Order statistics of an array of draws, for the Monte Carlo's percentiles (speed work, issues 17 and 19).

numpy's `ndarray.partition(kth)` at several ranks at once is several times slower than at one rank
(on 20 000 doubles: about 175 us at two neighbouring tail ranks, 27 us at the median alone), and a
run's percentiles are most of the Monte Carlo's time (5 estimates per profile and for the run).
`partition_at_ranks` gives the same guarantee as `values.partition(ranks)` by one single-rank
partition per rank, each on the segment between the ranks already placed. The order statistics it
places are exact (the same values as a full sort), so percentiles read from them are bit for bit
those of `np.percentile`; tests/calculations/engine/test_order_statistics.py holds it to
`np.partition` and `np.sort`.

`order_statistics` reads the order statistics a percentile interpolates between: ranks in pairs
(r, r + 1). Only the first rank of each pair is placed by partition; once it is, the values between it
and the next placed rank are exactly the order statistics in between, so the next one is their least
value: a min, several times cheaper than another partition (issue 19: 85 us instead of 220 us for the
Monte Carlo's P5, P50 and P95 of 20 000 draws, which the earlier bracket of a sorted sample took). A min
that meets a NaN falls back to a partition of that segment, which orders NaN after every number, as a
sort does. Either way the result is a full sort's value at that rank.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np


def partition_at_ranks(values: np.ndarray, ranks) -> None:
    """Partition the 1-D `values` in place as `values.partition(ranks)` does: each rank holds the order
    statistic of that rank (the value a full sort puts there), every value before it is not greater,
    every value after it not less.

    Divide and conquer: the middle rank is placed first over the whole array, then the ranks below it
    within the values before it, the ranks above within the values after it (all of which are already
    on the right side of it), so each partition works on a shorter segment than the last."""
    _place(values, 0, values.size, sorted(set(int(r) for r in ranks)))


def _place(values: np.ndarray, start: int, stop: int, ranks: list[int]) -> None:
    if not ranks:
        return
    middle = len(ranks) // 2
    rank = ranks[middle]
    values[start:stop].partition(rank - start)
    _place(values, start, rank, ranks[:middle])
    _place(values, rank + 1, stop, ranks[middle + 1:])


def order_statistics(values: np.ndarray, ranks) -> list[float]:
    """The value a full sort of the 1-D `values` puts at each of `ranks` (0-based), in the order given.
    `values` is reordered in place (partitioned at some of the ranks)."""
    placed: list[int] = []
    following: list[int] = []  # ranks right after a placed one: the least value after it
    for rank in sorted(set(int(r) for r in ranks)):
        (following if placed and placed[-1] == rank - 1 else placed).append(rank)
    partition_at_ranks(values, placed)
    found = {rank: float(values[rank]) for rank in placed}
    for rank in following:
        index = bisect_right(placed, rank)
        between = values[rank:placed[index] if index < len(placed) else values.size]
        least = between.min()
        if least != least:  # NaN among them: a partition puts it after every number, as a sort does
            between.partition(0)
            least = between[0]
        found[rank] = float(least)
    return [found[int(rank)] for rank in ranks]
