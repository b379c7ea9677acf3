#!/usr/bin/env bash
# Set up and serve ENV5001 at http://127.0.0.1:8000 (idempotent: safe to run again).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py load_methodology config/
.venv/bin/python manage.py ensure_admin
exec .venv/bin/python manage.py runserver "${ENV5001_ADDRESS:-127.0.0.1:8000}"
