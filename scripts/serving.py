"""Helpers of scripts/run.sh, plain Python (they run before Django and its settings are loaded).

    python scripts/serving.py dotenv [PATH]      generate SECRET_KEY once into the untracked .env
    python scripts/serving.py address [ADDRESS]  print HOST:PORT to serve on, or say how to pick another
    python scripts/serving.py installed          exit 0 when this Python imports this checkout from anywhere

ADDRESS is `HOST:PORT` or `PORT` (default 127.0.0.1:8000, the value of ENV5001_ADDRESS in run.sh).
"""

from __future__ import annotations

import errno
import secrets
import socket
import subprocess
import sys
from pathlib import Path

DEFAULT_ADDRESS = "127.0.0.1:8000"
PROJECT_DIR = Path(__file__).resolve().parent.parent
DOTENV = PROJECT_DIR / ".env"


class AddressError(Exception):
    """An address run.sh cannot serve on; the message says what to do instead."""


def ensure_secret_key(dotenv: Path = DOTENV) -> bool:
    """Add a random SECRET_KEY to `dotenv` unless it has one; True when one was generated.

    Generated once and kept: sessions and password-reset links survive restarts. The file is
    git-ignored and readable by its owner only.
    """
    text = dotenv.read_text() if dotenv.exists() else ""
    if any(line.strip().startswith("SECRET_KEY=") for line in text.splitlines()):
        return False
    separator = "" if not text or text.endswith("\n") else "\n"
    dotenv.write_text(f"{text}{separator}SECRET_KEY={secrets.token_urlsafe(50)}\n")
    dotenv.chmod(0o600)
    return True


def parse_address(address: str) -> tuple[str, int]:
    """(host, port) of `HOST:PORT` or `PORT`; a bare port is on the loopback."""
    host, _, port_text = address.strip().rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise AddressError(f"ENV5001_ADDRESS={address!r} is not HOST:PORT with a port from 1 to 65535 "
                           f"(for example ENV5001_ADDRESS=127.0.0.1:8001).")
    return host, int(port_text)


def _bind_error(host: str, port: int) -> OSError | None:
    """The error binding (host, port) gives now, None when it is free (bound the way gunicorn binds)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error
    return None


def free_port_near(host: str, port: int, tries: int = 20) -> int | None:
    """The first port after `port` that is free on `host`, None when the next `tries` are all taken."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        if _bind_error(host, candidate) is None:
            return candidate
    return None


def check_address(address: str = DEFAULT_ADDRESS) -> str:
    """`address` as HOST:PORT when the server can bind it; else AddressError saying how to pick another."""
    host, port = parse_address(address)
    error = _bind_error(host, port)
    if error is None:
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if error.errno == errno.EADDRINUSE:
        suggestion = free_port_near(host, port)
        example = f"{host}:{suggestion}" if suggestion else f"{host}:PORT"
        raise AddressError(f"{host}:{port} is already in use (is ENV5001 or another server running there?). "
                           f"Stop it, or pick another address: ENV5001_ADDRESS={example} scripts/run.sh")
    raise AddressError(f"cannot serve on {host}:{port}: {error.strerror}. "
                       f"Pick another address: ENV5001_ADDRESS=127.0.0.1:PORT scripts/run.sh")


def imports_this_checkout(project_dir: Path = PROJECT_DIR) -> bool:
    """Whether this interpreter, started in another folder, imports `calculations` from `project_dir`: the
    project is installed into the venv (pip install -e .) for library mode. A venv copied from another checkout
    may hold an install of that one, and this checkout's own folder would hide it: -I keeps it off the path."""
    probe = "import calculations, pathlib; print(pathlib.Path(calculations.__file__).resolve().parent.parent)"
    result = subprocess.run([sys.executable, "-I", "-c", probe], cwd="/", capture_output=True, text=True)
    return result.returncode == 0 and Path(result.stdout.strip()) == project_dir.resolve()


def main(argv: list[str]) -> int:
    command, *rest = argv or ["help"]
    try:
        if command == "dotenv":
            if ensure_secret_key(Path(rest[0]) if rest else DOTENV):
                print("Generated SECRET_KEY in .env (kept for the next runs; never commit it).", file=sys.stderr)
            return 0
        if command == "address":
            print(check_address(rest[0] if rest and rest[0] else DEFAULT_ADDRESS))
            return 0
        if command == "installed":
            return 0 if imports_this_checkout() else 1
    except AddressError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
