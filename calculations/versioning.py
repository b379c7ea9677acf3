"""The engine version a run records: package version plus the git commit when known."""

import os
import subprocess
from functools import lru_cache
from pathlib import Path

from calculations.engine import ENGINE_VERSION


@lru_cache(maxsize=1)
def engine_version() -> str:
    commit = os.environ.get("ENV5001_GIT_COMMIT", "")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "rev-parse", "--short=12", "HEAD"],
                cwd=Path(__file__).resolve().parent.parent,
                capture_output=True, text=True, timeout=5, check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            commit = ""
    return f"{ENGINE_VERSION}+{commit}" if commit else ENGINE_VERSION
