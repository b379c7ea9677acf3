"""What sealing adds to a save: the run's record, its canonical bytes and SHA-256 (issue 19).

Plain Python, no database: the typical and large bench files are parsed and computed once, then the
record built as save_run builds it (from the in-memory results) and hashed, N times; medians printed.
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
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

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
            "days": 365, "mappings": [], "derived_from": None,
        }
        totals = canonical.figures_of(result.totals)
        times = []
        for _ in range(options.reps if dataset.size == "typical" else max(3, options.reps // 10)):
            start = time.perf_counter()
            record = canonical.run_record(fields, analytics.cells.columns(), totals, [
                {"profile": p.profile, "model": p.model, **canonical.figures_of(p)} for p in result.profiles])
            canonical.content_sha256(record)
            times.append(time.perf_counter() - start)
        size = len(canonical.canonical_bytes(record))
        print(f"{dataset.name:18} {len(analytics.cells):>7} cells  record {size / 1e6:6.2f} MB  "
              f"record + SHA-256 median {statistics.median(times) * 1000:7.2f} ms ({len(times)} reps)")


if __name__ == "__main__":
    main()
