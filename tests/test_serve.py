"""`workshop serve` as a newcomer meets it: where to go, where the data is, which Redis; a wrong setting in one line.

Every test runs the real command in its own process and reads what it prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from workshop.config import DOCUMENTED

from .clients import free_port

SECRET = "s3cret-Passw0rd"


def serve(cwd: Path, port: int, **env: str) -> tuple[int | None, str]:
    """`workshop serve` until it ends by itself (its exit code) or uvicorn says it is running (None, then stopped).

    The settings are only those given (and the working directory has no .env file).
    """
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_") and k != "REDIS_URL"}
    process = subprocess.Popen(
        [sys.executable, "-m", "workshop", "serve", "--port", str(port)],
        cwd=cwd,
        env={**environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    watchdog = threading.Timer(30, process.kill)  # an upper bound for a start, never a wait
    watchdog.start()
    output, running = [], False
    try:
        for line in process.stdout:
            output.append(line)
            if "Uvicorn running on" in line:
                running = True
                break
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        output.append(process.stdout.read())
        process.stdout.close()
    return (None if running else process.wait()), "".join(output)


def before_uvicorn(output: str) -> str:
    """What the command printed before uvicorn's first line."""
    return output.split("INFO:", 1)[0]


def with_password(url: str) -> str:
    """The test Redis's URL with a password in it (a Redis without one accepts any), where the URL has room."""
    parts = urlsplit(url)
    if parts.scheme == "redis" and "@" not in parts.netloc:
        return url.replace("redis://", f"redis://default:{SECRET}@", 1)
    return url


def test_serve_says_where_to_go_where_the_data_is_and_which_redis(tmp_path: Path) -> None:
    port = free_port()
    status, output = serve(tmp_path, port)  # no settings: the embedded Redis in ./workshop-data
    assert status is None, output
    first = before_uvicorn(output)
    assert f"open http://127.0.0.1:{port}/" in first, output
    assert f"Data directory: {tmp_path.resolve() / 'workshop-data'}\n" in first, output
    assert "Redis:          embedded" in first, output
    assert "First run:" in first and "facilitator console" in first, output


def test_serve_names_the_redis_url_without_its_password(tmp_path: Path, redis_url: str) -> None:
    url = with_password(redis_url)
    status, output = serve(tmp_path, free_port(), REDIS_URL=url, WORKSHOP_ROOM_TTL="1h")
    assert status is None, output
    first = before_uvicorn(output)
    shown = url.replace(f":{SECRET}@", "@")
    assert f"Redis:          {shown} (REDIS_URL)\n" in first, output
    assert SECRET not in output


WRONG = {
    "ttl": ({"WORKSHOP_ROOM_TTL": "soon"}, ["WORKSHOP_ROOM_TTL='soon'", "30d"]),
    "ttl-zero": ({"WORKSHOP_ROOM_TTL": "0"}, ["WORKSHOP_ROOM_TTL='0'"]),
    "language": ({"WORKSHOP_LANGUAGE": "fr"}, ["WORKSHOP_LANGUAGE='fr'", "de or en"]),
    "flag": ({"WORKSHOP_HTTPS": "ture"}, ["WORKSHOP_HTTPS='ture'", "true or false"]),
    "log-format": ({"WORKSHOP_LOG_FORMAT": "xml"}, ["WORKSHOP_LOG_FORMAT='xml'", "plain or json"]),
    "oidc-half": (
        {"WORKSHOP_OIDC_ISSUER": "https://id.example.de/realms/staff"},
        ["WORKSHOP_OIDC_CLIENT_ID", "set both"],
    ),
    "oidc-url": ({"WORKSHOP_OIDC_ISSUER": "id.example.de"}, ["WORKSHOP_OIDC_ISSUER", "https://"]),
    "public-url": ({"WORKSHOP_PUBLIC_URL": "workshop.example.de"}, ["WORKSHOP_PUBLIC_URL", "https://"]),
    "redis-scheme": ({"REDIS_URL": f"http://:{SECRET}@localhost:6379/0"}, ["REDIS_URL", "not a Redis URL"]),
    "redis-port": ({"REDIS_URL": "redis://localhost:sixtythree/0"}, ["REDIS_URL", "not a Redis URL"]),
    "rates": ({"WORKSHOP_RATE_LIMITS": "joins=5/1m"}, ["WORKSHOP_RATE_LIMITS='joins=5/1m'", "lookups=30/1m"]),
    "rates-zero": ({"WORKSHOP_RATE_LIMITS": "rooms=0/1h"}, ["WORKSHOP_RATE_LIMITS='rooms=0/1h'"]),
    "sockets": ({"WORKSHOP_SOCKETS_PER_PERSON": "many"}, ["WORKSHOP_SOCKETS_PER_PERSON='many'", "e.g. 5"]),
}


@pytest.mark.parametrize("case", [*WRONG, "redis-unreachable", "data-dir"])
def test_a_wrong_setting_stops_with_one_line_that_says_what_to_fix(tmp_path: Path, case: str) -> None:
    if case == "redis-unreachable":
        port = free_port()  # bound and released: nothing listens there
        env, expected = (
            {"REDIS_URL": f"redis://:{SECRET}@127.0.0.1:{port}/0"},
            [
                f"REDIS_URL redis://127.0.0.1:{port}/0 did not answer",
                "unset REDIS_URL",
            ],
        )
    elif case == "data-dir":
        (tmp_path / "a-file").write_text("")
        env, expected = {"WORKSHOP_DATA_DIR": str(tmp_path / "a-file" / "data")}, ["WORKSHOP_DATA_DIR", "a-file"]
    else:
        env, expected = WRONG[case]
    status, output = serve(tmp_path, free_port(), **env)
    lines = output.strip().splitlines()
    assert status == 2 and len(lines) == 1, output
    assert lines[0].startswith("workshop: ") and all(part in lines[0] for part in expected), lines[0]
    assert "Traceback" not in output and SECRET not in output


def test_help_explains_every_option_and_every_setting() -> None:
    shown = {}
    for command in ("--help", "serve --help"):
        result = subprocess.run(
            [sys.executable, "-m", "workshop", *command.split()], capture_output=True, text=True, timeout=30, check=True
        )
        shown[command] = flat = " ".join(result.stdout.split())
        for name, (default, meaning) in DOCUMENTED.items():
            assert f"{name} (default: {default})" in flat, (command, name)
            assert " ".join(meaning.split()) in flat, (command, name)
        assert "FORWARDED_ALLOW_IPS (default: 127.0.0.1)" in flat
    assert "serve serve the app" in shown["--help"]
    for option, default in [("--host HOST", "127.0.0.1"), ("--port PORT", "8000"), ("--reload", "off")]:
        assert f"{option} " in shown["serve --help"] and f"(default: {default}" in shown["serve --help"], option
