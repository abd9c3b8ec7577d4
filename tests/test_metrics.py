"""Prometheus metrics (WORKSHOP_METRICS=true), scraped from a real server after real commands and sockets: the
names and labels an operator's dashboards rely on, and never a room code, a name or a text."""

from __future__ import annotations

from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from workshop.domain import codes

from .clients import Facilitator, Participant, Server, start_server, text

QUESTION = "Wie viel Aufwand ist die Clearingstelle?"


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


async def test_metrics_count_rooms_sockets_commands_and_latencies_without_room_data(
    redis_url: str, tmp_path: Path
) -> None:
    with start_server(tmp_path / "app", redis_url=redis_url, WORKSHOP_METRICS="true") as app:
        async with Facilitator.open(app.url, "Metriken-Test Werkstatt") as fac:
            projector = await fac.connect("projector")
            anna = await Participant.join(app.url, fac.code, "Annalena Zweifel")
            try:
                phone = await anna.connect("participant")
                await phone.until(lambda r: "stage" in r)
                item = await fac.add_item(QUESTION)
                await projector.until(lambda r: QUESTION in text(r.get("stage", "")))
                assert (await anna.vote(item, 1, "8", "Begründung mit Geheimtext")).status_code == 200
                await projector.until(lambda r: "1 von 1" in text(r["stage"]))
                assert (await anna.vote(item, 1, "999")).status_code == 422  # not a card of the deck
                body = (await fac.http.get("/metrics")).text
            finally:
                await anna.close()

    found = samples(body)
    assert found[("workshop_active_rooms", ())] == 1
    assert found[("workshop_open_sockets", (("view", "projector"),))] == 1
    assert found[("workshop_open_sockets", (("view", "participant"),))] == 1
    assert found[("workshop_open_sockets", (("view", "observer"),))] == 0
    for command, result, count in [
        ("create-room", "ok", 1),
        ("join", "ok", 1),
        ("items", "ok", 1),
        ("vote", "ok", 1),
        ("vote", "4xx", 1),
    ]:
        assert found[("workshop_commands_total", (("command", command), ("outcome", result)))] == count, command
    assert found[("workshop_command_duration_seconds_count", (("command", "vote"),))] == 2
    assert found[("workshop_command_push_seconds_count", ())] >= 1  # the vote reached the projector's socket
    assert found[("workshop_fanout_lag_seconds_count", ())] >= 1
    assert found[("workshop_redis_errors_total", (("where", "request"),))] == 0
    assert found[("workshop_redis_errors_total", (("where", "subscription"),))] == 0

    flat = body.lower()
    words = ("annalena", "zweifel", "clearingstelle", "geheimtext", "werkstatt")
    for secret in (fac.code, codes.display(fac.code), *words):
        assert secret.lower() not in flat, secret


async def test_metrics_are_off_by_default(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/metrics")).status_code == 404
