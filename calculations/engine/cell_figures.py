"""Every cell's figures at the three bounds: the per-cell step of `compute`, in two forms.

`cell_figures_loop` is the plain form: per cell and bound, the functions of `formulas` on floats.
`cell_figures_vectorised` calls the very same functions on numpy columns of cells (a chunk at a
time), which costs about a hundredth of the loop on a year of daily cells. The functions are plain
`+ - * /`, which IEEE 754 rounds the same on a float and on a float64 element, and every count
the parser accepts (at most 10^12) is exact as a float64; so both forms give the same bits,
which `tests/calculations/engine/test_cell_figures.py` checks on random cells. Where a token
product could exceed 2^53 (an integer no longer exact as a float64, while the loop would keep
Python's exact integer until its division), `cell_figures` keeps the loop.

A cell's 18 figures are bound by bound (value, low, high), each bound giving
`FIGURE_NAMES` in order; NaN constants (not assessed) give NaN figures.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import partial
from itertools import chain
from operator import is_not

import numpy as np

from . import formulas
from .analytics import CellColumns

# The figures of one cell at one bound, in this order (compute.ESTIMATE_NAMES).
FIGURE_NAMES = ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e", "embodied_gco2e", "carbon_total_gco2e",
                "water_l")
# Below this many cells the loop costs less than numpy's fixed cost per call.
VECTORISED_FROM_CELLS = 64
# Cells per numpy chunk: bounds the temporaries (a few MB) whatever the size of the upload.
CHUNK_CELLS = 32_768
# Integers above this are no longer all exact as float64.
EXACT_FLOAT_INTEGERS = 2**53

_is_given = partial(is_not, None)  # a count the cell reports (None: not reported)


@dataclass(frozen=True, slots=True)
class BoundConstants:
    """A profile's parameters taken at one bound, ready for the per-cell step."""

    input_tokens: float
    output_tokens: float
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    power_w: float
    efficiency: float
    pue: float
    carbon_intensity: float
    carbon_intensity_market: float  # NaN: not assessed (the region has no market-based factor)
    embodied_g_per_replica_s: float  # NaN: not assessed in this version
    water_l_per_kwh_it: float
    cached_input_fraction: float  # 1 when the version has none: a cached token is an ordinary input token


# constants_by_profile: profile code -> its BoundConstants at each bound (value, low, high).
ConstantsByProfile = dict[str, tuple[BoundConstants, ...]]


def cell_figures(cells: CellColumns, constants_by_profile: ConstantsByProfile) -> array:
    """Every cell's figures, flat (`array("d")`, 18 a cell), by the form that suits the cells."""
    if len(cells) >= VECTORISED_FROM_CELLS and _exact_as_float64(cells, constants_by_profile):
        return cell_figures_vectorised(cells, constants_by_profile)
    return array("d", chain.from_iterable(cell_figures_loop(cells, constants_by_profile)))


def cell_figures_loop(cells: CellColumns, constants_by_profile: ConstantsByProfile) -> Iterator[list[float]]:
    """Per cell, its figures bound by bound, through the functions of `formulas` (the plain form).

    Explicit tokens have no range; NaN constants (not assessed) make NaN figures. Cached input tokens
    (explicit only) count at the model's fraction of a prefill token. One plain loop with the
    formulas bound to local names: an object per cell and figure would cost more than the arithmetic.
    """
    tokens, busy_s, charged_s = formulas.estimated_tokens, formulas.busy_replica_seconds, formulas.charged_replica_seconds
    energy_it_kwh, energy_kwh, carbon_gco2e = formulas.energy_it_kwh, formulas.energy_kwh, formulas.carbon_gco2e
    carbon_market_gco2e = formulas.carbon_market_gco2e
    embodied_gco2e, carbon_total_gco2e, water_l = formulas.embodied_gco2e, formulas.carbon_total_gco2e, formulas.water_l
    prefill_tokens = formulas.prefill_tokens
    for code, n, explicit_in, explicit_out, cached in zip(cells.profiles, cells.inferences, cells.input_tokens,
                                                          cells.output_tokens, cells.cached_input_tokens):
        figures = []
        for c in constants_by_profile[code]:
            tokens_in = explicit_in if explicit_in is not None else tokens(n, c.input_tokens)
            if cached is not None:
                tokens_in = prefill_tokens(tokens_in, cached, c.cached_input_fraction)
            tokens_out = explicit_out if explicit_out is not None else tokens(n, c.output_tokens)
            replica_s = charged_s(busy_s(tokens_in, tokens_out, c.prefill_tokens_per_s, c.decode_tokens_per_s),
                                  c.efficiency)
            energy_it = energy_it_kwh(c.power_w, replica_s)
            energy = energy_kwh(energy_it, c.pue)
            carbon = carbon_gco2e(energy, c.carbon_intensity)
            embodied = embodied_gco2e(c.embodied_g_per_replica_s, replica_s)
            figures += (energy, carbon, carbon_market_gco2e(energy, c.carbon_intensity_market), embodied,
                        carbon_total_gco2e(carbon, embodied),
                        water_l(energy_it, c.water_l_per_kwh_it))
        yield figures


def cell_figures_vectorised(cells: CellColumns, constants_by_profile: ConstantsByProfile) -> array:
    """Every cell's figures, flat, from the same functions of `formulas` on numpy columns."""
    codes = list(constants_by_profile)
    position = {code: index for index, code in enumerate(codes)}
    names = [f.name for f in fields(BoundConstants)]
    # Per bound, each constant as an array over the profiles, indexed by the cells' profile positions.
    tables = [{name: np.array([float(getattr(constants_by_profile[code][bound], name)) for code in codes])
               for name in names}
              for bound in range(len(constants_by_profile[codes[0]]))] if codes else []
    figures = array("d")
    for start in range(0, len(cells), CHUNK_CELLS):
        chunk = cells[start:start + CHUNK_CELLS]
        profile_positions = np.fromiter(map(position.__getitem__, chunk.profiles), np.intp, len(chunk))
        counts = _CountColumns.of(chunk)  # the same at every bound: converted once a chunk
        block = np.empty((len(chunk), len(tables), len(FIGURE_NAMES)))
        for bound, table in enumerate(tables):
            constants = {name: column[profile_positions] for name, column in table.items()}
            block[:, bound, :] = _bound_figures(counts, constants)
        figures.frombytes(block.tobytes())
    return figures


@dataclass(frozen=True, slots=True)
class _CountColumns:
    """A chunk's counts as float64 columns; each optional count with the mask of the cells that report it
    (None, None when none does)."""

    inferences: np.ndarray
    input_tokens: tuple[np.ndarray | None, np.ndarray | None]
    output_tokens: tuple[np.ndarray | None, np.ndarray | None]
    cached_input_tokens: tuple[np.ndarray | None, np.ndarray | None]

    @classmethod
    def of(cls, cells: CellColumns) -> "_CountColumns":
        return cls(np.array(cells.inferences, dtype=np.float64), _optional_column(cells.input_tokens),
                   _optional_column(cells.output_tokens), _optional_column(cells.cached_input_tokens))


def _bound_figures(counts: _CountColumns, c: dict[str, np.ndarray]) -> np.ndarray:
    """The cells' figures at one bound, a column per FIGURE_NAMES, the loop's steps on columns."""
    tokens_in = _with_explicit(counts.input_tokens, formulas.estimated_tokens(counts.inferences, c["input_tokens"]))
    cached, reported = counts.cached_input_tokens
    if reported is not None:
        with_cache = formulas.prefill_tokens(tokens_in, cached, c["cached_input_fraction"])
        tokens_in = np.where(reported, with_cache, tokens_in)
    tokens_out = _with_explicit(counts.output_tokens,
                                formulas.estimated_tokens(counts.inferences, c["output_tokens"]))
    replica_s = formulas.charged_replica_seconds(
        formulas.busy_replica_seconds(tokens_in, tokens_out, c["prefill_tokens_per_s"], c["decode_tokens_per_s"]),
        c["efficiency"])
    energy_it = formulas.energy_it_kwh(c["power_w"], replica_s)
    energy = formulas.energy_kwh(energy_it, c["pue"])
    carbon = formulas.carbon_gco2e(energy, c["carbon_intensity"])
    embodied = formulas.embodied_gco2e(c["embodied_g_per_replica_s"], replica_s)
    return np.column_stack((
        energy, carbon, formulas.carbon_market_gco2e(energy, c["carbon_intensity_market"]), embodied,
        formulas.carbon_total_gco2e(carbon, embodied), formulas.water_l(energy_it, c["water_l_per_kwh_it"]),
    ))


def _with_explicit(explicit: tuple[np.ndarray | None, np.ndarray | None], estimated: np.ndarray) -> np.ndarray:
    """The explicit counts where a cell has one, the estimate elsewhere."""
    values, given = explicit
    return estimated if given is None else np.where(given, values, estimated)


def _optional_column(column: list[int | None]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(values as float64, mask of the cells that have one), or (None, None) when no cell has one."""
    missing = column.count(None)
    if missing == len(column):
        return None, None
    if missing == 0:
        return np.array(column, dtype=np.float64), np.ones(len(column), dtype=bool)
    given = np.fromiter(map(_is_given, column), bool, len(column))
    values = np.array([0 if n is None else n for n in column], dtype=np.float64)
    return values, given


def _exact_as_float64(cells: CellColumns, constants_by_profile: ConstantsByProfile) -> bool:
    """Whether every count and estimated token product is an integer exact as a float64, so that the
    vectorised form rounds where the loop does."""
    sizes = [abs(c.input_tokens) for bounds in constants_by_profile.values() for c in bounds]
    sizes += [abs(c.output_tokens) for bounds in constants_by_profile.values() for c in bounds]
    largest_count = max(cells.inferences, default=0)
    explicit = chain(cells.input_tokens, cells.output_tokens, cells.cached_input_tokens)
    largest_explicit = max(filter(_is_given, explicit), default=0)
    return largest_count * max(sizes, default=0) < EXACT_FLOAT_INTEGERS and largest_explicit < EXACT_FLOAT_INTEGERS
