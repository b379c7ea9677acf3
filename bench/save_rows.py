"""The save of a run's daily rows alone (calculations.bulk.insert_rows, then the commit), on a
throwaway SQLite file or the PostgreSQL of --url: medians of wall and CPU time of this process.

    .venv/bin/python bench/save_rows.py                    # century/records (109 575 rows), SQLite
    .venv/bin/python bench/save_rows.py --file large/records --reps 5

CPU time (time.process_time) is the steadier figure on a shared machine: another process's load
stretches the wall time, not the work. On PostgreSQL most of the work is the server's, in another
process: compare wall times there.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from itertools import repeat
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="century/records", help="size/form of bench/datasets.py")
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--url", help="DATABASE_URL (default: a throwaway SQLite file)")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.url or f"sqlite:///{tempfile.mkdtemp()}/save_rows.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "env5001site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench import datasets
    from calculations.bulk import insert_rows
    from calculations.engine.compute import compute
    from calculations.engine.parser import parse_analytics
    from calculations.models import DailyResult
    from calculations.services import DAILY_COLUMNS

    call_command("migrate", verbosity=0)
    size, form = args.file.split("/")
    dataset = next(d for d in datasets.datasets((size,)) if d.form == form)
    parameters = datasets.default_parameters() if dataset.version == "default" else datasets.bench_parameters()
    daily = compute(parse_analytics(dataset.data, parameters, content_type=dataset.content_type).cells,
                    parameters).cells
    wall, cpu = [], []
    for run_id in range(1, args.reps + 1):
        rows = map(tuple.__add__, zip(
            repeat(run_id), daily.cells.days, daily.cells.profiles, daily.cells.inferences, daily.input_tokens,
            daily.output_tokens, daily.cells.input_tokens, daily.cells.output_tokens), daily.estimate_rows())
        gc.collect()
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        with transaction.atomic():
            insert_rows(DailyResult, DAILY_COLUMNS, rows)
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.process_time() - cpu_start)
        DailyResult.objects.all().delete()  # the same table size for every repetition
    print(f"{dataset.name} on {connection.vendor}: {len(daily):,} rows, insert + commit median "
          f"{statistics.median(wall) * 1000:.0f} ms wall, {statistics.median(cpu) * 1000:.0f} ms CPU ({args.reps} reps)")
    if not args.url:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
