"""The deployment recipes: compose.yaml has the services, volumes and health checks an operator relies on; nginx
accepts deploy/nginx.conf and, run for real on loopback in front of two app processes, passes WebSocket upgrades
and keeps /metrics private; the Dockerfile runs the commands CI runs for the wheel; the systemd unit passes
`systemd-analyze verify` and scores "OK" in `systemd-analyze security` (skipped only where systemd-analyze is missing).

Images cannot be built here (no container registry), so the Dockerfile is checked step by step instead. The nginx
tests run a copy of the config with compose's service names replaced by 127.0.0.1 and its port by a free one:
those names resolve only inside compose.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from .clients import WAIT, Facilitator, Participant, free_port, start_server, text

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx.conf"


def compose() -> dict[str, object]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())  # type: ignore[no-any-return]


def test_compose_runs_redis_with_its_append_only_file_two_apps_and_a_proxy() -> None:
    spec = compose()
    services = spec["services"]
    assert set(services) == {"redis", "app1", "app2", "proxy"}
    redis = services["redis"]
    assert "--appendonly" in redis["command"] and redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    assert "redis-data:/data" in redis["volumes"] and "redis-data" in spec["volumes"]
    for name in ("app1", "app2"):
        app = services[name]
        assert app["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert "/readyz" in " ".join(app["healthcheck"]["test"])
        assert app["depends_on"]["redis"]["condition"] == "service_healthy"
    proxy = services["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert {proxy["depends_on"][a]["condition"] for a in ("app1", "app2")} == {"service_healthy"}
    assert all("healthcheck" in service for service in services.values())
    upstreams = re.findall(r"^\s*server (\S+);", NGINX_CONF.read_text(), flags=re.M)
    assert upstreams == ["app1:8000", "app2:8000"]  # the proxy sends to the compose services


def test_the_dockerfile_runs_what_ci_runs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    steps = re.sub(r"\\\n\s*", "", dockerfile)  # continuation lines joined
    stages = re.findall(r"^FROM (\S+)", steps, flags=re.M)
    assert len(stages) == 2 and re.search(r"^ARG PYTHON=python:3\.\d+-slim$", steps, flags=re.M), stages
    # the commands of tests/test_wheel.py: build sdist and wheel, a venv, the wheel installed into it with pip
    assert re.search(r"^RUN python -m build --outdir /dist \.$", steps, flags=re.M)
    assert "python -m venv /opt/workshop" in steps and "/opt/workshop/bin/python -m pip install" in steps
    assert re.search(r"^USER workshop$", steps, flags=re.M) and "--uid 10001" in steps  # not root
    assert re.search(r"^VOLUME /data$", steps, flags=re.M) and "WORKSHOP_DATA_DIR=/data" in steps
    assert re.search(r"^HEALTHCHECK .*/readyz", steps, flags=re.M)
    assert re.search(r'^CMD \["workshop", "serve", "--host", "0.0.0.0"', steps, flags=re.M)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "workshop-data", "**/*.mo", "**/node_modules"} <= set(ignored)


def nginx_copy(tmp_path: Path, port: int, upstreams: list[str]) -> Path:
    """deploy/nginx.conf on loopback: the upstream names replaced, a free port, temporary files under tmp_path."""
    config = NGINX_CONF.read_text()
    for name, address in zip(["app1:8000", "app2:8000"], upstreams, strict=True):
        config = config.replace(f"server {name};", f"server {address};")
    config = config.replace("listen 80;", f"listen 127.0.0.1:{port};")
    temporary = "".join(
        f"    {kind}_temp_path {tmp_path / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = config.replace("http {\n", "http {\n" + temporary, 1)
    copy = tmp_path / "nginx.conf"
    copy.write_text(config)
    return copy


def nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    assert found, "nginx is needed for this test: apt-get install nginx (.ci/run does)"
    return found


def test_nginx_accepts_the_proxy_config(tmp_path: Path) -> None:
    copy = nginx_copy(tmp_path, free_port(), ["127.0.0.1:8001", "127.0.0.1:8002"])
    result = subprocess.run(
        [nginx(), "-t", "-p", str(tmp_path), "-e", "stderr", "-c", str(copy)], capture_output=True, text=True
    )
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr


@contextlib.contextmanager
def running_nginx(config: Path, port: int, prefix: Path) -> Iterator[str]:
    command = [nginx(), "-p", str(prefix), "-e", "stderr", "-c", str(config), "-g", f"daemon off; pid {prefix}/pid;"]
    log = prefix / "nginx.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WAIT
        while True:  # nginx says nothing when it listens: wait until its port takes a connection
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            assert time.monotonic() < deadline, "nginx did not listen"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_nginx_passes_websockets_to_two_processes_and_keeps_metrics_private(
    redis_url: str, tmp_path: Path
) -> None:
    with (
        start_server(tmp_path / "a", redis_url=redis_url, WORKSHOP_METRICS="true") as a,
        start_server(tmp_path / "b", redis_url=redis_url, WORKSHOP_METRICS="true") as b,
    ):
        port = free_port()
        upstreams = [a.url.removeprefix("http://"), b.url.removeprefix("http://")]
        with running_nginx(nginx_copy(tmp_path, port, upstreams), port, tmp_path) as proxy:
            async with Facilitator.open(proxy, "Hinter dem Proxy") as fac:
                projector = await fac.connect("projector")  # the upgrade, through nginx
                await projector.until(lambda r: "0 Personen" in text(r.get("headcount", "")))
                item = await fac.add_item("Kommt das durch?")
                anna = await Participant.join(proxy, fac.code, "Anna")
                try:
                    phone = await anna.connect("participant")
                    await phone.until(lambda r: "Kommt das durch?" in text(r.get("stage", "")))
                    await anna.vote(item, 1, "5")
                    await projector.until(lambda r: "1 von 1" in text(r["stage"]))
                finally:
                    await anna.close()
            async with httpx.AsyncClient(base_url=proxy) as outsider:
                assert (await outsider.get("/metrics")).status_code == 403
                assert (await outsider.get("/readyz")).status_code == 200
            async with httpx.AsyncClient() as inside:  # each process serves its own metrics to the network
                assert (await inside.get(f"{a.url}/metrics")).status_code == 200


def test_the_systemd_unit_verifies_and_is_hardened(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (it comes with systemd); the unit is checked where it is")
    unit = (ROOT / "deploy" / "workshop.service").read_text()
    for directive in ("DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=workshop", "NoNewPrivileges=yes"):
        assert re.search(rf"^{directive}$", unit, flags=re.M), directive
    # verify checks that ExecStart exists: the copy runs this checkout's `workshop` instead of /opt/workshop's
    copy = tmp_path / "workshop.service"
    copy.write_text(unit.replace("/opt/workshop/bin/workshop", str(Path(sys.executable).parent / "workshop")))
    verify = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and not (verify.stdout + verify.stderr).strip(), verify.stdout + verify.stderr
    security = subprocess.run(
        [analyze, "security", "--offline=yes", str(copy)], capture_output=True, text=True, timeout=60
    )
    exposure = re.search(r"Overall exposure level for workshop\.service: ([\d.]+)", security.stdout)
    assert exposure and float(exposure[1]) <= 2.0, security.stdout[-2000:] + security.stderr  # "OK" is below 2
