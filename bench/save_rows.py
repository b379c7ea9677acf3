"""The save of a run's daily rows alone (then the commit), on a throwaway SQLite file or the PostgreSQL
of --url: medians of wall and CPU time of this process, for the two ways calculations.bulk writes them:
`columns` (insert_columns of services.daily_columns: what a run's save does; on PostgreSQL a binary
COPY built from the columns) and `rows` (insert_rows of services.daily_rows: a tuple a row, psycopg's
write_row on PostgreSQL).

    .venv/bin/python bench/save_rows.py                    # century/records (109 575 rows), SQLite
    .venv/bin/python bench/save_rows.py --file typical/records --reps 31 --url postgres://postgres@127.0.0.1:5432/env5001_save

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
    from calculations.bulk import insert_columns, insert_rows
    from calculations.engine.compute import compute
    from calculations.engine.parser import parse_analytics
    from calculations.models import ESTIMATE_COLUMNS, DailyResult
    from calculations.services import DAILY_COLUMNS, daily_columns, daily_rows

    call_command("migrate", verbosity=0)
    size, form = args.file.split("/")
    dataset = next(d for d in datasets.datasets((size,)) if d.form == form)
    parameters = datasets.default_parameters() if dataset.version == "default" else datasets.bench_parameters()
    result = compute(parse_analytics(dataset.data, parameters, content_type=dataset.content_type).cells, parameters)
    writers = {
        "columns": lambda run_id: insert_columns(DailyResult, DAILY_COLUMNS, daily_columns(run_id, result),
                                                 len(result.cells), nan_is_null=ESTIMATE_COLUMNS),
        "rows": lambda run_id: insert_rows(DailyResult, DAILY_COLUMNS, daily_rows(run_id, result)),
    }
    for name, write in writers.items():
        wall, cpu = [], []
        for run_id in range(1, args.reps + 1):
            gc.collect()
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            with transaction.atomic():
                write(run_id)
            wall.append(time.perf_counter() - wall_start)
            cpu.append(time.process_time() - cpu_start)
            DailyResult.objects.all().delete()  # the same table size for every repetition
        print(f"{dataset.name} on {connection.vendor}, {name}: {len(result.cells):,} rows, insert + commit median "
              f"{statistics.median(wall) * 1000:.1f} ms wall, {statistics.median(cpu) * 1000:.1f} ms CPU "
              f"({args.reps} reps)")
    if not args.url:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
