#!/usr/bin/env bash
# Install the test requirements and run the whole suite (extra arguments go to pytest).
# DATABASE_URL selects the database (default: SQLite); browser tests need Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
# The project as a package (pyproject.toml), once: library mode imports it from any directory.
.venv/bin/python scripts/serving.py installed \
  || .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # Real-browser tests drive Debian's Chromium (Playwright's own browser download is not used).
  (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }) \
    || echo "warning: could not install chromium; browser tests will be skipped outside CI" >&2
fi
exec .venv/bin/python -m pytest "$@"
