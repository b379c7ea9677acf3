"""The combined uncertainty of a run: a Monte Carlo over the hypotheses (methodology.md section 11).

Each hypothesis with `low < high` is a triangular distribution (minimum `low`, mode `value`,
maximum `high`); `low == high` is fixed; explicit token counts are fixed. Hypotheses are
independent, and one draw of a hypothesis is shared by every profile that uses it (a model's
throughput is the same for all the profiles on that model in a draw, a region's PUE the same
for every day).

The formulas are linear in each profile's aggregates (sums of explicit tokens, counts of the
inferences whose tokens come from the profile's averages), so a run reduces to four numbers per
profile and the draws cost O(draws x profiles), whatever the number of days. Every figure is
computed through `formulas`, on numpy arrays of draws.

Reproducibility: every hypothesis has its own PCG64 stream, seeded from the project's SEED and
the hypothesis' key (section, code, name; a region's by name alone, see `stream_key`). A hypothesis' draws therefore do not depend on which
other hypotheses a run touches: the same counts under the same version and region give
bit-identical figures, and two runs that share a hypothesis share its draws.

What drives the variance: first-order Sobol indices estimated from the same draws (the
"given-data" estimator): a hypothesis' draws are cut into DRIVER_BINS equiprobable bins (by the
uniform number each draw came from), and the variance of the output's bin means, less its
sampling bias, over the output's variance estimates Var(E[Y | X_i]) / Var(Y).

Speed (issue 17; bench/uncertainty.py, bench/README.md "Monte Carlo"), every figure unchanged bit for
bit (tests/calculations/engine/test_uncertainty_speed.py against the plain form): the percentiles'
order statistics read by partition and min, not a sort (`order_statistics`); a model's and a region's
hypotheses, and what the formulas make of them alone, once per run for all its profiles; no pass to
add zero explicit tokens; a hypothesis' draws kept between runs of a worker (`draw_cache.DRAWS`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from . import formulas
from .analytics import Cell, CellColumns
from .compute import ESTIMATE_NAMES, RunResult
from .draw_cache import DRAWS, law_key
from .order_statistics import order_statistics
from .parameters import (
    MODEL_EXTENSION_PARAMS, MODEL_PARAMS, PROFILE_PARAMS, REGION_EXTENSION_PARAMS, REGION_PARAMS, ParameterSet, Param,
)
from .sensitivity import ProfileUsage, input_prefill_tokens

DEFAULT_DRAWS = 20_000
SEED = 5001  # the project's seed (methodology.md section 11); changing it changes every stored interval
PERCENTILES = (5, 50, 95)
DRIVER_BINS = 50  # equiprobable bins of a hypothesis' draws for the Sobol estimator
DRIVER_OUTPUTS = ("energy_kwh", "carbon_gco2e")  # the outputs the tornado shows too
HISTOGRAM_BINS = 30


@dataclass(frozen=True, slots=True)
class Interval:
    """The distribution of an estimate over the draws: P5, P50, P95 and the mean."""

    p5: float
    p50: float
    p95: float
    mean: float

    def as_dict(self) -> dict[str, float]:
        return {"p5": self.p5, "p50": self.p50, "p95": self.p95, "mean": self.mean}


@dataclass(frozen=True, slots=True)
class Driver:
    """A hypothesis' first-order share of the variance of energy and of carbon (0 to 1)."""

    section: str
    code: str
    parameter: str
    energy_share: float
    carbon_share: float

    def as_dict(self) -> dict:
        return {"section": self.section, "code": self.code, "parameter": self.parameter,
                "energy_kwh": self.energy_share, "carbon_gco2e": self.carbon_share}


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts of the draws of the run's total carbon in equal-width bins between `edges`."""

    metric: str  # carbon_total_gco2e where assessed, else carbon_gco2e
    edges: list[float]
    counts: list[int]

    def as_dict(self) -> dict:
        return {"metric": self.metric, "edges": self.edges, "counts": self.counts}


@dataclass(frozen=True)
class Uncertainty:
    """The Monte Carlo of a run: what is stored with it and shown on every page."""

    draws: int
    seed: int
    totals: dict[str, Interval | None]  # per ESTIMATE_NAMES; None: not assessed
    profiles: dict[str, dict[str, Interval | None]]
    drivers: list[Driver] = field(default_factory=list)
    histogram: Histogram | None = None

    def as_dict(self) -> dict:
        """The stored and published form (JSON-ready)."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "totals": _intervals_dict(self.totals),
            "profiles": {code: _intervals_dict(i) for code, i in self.profiles.items()},
            "drivers": [d.as_dict() for d in self.drivers],
            "histogram": self.histogram.as_dict() if self.histogram else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Uncertainty":
        return cls(
            draws=data["draws"],
            seed=data["seed"],
            totals=_intervals_of(data["totals"]),
            profiles={code: _intervals_of(i) for code, i in data["profiles"].items()},
            drivers=[Driver(d["section"], d["code"], d["parameter"], d["energy_kwh"], d["carbon_gco2e"])
                     for d in data["drivers"]],
            histogram=Histogram(**data["histogram"]) if data.get("histogram") else None,
        )


INTERVAL_KEYS = ("p5", "p50", "p95", "mean")
_NOT_COMPUTED = dict.fromkeys(INTERVAL_KEYS)


def with_intervals(counts: dict, intervals: dict | None) -> dict:
    """`counts` (a document's totals or profile entry) with p5/p50/p95/mean beside each estimate's
    value/low/high: null in all four when the run's Monte Carlo was not computed (`intervals` None),
    a run saved before it existed."""
    for name in ESTIMATE_NAMES:
        estimate = counts.get(name)
        if estimate is not None:
            interval = intervals.get(name) if intervals is not None else None
            estimate.update(_NOT_COMPUTED if interval is None else {key: interval[key] for key in INTERVAL_KEYS})
    return counts


def document_section(uncertainty: dict | None) -> dict | None:
    """The document's "uncertainty" entry from the stored form: draws, seed, drivers, histogram
    (the percentiles sit beside each estimate); None: not computed."""
    if uncertainty is None:
        return None
    # Rebuilt in the canonical key order: a database's JSON type may store the keys in another order
    # (PostgreSQL's jsonb sorts them), and the documents are byte-for-byte the same on every database.
    canonical = Uncertainty.from_dict(uncertainty).as_dict()
    return {key: canonical[key] for key in ("draws", "seed", "drivers", "histogram")}


# Stored only when assessed: a run saved before market-based carbon existed has no such key, and a run whose
# region has no market factor has none either, so the records sealed before it keep their bytes
# (docs/audit-trail.md). Absent reads as None: not assessed.
_STORED_WHEN_ASSESSED = frozenset({"carbon_market_gco2e"})


def _intervals_dict(intervals: dict[str, Interval | None]) -> dict:
    return {name: None if i is None else i.as_dict() for name, i in intervals.items()
            if i is not None or name not in _STORED_WHEN_ASSESSED}


def _intervals_of(data: dict) -> dict[str, Interval | None]:
    intervals = {name: None if i is None else Interval(**i) for name, i in data.items()}
    return {name: intervals.get(name) for name in _STORED_WHEN_ASSESSED} | intervals


def hypothesis_stream(seed: int, section: str, code: str, name: str) -> np.random.Generator:
    """The PCG64 stream of one hypothesis: the project seed and a digest of its key."""
    digest = hashlib.sha256(f"{section}/{code}/{name}".encode()).digest()
    key = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def stream_key(key: tuple[str, str, str]) -> tuple[str, str, str]:
    """The key a hypothesis' stream is seeded from. A run has one region, so a region's hypotheses are
    keyed by name only: the same PUE drawn for France or Germany uses the same uniform numbers, and
    re-evaluating under a region of the same PUE gives the same energy interval (common random numbers,
    which also make two regions' intervals differ only by their hypotheses, not by sampling noise)."""
    section, code, name = key
    return (section, "", name) if section == "regions" else key


def triangular_from_uniform(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """The inverse distribution function of the triangular law (low, mode, high) at `u` in [0, 1):
    low + sqrt(u (high - low)(mode - low)) below the mode's probability, else
    high - sqrt((1 - u)(high - low)(high - mode)); clipped to [low, high] against rounding."""
    width = high - low
    left = u < (mode - low) / width
    distance = np.where(left, u * (width * (mode - low)), (1 - u) * (width * (high - mode)))
    np.sqrt(distance, out=distance)
    return np.clip(np.where(left, low + distance, high - distance), low, high)


class _Draws:
    """The draws of the hypotheses a run uses, made once each, and their bins for the drivers."""

    def __init__(self, draws: int, seed: int):
        self.draws, self.seed = draws, seed
        self._values: dict[tuple[str, str, str], np.ndarray | float] = {}
        self.bins: dict[tuple[str, str, str], np.ndarray] = {}
        self._shared: dict[tuple[str, str], object] = {}

    def shared(self, key: tuple[str, str], make):
        """What `make()` computes from a model's or a region's draws alone, computed once for all the
        profiles that use it (the same operations on the same draws: the same figures)."""
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def of(self, section: str, code: str, name: str, param: Param | None):
        """The draws of `param` (a float when it is fixed; None when absent: not assessed)."""
        if param is None:
            return None
        key = (section, code, name)
        if key not in self._values:
            if param.low == param.high:
                self._values[key] = float(param.value)
            else:
                stream = stream_key(key)
                law = law_key(self.seed, stream, self.draws, param.low, param.value, param.high)
                self._values[key], self.bins[key] = DRAWS.get(law, lambda: draw_law(
                    self.seed, stream, self.draws, param.low, param.value, param.high))
        return self._values[key]


def draw_law(seed: int, stream: tuple[str, str, str], draws: int, low, mode, high) -> tuple[np.ndarray, np.ndarray]:
    """A hypothesis' draws from its stream and its bins for the drivers (what `DRAWS` keeps)."""
    u = hypothesis_stream(seed, *stream).random(draws)
    return triangular_from_uniform(u, low, mode, high), (u * DRIVER_BINS).astype(np.uint8)


def new_sampler(draws: int = DEFAULT_DRAWS, seed: int = SEED) -> _Draws:
    """A sampler for profile_draws(): each hypothesis drawn once, from its own stream (engine/inventory.py
    sums several runs' draws made with one sampler per version)."""
    return _Draws(draws, seed)


def profile_draws(usage: ProfileUsage, profile_code: str, parameters: ParameterSet, region: str,
                  draws: _Draws) -> dict[str, np.ndarray | None]:
    """One profile's six estimates, draw by draw, through the formulas; None where not assessed."""
    profile = parameters.profiles[profile_code]
    model = parameters.models[profile.model]
    area = parameters.region(region)
    p = {n: draws.of("profiles", profile_code, n, getattr(profile, n)) for n in PROFILE_PARAMS}
    m, power_w, embodied_per_s = draws.shared(("models", model.code), lambda: _model_draws(model, draws))
    r, water_per_kwh_it = draws.shared(("regions", area.code), lambda: _region_draws(area, draws))
    # The cached-input fraction is drawn only for usage with cached tokens: elsewhere it moves nothing.
    cached_input_fraction = 1.0
    if usage.explicit_cached_input_tokens and model.cached_input_fraction is not None:
        cached_input_fraction = draws.of("models", model.code, "cached_input_fraction", model.cached_input_fraction)
    tokens_in = input_prefill_tokens(usage, p["input_tokens"], cached_input_fraction)
    tokens_out = _plus(formulas.estimated_tokens(usage.inferences_estimated_output, p["output_tokens"]),
                       usage.explicit_output_tokens)
    busy_s = formulas.busy_replica_seconds(tokens_in, tokens_out, m["prefill_tokens_per_s"], m["decode_tokens_per_s"])
    charged_s = formulas.charged_replica_seconds(busy_s, m["efficiency"])
    energy_it = formulas.energy_it_kwh(power_w, charged_s)
    energy = formulas.energy_kwh(energy_it, r["pue"])
    carbon = formulas.carbon_gco2e(energy, r["carbon_intensity"])
    embodied = total = water = market = None
    if r["carbon_intensity_market"] is not None:
        market = formulas.carbon_market_gco2e(energy, r["carbon_intensity_market"])
    if embodied_per_s is not None:
        embodied = formulas.embodied_gco2e(embodied_per_s, charged_s)
        total = formulas.carbon_total_gco2e(carbon, embodied)
    if water_per_kwh_it is not None:
        water = formulas.water_l(energy_it, water_per_kwh_it)
    figures = dict(zip(ESTIMATE_NAMES, (energy, carbon, market, embodied, total, water)))
    return {name: None if f is None else _draws_of(f, draws.draws) for name, f in figures.items()}


def _plus(estimated_tokens, explicit_tokens: int):
    """Estimated plus explicit tokens; without explicit tokens (the usual upload) the estimate itself,
    which is what adding 0 gives (x + 0 == x for every x but -0.0, and a count of tokens is never -0.0),
    without a pass over the draws."""
    return estimated_tokens + explicit_tokens if explicit_tokens else estimated_tokens


def _model_draws(model, draws: _Draws):
    """A model's hypotheses and what the formulas make of them alone, drawn once for every profile on
    it: the replica's power and the embodied carbon per replica-second (None: not assessed)."""
    m = {n: draws.of("models", model.code, n, getattr(model, n)) for n in MODEL_PARAMS + MODEL_EXTENSION_PARAMS
         if n != "cached_input_fraction"}  # drawn per profile, only where cached tokens are (profile_draws)
    power_w = formulas.power_w(m["gpu_count"], m["gpu_power_w"], m["host_power_w"])
    embodied_per_s = None
    if m["embodied_kgco2e"] is not None:
        embodied_per_s = formulas.embodied_gco2e_per_replica_second(m["embodied_kgco2e"], m["lifetime_years"])
    return m, power_w, embodied_per_s


def _region_draws(area, draws: _Draws):
    """The region's hypotheses and its water per kWh of IT energy (None: not assessed), drawn once."""
    r = {n: draws.of("regions", area.code, n, getattr(area, n)) for n in REGION_PARAMS + REGION_EXTENSION_PARAMS}
    water_per_kwh_it = None
    if r["wue"] is not None:
        water_per_kwh_it = formulas.water_l_per_kwh_it(r["wue"], r["pue"], r["water_intensity"])
    return r, water_per_kwh_it


def _draws_of(figure, draws: int) -> np.ndarray:
    """A figure as an array of its draws (a float when every hypothesis it depends on is fixed)."""
    if isinstance(figure, np.ndarray) and figure.shape == (draws,):
        return figure
    return np.full(draws, float(figure))


def _intervals(figures: dict[str, np.ndarray | None], bounds: dict[str, tuple[float, float] | None]):
    """P5/P50/P95/mean of each estimate. The arrays may be reordered in place (callers are done with
    their order); the mean is taken before, in the draws' order.

    The percentiles are clipped into the exact worst-case bounds: the draws lie inside them, and
    only the rounding of a different summation order (profile aggregates here, cells there) can
    put a percentile an ulp outside.
    """
    intervals: dict[str, Interval | None] = {n: None for n in ESTIMATE_NAMES}
    for name in ESTIMATE_NAMES:
        values, bound = figures[name], bounds.get(name)
        if values is None or bound is None:
            continue
        values = values if values.flags.writeable else np.array(values)
        mean = float(values.mean())
        low, high = bound
        intervals[name] = Interval(*(min(max(x, low), high) for x in (*percentiles(values), mean)))
    return intervals


def percentiles(values: np.ndarray) -> list[float]:
    """PERCENTILES of `values` by numpy's default ("linear") definition: the value at rank q (n - 1),
    interpolated between the order statistics below and above it (`order_statistics`, which reads them
    without sorting the draws and reorders them)."""
    n = values.size
    ranks = [q / 100 * (n - 1) for q in PERCENTILES]
    below = [int(r) for r in ranks]
    needed = sorted({*below, *(min(index + 1, n - 1) for index in below)})
    statistic = dict(zip(needed, order_statistics(values, needed)))
    out = []
    for rank, index in zip(ranks, below):
        lower = statistic[index]
        fraction = rank - index
        if not fraction:
            out.append(lower)
            continue
        upper = statistic[index + 1]
        # numpy's interpolation, from the nearer neighbour
        out.append(lower + (upper - lower) * fraction if fraction < 0.5 else upper - (upper - lower) * (1 - fraction))
    return out


def _bounds(subtotal) -> dict[str, tuple[float, float] | None]:
    return {n: None if getattr(subtotal, n) is None else (getattr(subtotal, n).low, getattr(subtotal, n).high)
            for n in ESTIMATE_NAMES}


def first_order_share(bins: np.ndarray, output: np.ndarray, variance: float | None = None, *,
                      counts: np.ndarray | None = None, squares: np.ndarray | None = None) -> float:
    """Var(E[Y | X_i]) / Var(Y) from the draws, X_i cut into DRIVER_BINS equiprobable bins.

    `output` is centred (its mean taken off) here unless `squares` (its squares, centred) are given
    with it: several hypotheses then share that work, and `counts` (draws per bin) may be shared by
    several outputs. The variance of the bin means overstates Var(E[Y | X_i]) by the mean
    within-bin variance over the draws per bin; that bias is subtracted, the share kept in [0, 1].
    """
    if squares is None:
        output = output - output.mean()
        squares = output * output
    variance = float(squares.mean()) if variance is None else variance
    if variance <= 0:
        return 0.0
    if counts is None:
        counts = np.bincount(bins, minlength=DRIVER_BINS).astype(float)
    filled = counts > 1
    n = counts[filled]
    means = np.bincount(bins, weights=output, minlength=DRIVER_BINS)[filled] / n
    within = (np.bincount(bins, weights=squares, minlength=DRIVER_BINS)[filled] - n * means * means) / (n - 1)
    between = float(np.sum(n * means * means)) / output.size
    bias = float(np.sum(within)) / output.size
    return min(max((between - bias) / variance, 0.0), 1.0)


def drives(key: tuple[str, str, str], output: str) -> bool:
    """Whether a hypothesis is an input of `output`'s formula (methodology.md section 3). One that is
    not drives none of its variance: its share is 0 by construction, not the estimator's noise around 0
    (a grid's carbon intensity for energy; the section-8 hypotheses for energy and electricity carbon).
    The cached-input fraction drives energy and carbon (it is drawn only for usage with cached tokens)."""
    section, _, name = key
    extension = {"regions": REGION_EXTENSION_PARAMS, "models": MODEL_EXTENSION_PARAMS}.get(section, ())
    if name in extension and name != "cached_input_fraction":
        return False
    return not (output == "energy_kwh" and section == "regions" and name == "carbon_intensity")


def _drivers(draws: _Draws, outputs: dict[str, np.ndarray]) -> list[Driver]:
    centred = {name: outputs[name] - outputs[name].mean() for name in DRIVER_OUTPUTS}
    squares = {name: c * c for name, c in centred.items()}
    variances = {name: float(squares[name].mean()) for name in DRIVER_OUTPUTS}
    drivers = []
    for key, bins in sorted(draws.bins.items()):
        driven = [name for name in DRIVER_OUTPUTS if drives(key, name)]
        shares = dict.fromkeys(DRIVER_OUTPUTS, 0.0)
        if driven:
            bins = bins.astype(np.intp)  # np.bincount's index type: cast once, not at each of its five calls
            counts = np.bincount(bins, minlength=DRIVER_BINS).astype(float)
            for name in driven:
                shares[name] = first_order_share(bins, centred[name], variances[name], counts=counts,
                                                 squares=squares[name])
        drivers.append(Driver(*key, *shares.values()))
    drivers.sort(key=lambda d: (-d.carbon_share, -d.energy_share, d.section, d.code, d.parameter))
    return drivers


def _histogram(totals: dict[str, np.ndarray | None]) -> Histogram:
    metric = "carbon_total_gco2e" if totals["carbon_total_gco2e"] is not None else "carbon_gco2e"
    counts, edges = np.histogram(totals[metric], bins=HISTOGRAM_BINS)
    return Histogram(metric, [float(e) for e in edges], [int(c) for c in counts])


def profile_usage(cells: Iterable[Cell] | CellColumns) -> dict[str, ProfileUsage]:
    """Each profile's aggregates: inferences whose tokens come from its averages, explicit tokens."""
    columns = CellColumns.of(cells)
    usage: dict[str, ProfileUsage] = {}
    for code, inferences, tokens_in, tokens_out, cached in zip(columns.profiles, columns.inferences, columns.input_tokens,
                                                               columns.output_tokens, columns.cached_input_tokens):
        u = usage.get(code)
        if u is None:
            u = usage[code] = ProfileUsage()
        if tokens_in is None:
            u.inferences_estimated_input += inferences
        else:
            u.explicit_input_tokens += tokens_in
            if cached is not None:
                u.explicit_cached_input_tokens += cached
        if tokens_out is None:
            u.inferences_estimated_output += inferences
        else:
            u.explicit_output_tokens += tokens_out
    return usage


def simulate(cells: Iterable[Cell] | CellColumns, parameters: ParameterSet, result: RunResult, *,
             draws: int = DEFAULT_DRAWS, seed: int = SEED) -> Uncertainty:
    """The Monte Carlo of a computed run: `result` gives its region, profiles and worst-case bounds."""
    usage = profile_usage(cells)
    sampler = _Draws(draws, seed)
    totals: dict[str, np.ndarray | None] = {}
    profiles = {}
    for subtotal in result.profiles:
        figures = profile_draws(usage[subtotal.profile], subtotal.profile, parameters, result.region.code, sampler)
        for name, f in figures.items():
            if f is None or (name in totals and totals[name] is None):
                totals[name] = None
            elif name not in totals:
                totals[name] = np.array(f)
            else:
                totals[name] += f
        profiles[subtotal.profile] = _intervals(figures, _bounds(subtotal))  # reorders `figures`: last
    if not result.profiles:
        return Uncertainty(draws, seed, {n: None for n in ESTIMATE_NAMES}, {})
    drivers, histogram = _drivers(sampler, totals), _histogram(totals)  # before _intervals reorders the totals
    return Uncertainty(draws, seed, _intervals(totals, _bounds(result.totals)), profiles, drivers, histogram)
