"""scripts/serving.py, the helpers of scripts/run.sh: the SECRET_KEY generated once into .env, and the address
check that says how to pick another port when one is taken."""

from __future__ import annotations

import importlib.util
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "serving.py"
_spec = importlib.util.spec_from_file_location("serving", SCRIPT)
serving = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serving)


@pytest.fixture
def listener():
    """A socket listening on a loopback port, as a server already running there."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def secret_keys(dotenv: Path) -> list[str]:
    return [line.split("=", 1)[1] for line in dotenv.read_text().splitlines() if line.startswith("SECRET_KEY=")]


def test_a_secret_key_is_generated_into_a_new_env_file_readable_by_its_owner_only(tmp_path):
    dotenv = tmp_path / ".env"
    assert serving.ensure_secret_key(dotenv) is True
    [key] = secret_keys(dotenv)
    assert len(key) >= 50 and len(set(key)) >= 5
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600


def test_the_secret_key_is_kept_on_the_next_runs(tmp_path):
    dotenv = tmp_path / ".env"
    serving.ensure_secret_key(dotenv)
    first = dotenv.read_text()
    assert serving.ensure_secret_key(dotenv) is False
    assert dotenv.read_text() == first


def test_an_env_file_without_a_secret_key_keeps_its_settings_and_gains_one(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("DATABASE_URL=postgres://db/env5001")  # no final newline
    serving.ensure_secret_key(dotenv)
    lines = dotenv.read_text().splitlines()
    assert lines[0] == "DATABASE_URL=postgres://db/env5001"
    assert len(secret_keys(dotenv)) == 1


@pytest.mark.parametrize(("address", "expected"), [
    ("127.0.0.1:8000", ("127.0.0.1", 8000)), ("8001", ("127.0.0.1", 8001)), ("0.0.0.0:80", ("0.0.0.0", 80)),
    ("[::1]:8002", ("::1", 8002)),
])
def test_an_address_is_host_and_port_or_a_port_on_the_loopback(address, expected):
    assert serving.parse_address(address) == expected


@pytest.mark.parametrize("address", ["localhost", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:0", "127.0.0.1:70000"])
def test_an_address_without_a_valid_port_is_refused_with_an_example(address):
    with pytest.raises(serving.AddressError, match="ENV5001_ADDRESS=127.0.0.1:8001"):
        serving.parse_address(address)


def test_a_free_address_is_given_back_to_serve_on(free_port):
    assert serving.check_address(str(free_port)) == f"127.0.0.1:{free_port}"


def test_a_port_in_use_says_how_to_pick_another_and_names_a_free_one(listener):
    with pytest.raises(serving.AddressError) as refused:
        serving.check_address(f"127.0.0.1:{listener}")
    message = str(refused.value)
    assert f"127.0.0.1:{listener} is already in use" in message
    suggested = int(message.split("ENV5001_ADDRESS=127.0.0.1:")[1].split()[0])
    assert suggested > listener
    assert serving.check_address(f"127.0.0.1:{suggested}") == f"127.0.0.1:{suggested}"


def test_the_command_line_exits_non_zero_with_the_message_when_the_port_is_in_use(listener):
    result = subprocess.run([sys.executable, str(SCRIPT), "address", f"127.0.0.1:{listener}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert "already in use" in result.stderr and "ENV5001_ADDRESS=" in result.stderr


def test_the_command_line_prints_the_default_address_when_none_is_given():
    result = subprocess.run([sys.executable, str(SCRIPT), "address", ""], capture_output=True, text=True, timeout=60)
    # 8000 may be taken on a developer's machine: then the message names it.
    assert result.stdout.strip() == "127.0.0.1:8000" or "127.0.0.1:8000 is already in use" in result.stderr


def test_a_checkout_this_python_does_not_import_is_reported_as_not_installed(tmp_path):
    assert serving.imports_this_checkout(tmp_path) is False


def test_library_mode_runs_from_another_directory(tmp_path):
    """README, "Library mode": the project is installed into the venv (scripts/run.sh and scripts/test.sh do it)."""
    (tmp_path / "report.yaml").write_bytes((SCRIPT.parents[1] / "examples" / "2025-FluidTopics-daily-analytics.yaml")
                                           .read_bytes())
    code = ("from calculations.interface import run; "
            "print(run('report.yaml', region='france', methodology='" + str(SCRIPT.parents[1] / "config") + "')"
            "['totals']['energy_kwh']['value'])")
    result = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, "not installed? pip install -e . (scripts/test.sh does)\n" + result.stderr
    from calculations.interface import run

    here = run(tmp_path / "report.yaml", region="france", methodology=SCRIPT.parents[1] / "config")
    assert float(result.stdout) == here["totals"]["energy_kwh"]["value"]
