"""Order statistics of an array of draws, for the Monte Carlo's percentiles (speed work, issue 17).

numpy's `ndarray.partition(kth)` at several ranks at once is several times slower than at one rank
(on 20 000 doubles: about 175 us at two neighbouring tail ranks, 27 us at the median alone), and a
run's percentiles are most of the Monte Carlo's time (5 estimates per profile and for the run).
`partition_at_ranks` gives the same guarantee as `values.partition(ranks)` by one single-rank
partition per rank, each on the segment between the ranks already placed. The order statistics it
places are exact (the same values as a full sort), so percentiles read from them are bit for bit
those of `np.percentile`; tests/calculations/engine/test_order_statistics.py holds it to
`np.partition` and `np.sort`.
"""

from __future__ import annotations

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
