"""What sealing adds to a save: the run's record, its canonical bytes and SHA-256 (issue 19).

Plain Python, no database: the typical and large bench files are parsed and computed once, then the
record hashed as save_run hashes it (streamed from the in-memory results, `run_content_sha256`), N
times; medians printed, with the Python memory peak of the streamed hash against building the record.
The other half of the cost, the ledger append (advisory lock, head read, one INSERT, all in the
saving transaction), is in bench/post.py's whole-POST figures.

    .venv/bin/python bench/seal.py [--reps 51]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "env5001site.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=51)
    options = parser.parse_args()
    import django

    django.setup()
    from audit import canonical
    from bench.datasets import bench_parameters, datasets, default_parameters
    from calculations.engine.compute import compute
    from calculations.engine.parser import parse_analytics

    for dataset in datasets(("typical", "large")):
        if dataset.form != "records":
            continue
        parameters = default_parameters() if dataset.version == "default" else bench_parameters()
        analytics = parse_analytics(dataset.data, parameters, filename=f"x.{dataset.syntax}")
        result = compute(analytics.cells, parameters, None)
        fields = {
            "id": 1, "created_at": datetime.now(timezone.utc), "user": "analyst", "source": "api", "label": "",
            "project": None, "methodology_number": 1, "methodology_sha256": parameters.sha256, "region": "france",
            "profile_option": "", "engine_version": "x", "input_sha256": "0" * 64, "input_bytes": len(dataset.data),
            "input_format": "yaml", "first_day": analytics.cells.days[0], "last_day": analytics.cells.days[-1],
            "days": 365, "mappings": [], "derived_from": None, "uncertainty": None, "counts_sha256": "0" * 64,
            "inferences_reported": True, "generic_models": [],
        }
        totals = canonical.figures_of(result.totals)
        profiles = [{"profile": p.profile, "model": p.model, **canonical.figures_of(p)} for p in result.profiles]
        parts = (fields, analytics.cells.all_columns(), totals, profiles)
        times = []
        for _ in range(options.reps if dataset.size == "typical" else max(3, options.reps // 10)):
            start = time.perf_counter()
            canonical.run_content_sha256(*parts)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        canonical.run_content_sha256(*parts)
        streamed_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        size = len(canonical.canonical_bytes(canonical.run_record(*parts)))
        whole_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{dataset.name:18} {len(analytics.cells):>7} cells  record {size / 1e6:6.2f} MB  "
              f"streamed SHA-256 median {statistics.median(times) * 1000:7.2f} ms ({len(times)} reps), "
              f"peak {streamed_peak / 1e6:.1f} MB (whole record: {whole_peak / 1e6:.1f} MB)")

if __name__ == "__main__":
    main()
