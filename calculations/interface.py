"""Library mode: compute a result document from Python.

    from calculations.interface import run
    document = run("examples/2025-FluidTopics-daily-analytics.yaml", region="france")
    print(document["totals"]["energy_kwh"])

`analytics` is a path, bytes, text or a binary/text file object. `methodology` is a
published version number, a config directory (config.yaml + config_model.yaml), or
None: the latest published version, or `config/` when no database is set up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

from calculations.engine.config import load_config_dir
from calculations.engine.parameters import ParameterSet
from calculations.engine.pipeline import evaluate

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = PROJECT_DIR / "config"


def _read_analytics(analytics: str | os.PathLike | bytes | IO) -> tuple[bytes, str | None]:
    """(bytes, file name or None)."""
    if isinstance(analytics, bytes):
        return analytics, None
    if hasattr(analytics, "read"):
        content = analytics.read()
        name = getattr(analytics, "name", None)
        return (content.encode("utf-8") if isinstance(content, str) else content), (str(name) if name else None)
    if isinstance(analytics, os.PathLike) or (
        isinstance(analytics, str) and "\n" not in analytics and len(analytics) < 4096 and Path(analytics).is_file()
    ):
        path = Path(analytics)
        return path.read_bytes(), path.name
    if isinstance(analytics, str):
        return analytics.encode("utf-8"), None
    raise TypeError(f"analytics must be a path, bytes, text or a file object, not {type(analytics).__name__}")


def _database_parameters(number: int | None) -> ParameterSet | None:
    """The published version's parameters, or None when there is no usable database (only for number=None)."""
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "env5001site.settings")
    django.setup()
    from django.db import DatabaseError

    from methodology.selectors import VersionNotFound, get_published_version, parameter_set_for

    try:
        return parameter_set_for(get_published_version(number))
    except (DatabaseError, VersionNotFound):
        if number is not None:
            raise
        return None


def resolve_parameters(methodology: int | str | os.PathLike | None) -> ParameterSet:
    if isinstance(methodology, bool):
        raise TypeError("methodology must be a version number, a config directory or None")
    if isinstance(methodology, int):
        return _database_parameters(methodology)
    if methodology is not None:
        return load_config_dir(methodology)
    return _database_parameters(None) or load_config_dir(DEFAULT_CONFIG_DIR)


def run(
    analytics: str | os.PathLike | bytes | IO,
    region: str | None = None,
    methodology: int | str | os.PathLike | None = None,
    profile: str | None = None,
    unknown_models: str | None = None,
) -> dict[str, Any]:
    """The result document of `analytics` (see README, "Library mode"). `unknown_models="generic"` maps
    models no alias matches to the usage profile `generic` (refused when the version has none)."""
    data, filename = _read_analytics(analytics)
    return evaluate(data, resolve_parameters(methodology), region=region, profile=profile, filename=filename,
                    unknown_models=unknown_models)
