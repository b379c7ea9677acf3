"""Profile one POST /api/energy with pyinstrument (pip install -r requirements-bench.txt).

    .venv/bin/python bench/run.py --data-only     # writes the files to bench/results/data/
    .venv/bin/python bench/profile_post.py --database postgres --file large/records

Same setup as bench/post.py (throwaway test database, v1 + the 500-profile version, a
token); one warm-up request, then one profiled request. Prints pyinstrument's text
report and writes the HTML one to bench/results/profile-<database>-<file>.html.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

import post  # noqa: E402  (bench/post.py)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=sorted(post.DEFAULT_URLS), default="postgres")
    parser.add_argument("--url")
    parser.add_argument("--data-dir", type=Path, default=BENCH_DIR / "results" / "data")
    parser.add_argument("--file", default="large/records", help="dataset name, e.g. typical/records, large/csv")
    parser.add_argument("--interval", type=float, default=0.0005)
    parser.add_argument("--show-all", action="store_true", help="do not hide library frames")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    index = {meta["name"]: meta for meta in json.loads((args.data_dir / "index.json").read_text())}
    meta = index[args.file]
    data = (args.data_dir / meta["file"]).read_bytes()
    connection, old_name = post.setup_database(args.database, args.url or post.DEFAULT_URLS[args.database])
    logging.getLogger("env5001.requests").setLevel(logging.WARNING)
    try:
        token, versions = post.prepare_app()
        poster = post.Poster(token, versions)
        poster.timed(meta, data)
        profiler = Profiler(interval=args.interval)
        profiler.start()
        poster.timed(meta, data)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=args.show_all))
        html = BENCH_DIR / "results" / f"profile-{args.database}-{args.file.replace('/', '-')}.html"
        html.write_text(profiler.output_html())
        print(f"HTML report: {html}", file=sys.stderr)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
