"""The calculation of docs/methodology.md sections 3, 6 and 8, cell by cell, three times.

For each (day, profile) cell, the formulas of `formulas` give energy, electricity carbon (location-based,
and market-based where the region has a market factor, else "not assessed", None) and,
where the version has the section 8 parameters (else "not assessed", None), embodied carbon,
total carbon and water. The low and high bounds take every parameter at the extreme that lowers
or raises the result (`catalogue.bound_for`); the formulas are monotone in each parameter, so
the bounds are exact (methodology.md section 6).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import itemgetter, mul

import numpy as np

from . import formulas
from .analytics import Cell, CellColumns
from .catalogue import bound_for
from .cell_figures import FIGURE_NAMES, BoundConstants, cell_figures
from .gc_pause import collector_paused
from .numbers import whole_number
from .parameters import ModelProfile, ParameterSet, Region, UsageProfile

BOUNDS = ("value", "low", "high")


@dataclass(frozen=True, slots=True)
class Estimate:
    """A result with its range: `low <= value <= high`."""

    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}


# The per-cell estimates, each as value/low/high, in this order everywhere (columns, rows, documents).
# carbon_gco2e is location-based; carbon_market_gco2e market-based (NaN/None where the region has no market factor).
ESTIMATE_NAMES = FIGURE_NAMES


@dataclass(slots=True)
class CellResult:
    """One cell's results: a view of one row of `DailyResults`."""

    day: date
    profile: str
    inferences: int
    input_tokens: float  # central value: explicit count, or inferences * profile average
    output_tokens: float
    explicit_input_tokens: int | None
    explicit_output_tokens: int | None
    energy_kwh: Estimate
    carbon_gco2e: Estimate
    carbon_market_gco2e: Estimate | None = None
    embodied_gco2e: Estimate | None = None
    carbon_total_gco2e: Estimate | None = None
    water_l: Estimate | None = None
    cached_input_tokens: int = 0  # the cached subset of input_tokens (none reported: 0)


def _estimate(value: float, low: float, high: float) -> Estimate | None:
    return None if value != value else Estimate(value, low, high)  # NaN: not assessed


_FIGURES_PER_CELL = 3 * len(ESTIMATE_NAMES)
# Rows per chunk when estimate_rows() swaps NaN for None (bounds the temporary objects).
_ROWS_PER_CHUNK = 4096
# A cell's figures are bound by bound (value, then low, then high; each with ESTIMATE_NAMES in
# order), as the formulas produce them; positions of value/low/high of each estimate in turn:
_ESTIMATE_POSITIONS = [bound * len(ESTIMATE_NAMES) + measure for measure in range(len(ESTIMATE_NAMES))
                       for bound in range(len(BOUNDS))]


class DailyResults:
    """Every cell's results, parallel to the cells and in their (day, profile) order.

    `figures` holds 18 floats a cell in one flat array (8 bytes a figure, no object per cell).
    NaN marks a figure "not assessed" by the methodology version (methodology.md section 8 parameters absent);
    the formulas never produce it from finite inputs, and it leaves as None through
    `CellResult` and `estimate_columns()`. Indexing or iterating gives `CellResult` views.
    """

    __slots__ = ("cells", "input_tokens", "output_tokens", "figures")

    def __init__(self, cells: CellColumns, input_tokens: list, output_tokens: list, figures: array):
        if not len(cells) == len(input_tokens) == len(output_tokens) == len(figures) // _FIGURES_PER_CELL:
            raise ValueError("daily result columns differ in length")
        self.cells = cells
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.figures = figures

    @classmethod
    def of(cls, results: Iterable[CellResult]) -> "DailyResults":
        """Columns of ready-made cell results (tests, and results built outside compute())."""
        results = list(results)
        cells = CellColumns(
            [r.day for r in results], [r.profile for r in results], [r.inferences for r in results],
            [r.explicit_input_tokens for r in results], [r.explicit_output_tokens for r in results],
            [r.cached_input_tokens or None for r in results],
        )
        figures = array("d")
        for r in results:
            estimates = [getattr(r, name) for name in ESTIMATE_NAMES]
            for bound in BOUNDS:
                figures.extend(math.nan if e is None else getattr(e, bound) for e in estimates)
        return cls(cells, [r.input_tokens for r in results], [r.output_tokens for r in results], figures)

    def estimate_columns(self) -> Iterator[array]:
        """The 18 columns, value, low, high of each of ESTIMATE_NAMES (NaN: not assessed), one at a
        time: all of them at once would double a large run's memory."""
        return (self.figures[position::_FIGURES_PER_CELL] for position in _ESTIMATE_POSITIONS)

    def estimate_column_views(self) -> list[np.ndarray]:
        """The 18 columns in estimate_columns() order as numpy views of `figures` (no copy; NaN: not
        assessed), for a writer that reads them a chunk of cells at a time (calculations.bulk)."""
        matrix = np.frombuffer(self.figures, dtype=np.float64).reshape(-1, _FIGURES_PER_CELL)
        return [matrix[:, position] for position in _ESTIMATE_POSITIONS]

    def estimate_rows(self) -> Iterator[tuple]:
        """Per cell, its 18 estimates in estimate_columns() order, None for "not assessed" (as stored)."""
        figures, width = self.figures, _FIGURES_PER_CELL
        if not np.isnan(np.frombuffer(figures)).any():
            return map(itemgetter(*_ESTIMATE_POSITIONS),
                       map(figures.__getitem__, map(slice, range(0, len(figures), width),
                                                    range(width, len(figures) + 1, width))))
        # Not assessed somewhere (a region without a market factor: a whole column): numpy swaps NaN
        # for None a chunk of rows at a time, instead of a Python test per figure.
        return chain.from_iterable(map(self._rows_with_none, range(0, len(self), _ROWS_PER_CHUNK)))

    def _rows_with_none(self, start: int) -> Iterator[tuple]:
        block = np.frombuffer(self.figures, offset=start * _FIGURES_PER_CELL * 8,
                              count=min(_ROWS_PER_CHUNK, len(self) - start) * _FIGURES_PER_CELL)
        block = block.reshape(-1, _FIGURES_PER_CELL)[:, _ESTIMATE_POSITIONS]
        rows = block.astype(object)
        rows[np.isnan(block)] = None
        return map(tuple, rows.tolist())

    def __len__(self) -> int:
        return len(self.cells)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("daily results slice with a step of 1 only")
            return DailyResults(self.cells[start:stop], self.input_tokens[start:stop], self.output_tokens[start:stop],
                                self.figures[start * _FIGURES_PER_CELL:stop * _FIGURES_PER_CELL])
        cell = self.cells[index]
        start = (index % len(self)) * _FIGURES_PER_CELL
        row = self.figures[start:start + _FIGURES_PER_CELL]
        figures = [row[position] for position in _ESTIMATE_POSITIONS]
        return CellResult(
            cell.day, cell.profile, cell.inferences, self.input_tokens[index], self.output_tokens[index],
            cell.input_tokens, cell.output_tokens,
            *(_estimate(*figures[i:i + 3]) for i in range(0, len(figures), 3)),
            cell.cached_input_tokens or 0,
        )

    def __iter__(self) -> Iterator[CellResult]:
        return (self[index] for index in range(len(self)))


@dataclass(slots=True)
class Subtotal:
    """A sum of cells: per profile (with its model), per day, or for the whole run."""

    inferences: int
    input_tokens: float
    output_tokens: float
    energy_kwh: Estimate
    carbon_gco2e: Estimate
    carbon_market_gco2e: Estimate | None = None
    embodied_gco2e: Estimate | None = None
    carbon_total_gco2e: Estimate | None = None
    water_l: Estimate | None = None
    profile: str | None = None
    model: str | None = None
    day: date | None = None
    cached_input_tokens: int = 0  # the cached subset of input_tokens


@dataclass
class RunResult:
    region: Region
    cells: DailyResults  # sorted by (day, profile)
    profiles: list[Subtotal]  # sorted by profile code
    totals: Subtotal

    def __post_init__(self):
        if not isinstance(self.cells, DailyResults):
            self.cells = DailyResults.of(self.cells)


def _at(entry, name: str, bound: str) -> float:
    """Hypothesis `name` of `entry` at the end of its range that gives the result's `bound`: a
    parameter that lowers the result when it goes up takes its opposite extreme (the catalogue says which)."""
    return getattr(entry, name).at(bound_for(name, bound))


def _constants(profile: UsageProfile, model: ModelProfile, region: Region, bound: str) -> BoundConstants:
    embodied = math.nan
    if model.embodied_kgco2e is not None:
        embodied = formulas.embodied_gco2e_per_replica_second(_at(model, "embodied_kgco2e", bound),
                                                              _at(model, "lifetime_years", bound))
    market = math.nan if region.carbon_intensity_market is None else _at(region, "carbon_intensity_market", bound)
    water = math.nan
    if region.wue is not None:
        water = formulas.water_l_per_kwh_it(_at(region, "wue", bound), _at(region, "pue", bound),
                                            _at(region, "water_intensity", bound))
    return BoundConstants(
        input_tokens=_at(profile, "input_tokens", bound),
        output_tokens=_at(profile, "output_tokens", bound),
        prefill_tokens_per_s=_at(model, "prefill_tokens_per_s", bound),
        decode_tokens_per_s=_at(model, "decode_tokens_per_s", bound),
        power_w=formulas.power_w(_at(model, "gpu_count", bound), _at(model, "gpu_power_w", bound),
                                 _at(model, "host_power_w", bound)),
        efficiency=_at(model, "efficiency", bound),
        pue=_at(region, "pue", bound),
        carbon_intensity=_at(region, "carbon_intensity", bound),
        carbon_intensity_market=market,
        embodied_g_per_replica_s=embodied,
        water_l_per_kwh_it=water,
        cached_input_fraction=cached_input_fraction_at(model, bound),
    )


def cached_input_fraction_at(model: ModelProfile, bound: str) -> float:
    """The model's cached-input fraction at the bound giving the result's `bound`; 1 without one."""
    return 1.0 if model.cached_input_fraction is None else _at(model, "cached_input_fraction", bound)


def _central_tokens(cells: CellColumns, explicit: list, per_inference: dict[str, float]) -> list:
    """Explicit counts, else inferences x the profile's central size, whole when it is whole."""
    whole = {code: whole_number(size) for code, size in per_inference.items()}
    sizes = map(whole.__getitem__, cells.profiles)
    if explicit.count(None) == len(explicit):  # no explicit count (the usual upload): the products, in C
        tokens = list(map(mul, cells.inferences, sizes))
    else:
        tokens = [e if e is not None else n * size for n, e, size in zip(cells.inferences, explicit, sizes)]
    if all(type(size) is int for size in whole.values()):
        return tokens  # int x int: exact, already whole
    return [whole_number(t) for t in tokens]


def subtotals(daily: DailyResults, groups: list[list[int] | None], labels: list[dict]) -> list[Subtotal]:
    """The sums of the cells of each group of indices (None: every cell), labelled.

    fsum is exact, so the order of the cells does not matter. A figure is "not assessed" (None)
    as soon as one of its cells is (NaN propagates through fsum).
    """
    picks = [iter if group is None else _picker(group) for group in groups]
    inferences = [sum(pick(daily.cells.inferences)) for pick in picks]
    input_tokens = [whole_number(math.fsum(pick(daily.input_tokens))) for pick in picks]
    output_tokens = [whole_number(math.fsum(pick(daily.output_tokens))) for pick in picks]
    cached = [0 if n is None else n for n in daily.cells.cached_input_tokens]
    cached_input_tokens = [sum(pick(cached)) for pick in picks]
    figure_sums: list[list[float]] = [[] for _ in picks]
    for column in daily.estimate_columns():
        for pick, sums in zip(picks, figure_sums):
            sums.append(math.fsum(pick(column)))
    return [
        Subtotal(inferences[i], input_tokens[i], output_tokens[i],
                 *(_estimate(*sums[j:j + 3]) for j in range(0, len(sums), 3)), **labels[i],
                 cached_input_tokens=cached_input_tokens[i])
        for i, sums in enumerate(figure_sums)
    ]


def _picker(indices: list[int]):
    if len(indices) == 1:  # itemgetter of one index gives no tuple
        return lambda column: (column[indices[0]],)
    return itemgetter(*indices)


def compute(cells: Iterable[Cell] | CellColumns, parameters: ParameterSet, region: str | None = None) -> RunResult:
    """Energy and carbon of every cell, per profile and for the run, under `parameters` in `region`.

    `CellColumns` must be sorted by (day, profile), as the parser and `stored_cells` give them;
    other cells are sorted here.
    """
    if not isinstance(cells, CellColumns):
        cells = CellColumns.of(sorted(cells, key=lambda c: (c.day, c.profile)))
    with collector_paused():  # per-cell tuples are acyclic: no need for the cyclic collector to walk them
        return _compute(cells, parameters, region)


def _compute(cells: CellColumns, parameters: ParameterSet, region: str | None) -> RunResult:
    region_params = parameters.region(region)
    used = set(cells.profiles)  # a version may hold dozens of profiles; an upload uses a few
    constants_by_profile = {
        code: tuple(_constants(profile, parameters.models[profile.model], region_params, b) for b in BOUNDS)
        for code, profile in parameters.profiles.items() if code in used
    }
    central = {code: bounds[0] for code, bounds in constants_by_profile.items()}
    daily = DailyResults(
        cells,
        _central_tokens(cells, cells.input_tokens, {code: c.input_tokens for code, c in central.items()}),
        _central_tokens(cells, cells.output_tokens, {code: c.output_tokens for code, c in central.items()}),
        cell_figures(cells, constants_by_profile),
    )
    indices_by_profile: dict[str, list[int]] = {}
    for index, code in enumerate(cells.profiles):
        indices_by_profile.setdefault(code, []).append(index)
    codes = sorted(indices_by_profile)
    *profiles, totals = subtotals(
        daily,
        [indices_by_profile[code] for code in codes] + [None],
        [{"profile": code, "model": parameters.profiles[code].model} for code in codes] + [{}],
    )
    return RunResult(region=region_params, cells=daily, profiles=profiles, totals=totals)
