#!/usr/bin/env bash
# Set up and serve ENV5001 (idempotent: safe to run again).
#   scripts/run.sh        gunicorn, DEBUG off, static files by whitenoise, at http://127.0.0.1:8000
#   scripts/run.sh --dev  Django's development server, DEBUG on, auto-reload (for developers only)
# ENV5001_ADDRESS=HOST:PORT serves elsewhere (default 127.0.0.1:8000). SECRET_KEY is generated once
# into the untracked .env. DATABASE_URL selects the database (default: the embedded SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  "") export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-env5001site.settings} ;;
  --dev) export DJANGO_SETTINGS_MODULE=env5001site.development ;;
  *) echo "usage: scripts/run.sh [--dev]" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# The project as a package (pyproject.toml), once: library mode imports it from any directory.
.venv/bin/python scripts/serving.py installed \
  || .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
.venv/bin/python scripts/serving.py dotenv
ADDRESS=$(.venv/bin/python scripts/serving.py address "${ENV5001_ADDRESS:-}")
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py load_methodology config/
.venv/bin/python manage.py ensure_admin
if [ "${1:-}" = --dev ]; then
  exec .venv/bin/python manage.py runserver "$ADDRESS"
fi
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
echo "ENV5001 at http://$ADDRESS/ (Ctrl-C stops it)" >&2
# python -m: the venv's own interpreter even if the venv was moved. No control socket: it is one fixed path
# per user (~/.gunicorn), which a second server on the machine would take over.
exec .venv/bin/python -m gunicorn env5001site.wsgi --bind "$ADDRESS" --workers "${ENV5001_WORKERS:-3}" \
  --timeout 120 --no-control-socket
