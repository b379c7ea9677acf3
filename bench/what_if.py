"""Measured sketches behind bench/README.md's "what would reach it" (not used by the app).

    .venv/bin/python bench/what_if.py            # on the large files, ~1 min

1. The CSV ladder: what a loop over csv.reader costs as it does more per row, up to
   parse_analytics, in multiples of the bare csv.reader floor. It shows why no parser that
   hands the engine one Python object per row can be within 2x of csv.reader.
2. A compact compute: the same operations as engine/compute.py's cell_impacts, in the same
   order (so the same bits), inlined per cell into one flat tuple of 15 floats, without
   Estimate/CellResult objects, with subtotals by fsum per column; against compute(), time
   and tracemalloc. A sketch for the engine's owners, not a drop-in replacement.
"""

from __future__ import annotations

import csv
import gc
import io
import math
import sys
import tracemalloc
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from bench import datasets, run  # noqa: E402
from calculations.engine.analytics import Cell  # noqa: E402
from calculations.engine.compute import BOUNDS, JOULES_PER_KWH, _constants, compute  # noqa: E402
from calculations.engine.parser import parse_analytics  # noqa: E402


def median_time(function, reps: int = 5) -> float:
    return run.median_time(function, reps)[0]


def csv_ladder(data: bytes, parameters) -> None:
    def rows():
        return csv.reader(io.StringIO(data.decode("utf-8"), newline=""))

    def floor():
        for _ in rows():
            pass

    def strip():
        for row in rows():
            [cell.strip() for cell in row]

    def cells():
        out = []
        for row in rows():
            out.append(Cell(row[0], row[1], int(row[2]) if row[2].isdigit() else 0, None, None))

    def parser():
        parse_analytics(data, parameters, content_type="text/csv")

    base = median_time(floor)
    print(f"CSV ladder, {len(data) / 1e6:.1f} MB: csv.reader floor {base * 1000:.1f} ms")
    for label, function in (("strip every cell", strip), ("one Cell per row, no validation", cells),
                            ("parse_analytics", parser)):
        print(f"  {label:34} {median_time(function) / base:5.1f}x the floor")


def compact_compute(cells, parameters, region=None):
    """Per cell (energy, carbon, embodied, carbon total, water) x (value, low, high), flat; totals per profile."""
    region_params = parameters.region(region)
    constants = {
        code: tuple(_constants(profile, parameters.models[profile.model], region_params, bound) for bound in BOUNDS)
        for code, profile in parameters.profiles.items()
    }
    out = []
    append = out.append
    for cell in cells:
        n, explicit_in, explicit_out = cell.inferences, cell.input_tokens, cell.output_tokens
        bounds = []
        for c in constants[cell.profile]:
            tokens_in = explicit_in if explicit_in is not None else n * c.input_tokens
            tokens_out = explicit_out if explicit_out is not None else n * c.output_tokens
            replica_s = (tokens_in / c.prefill_tokens_per_s + tokens_out / c.decode_tokens_per_s) / c.efficiency
            energy_it = c.power_w * replica_s / JOULES_PER_KWH
            energy = energy_it * c.pue
            bounds.append((energy, energy * c.carbon_intensity, c.embodied_g_per_replica_s * replica_s,
                           energy_it * c.water_l_per_kwh_it))
        v, lo, hi = bounds
        append((v[0], lo[0], hi[0], v[1], lo[1], hi[1], v[2], lo[2], hi[2],
                v[1] + v[2], lo[1] + lo[2], hi[1] + hi[2], v[3], lo[3], hi[3]))
    by_profile: dict[str, list] = {}
    for cell, row in zip(cells, out):
        by_profile.setdefault(cell.profile, []).append(row)
    totals = {code: [math.fsum(column) for column in zip(*rows)] for code, rows in by_profile.items()}
    return out, totals


def compute_comparison(cells, parameters) -> None:
    reference = compute(cells, parameters)
    compact, _ = compact_compute(cells, parameters)
    first = reference.cells[0]
    assert compact[0][:3] == (first.energy_kwh.value, first.energy_kwh.low, first.energy_kwh.high)
    print(f"compute over {len(cells):,} cells (median of 3):")
    for label, function in (("engine compute()", lambda: compute(cells, parameters)),
                            ("compact sketch", lambda: compact_compute(cells, parameters))):
        seconds = median_time(function, 3)
        gc.collect()
        tracemalloc.start()
        result = function()
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        print(f"  {label:18} {seconds:6.2f} s, {current / 2**20:5.0f} MB held")


def main() -> int:
    parameters = datasets.bench_parameters()
    files = {d.form: d for d in datasets.datasets(("large",))}
    csv_ladder(files["csv"].data, parameters)
    cells = parse_analytics(files["records"].data, parameters, content_type="application/yaml").cells
    compute_comparison(cells, parameters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
