"""Development settings: `DJANGO_SETTINGS_MODULE=env5001site.development` (`scripts/run.sh --dev`).

The only module that turns DEBUG on by itself: Django's debug pages, and static files served
straight from the source folders (no collectstatic). Never serve it beyond the loopback.
"""

from .settings import *  # noqa: F401,F403

DEBUG = True
WHITENOISE_AUTOREFRESH = True  # the settings module computed it from its own DEBUG
