"""Order statistics of an array of draws, for the Monte Carlo's percentiles (speed work, issues 17 and 19).

numpy's `ndarray.partition(kth)` at several ranks at once is several times slower than at one rank
(on 20 000 doubles: about 175 us at two neighbouring tail ranks, 27 us at the median alone), and a
run's percentiles are most of the Monte Carlo's time (5 estimates per profile and for the run).
`partition_at_ranks` gives the same guarantee as `values.partition(ranks)` by one single-rank
partition per rank, each on the segment between the ranks already placed. The order statistics it
places are exact (the same values as a full sort), so percentiles read from them are bit for bit
those of `np.percentile`; tests/calculations/engine/test_order_statistics.py holds it to
`np.partition` and `np.sort`.

`order_statistics` reads a few order statistics without partitioning the whole array (issue 19: the
typical upload's percentiles were a third of its Monte Carlo): a sorted sample of every SAMPLE_STRIDE-th
value brackets where each rank should fall; the values inside the bracket are taken out, and the
values below it counted. When the count shows the rank inside the bracket, the bracket's values are
partitioned alone at the ranks they hold, and the value read there is the order statistic itself,
not an estimate: every value below the bracket is smaller, and the bracket holds every value between
its ends. When it does not (an unlucky sample, ties at the ends, NaN), `partition_at_ranks` finds
it. Either way the result is a full sort's value at that rank.
"""

from __future__ import annotations

import math

import numpy as np

SAMPLE_STRIDE = 16  # a sample of 1 250 of the Monte Carlo's 20 000 draws
SAMPLE_MARGIN_SD = 4  # the bracket spans this many standard deviations of the rank's place in the sample
MIN_VALUES_FOR_SAMPLE = 2_000  # below this, one partition costs less than the sample's sort


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
    `values` may be reordered (when a rank falls outside its bracket, it is partitioned in place)."""
    wanted = sorted(set(int(r) for r in ranks))
    found: dict[int, float] = {}
    if values.size >= MIN_VALUES_FOR_SAMPLE:
        sample = np.sort(values[::SAMPLE_STRIDE])
        for rank in wanted:
            if rank in found:
                continue
            first_rank, window = _bracket(values, sample, rank)
            inside = [r - first_rank for r in wanted if first_rank <= r < first_rank + window.size and r not in found]
            if inside:  # those ranks are the window's own at these places: a partition of the window alone
                window.partition(inside)
                found.update((first_rank + place, float(window[place])) for place in inside)
    missing = [rank for rank in wanted if rank not in found]
    if missing:
        partition_at_ranks(values, missing)
        found.update((rank, float(values[rank])) for rank in missing)
    return [found[int(rank)] for rank in ranks]


def _bracket(values: np.ndarray, sample: np.ndarray, rank: int) -> tuple[int, np.ndarray]:
    """The values between two sample values around where `rank` should fall (a new array, in their
    order) and the rank of the least of them in the whole array (the number of values below them)."""
    share = rank / values.size
    margin = int(SAMPLE_MARGIN_SD * math.sqrt(sample.size * share * (1 - share))) + 2
    place = rank * sample.size // values.size
    low = sample[max(place - margin, 0)]
    high = sample[min(place + margin, sample.size - 1)]
    return int(np.count_nonzero(values < low)), values[(values >= low) & (values <= high)]
