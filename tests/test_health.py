"""/healthz and /readyz against a real server on its own embedded Redis: ready while Redis answers and the fan-out
subscription is up, not ready (fast) while either is down, ready again when they are back; no room data either way."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import redis

from workshop import __version__
from workshop.connection import EmbeddedRedis

from .clients import Facilitator, Server, start_server
from .test_metrics import samples
from .test_persistence import kill_embedded_redis

SUBSCRIBED = "fan-out: subscribed"
LOST = "redis subscription lost"


def _wait_for_count(server: Server, line: str, count: int) -> None:
    output = server.wait_for_output(lambda out: out.count(line) >= count, timeout=20)
    assert output.count(line) >= count, output


async def _probe(client: httpx.AsyncClient, path: str) -> httpx.Response:
    started = time.monotonic()
    response = await client.get(path)
    assert time.monotonic() - started < 2.5, f"{path} took too long"  # fast even while Redis is away
    return response


async def test_ready_while_redis_and_the_subscription_are_up_and_not_while_either_is_down(data_dir: Path) -> None:
    with start_server(data_dir, WORKSHOP_METRICS="true") as app:
        _wait_for_count(app, SUBSCRIBED, 1)
        async with Facilitator.open(app.url, "Gesundheit") as fac, httpx.AsyncClient(base_url=app.url) as probe:
            alive = await _probe(probe, "/healthz")
            assert alive.status_code == 200 and alive.json() == {"status": "ok", "version": __version__}
            ready = await _probe(probe, "/readyz")
            assert ready.status_code == 200 and ready.json()["status"] == "ready"
            assert fac.code not in alive.text + ready.text and "Gesundheit" not in alive.text + ready.text

            # Redis answers, but this process no longer hears room changes: not ready.
            admin = redis.Redis(unix_socket_path=str(data_dir / "redis.sock"))
            try:
                admin.execute_command("ACL", "SETUSER", "default", "-psubscribe")
                admin.client_kill_filter(_type="pubsub")
                _wait_for_count(app, LOST, 1)
                down = await _probe(probe, "/readyz")
                assert down.status_code == 503, down.text
                assert down.json() == {"status": "not ready", "redis": True, "subscription": False}
                assert (await _probe(probe, "/healthz")).status_code == 200  # alive all the same
                admin.execute_command("ACL", "SETUSER", "default", "+psubscribe")
                _wait_for_count(app, SUBSCRIBED, 2)
                assert (await _probe(probe, "/readyz")).status_code == 200
            finally:
                admin.close()

            # Redis itself gone (a hard kill), then back with its append-only file.
            lost_before = app.output().count(LOST)  # the refused PSUBSCRIBE was retried, and each retry said so
            kill_embedded_redis(data_dir)
            _wait_for_count(app, LOST, lost_before + 1)
            down = await _probe(probe, "/readyz")
            assert down.status_code == 503 and down.json()["redis"] is False, down.text
            assert (await _probe(probe, "/healthz")).status_code == 200
            refused = await fac.post("/items", question="Während des Ausfalls", deck="fibonacci", start="on")
            assert refused.status_code == 503
            returned = EmbeddedRedis(data_dir)
            returned.start()
            try:
                _wait_for_count(app, SUBSCRIBED, 3)
                assert (await _probe(probe, "/readyz")).status_code == 200
                assert (await fac.http.get(f"/r/{fac.code}/facilitate")).status_code == 200  # the room survived
                errors = samples((await probe.get("/metrics")).text)  # the operator's view of the same events
                assert errors[("workshop_redis_errors_total", (("where", "subscription"),))] >= 2  # and each retry
                assert errors[("workshop_redis_errors_total", (("where", "request"),))] == 1
            finally:
                returned.stop()


async def test_the_privacy_page_and_healthz_name_the_running_version(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as browser:
        page = (await browser.get("/datenschutz")).text
        assert f"workshop {__version__}" in page
        assert (await browser.get("/healthz")).json()["version"] == __version__
