"""WSGI entry point: `gunicorn env5001site.wsgi` (scripts/run.sh).

Without DJANGO_SETTINGS_MODULE it uses `env5001site.settings`, whose DEBUG is off: a bare
`gunicorn env5001site.wsgi` never serves Django's debug pages. Deployments set
DJANGO_SETTINGS_MODULE=env5001site.production (README, "PostgreSQL and deployment").
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "env5001site.settings")

application = get_wsgi_application()
