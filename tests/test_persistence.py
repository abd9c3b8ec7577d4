"""State of record lives in Redis: restarts lose nothing acknowledged, and several processes serve one room."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest
import redis
import websockets

from workshop.connection import EmbeddedRedis

from .clients import Facilitator, Participant, Person, start_server, text
from .ideas_helpers import IdeaRoom, board


def kill_embedded_redis(data_dir: Path) -> None:
    """SIGKILL the redis-server serving data_dir (it outlives a killed app)."""
    os.kill(int((data_dir / "redis.pid").read_text()), signal.SIGKILL)


async def test_hard_kill_of_app_and_redis_loses_no_acknowledged_vote(data_dir: Path) -> None:
    with start_server(data_dir) as first:
        async with Facilitator.open(first.url, "Neustart-Test") as fac:
            item = await fac.add_item("Überlebt das einen Absturz?")
            anna = await Participant.join(first.url, fac.code, "Anna")
            assert (await anna.vote(item, 1, "20", "Vor dem Absturz")).status_code == 200
            first.kill()
            kill_embedded_redis(data_dir)

            with start_server(data_dir) as second:  # same data directory, a new port
                fac.base = anna.base = second.url
                fac.http.base_url = anna.http.base_url = httpx.URL(second.url)
                page = await anna.page()  # the cookie still names Anna: the signing key was in Redis too
                assert "Anna" in text(page) and 'value="Vor dem Absturz"' in page
                assert (await fac.reveal(item, 1)).status_code == 200
                projector = await fac.connect("projector")
                await projector.until(lambda r: "chart" in r.get("stage", ""))
                assert "Vor dem Absturz" in projector.region_text("stage")
            await anna.close()


async def test_two_processes_serve_the_same_room(redis_url: str, tmp_path: Path) -> None:
    with start_server(tmp_path / "a", redis_url=redis_url) as a, start_server(tmp_path / "b", redis_url=redis_url) as b:
        async with Facilitator.open(a.url, "Zwei Prozesse") as fac:
            projector_on_b = Person(b.url, fac.code)
            try:
                screen = await projector_on_b.connect("projector")
                await screen.until(lambda r: "0 Personen" in text(r.get("headcount", "")))
                anna = await Participant.join(a.url, fac.code, "Anna")  # joins through process A
                await screen.until(lambda r: "1 Person" in text(r["headcount"]))
                item = await fac.add_item("Sieht Prozess B das?")
                await screen.until(lambda r: "Sieht Prozess B das?" in text(r.get("stage", "")))
                await anna.vote(item, 1, "8")
                await screen.until(lambda r: "1 von 1" in text(r["stage"]))

                fac_on_b = Facilitator(b.url)  # the same browser, talking to process B
                fac_on_b.code = fac.code
                fac_on_b.http.cookies = fac.http.cookies
                assert (await fac_on_b.reveal(item, 1)).status_code == 200
                await screen.until(lambda r: "chart" in r["stage"])
                await anna.close()
                await fac_on_b.close()
            finally:
                await projector_on_b.close()


async def test_redis_unreachable_gives_503_and_recovers(tmp_path: Path) -> None:
    redis_dir = tmp_path / "redis"
    embedded = EmbeddedRedis(redis_dir)
    embedded.start()
    try:
        with start_server(tmp_path / "app", redis_url=embedded.url) as app:
            async with Facilitator.open(app.url, "Ausfall-Test") as fac:
                projector = await fac.connect("projector")
                await projector.until(lambda r: "stage" in r)
                embedded.stop()

                # The open screen says that what it shows may be behind; a screen opened now is told to try again.
                await projector.until(lambda r: "Speicher" in text(r.get("notice", "")))
                late = await fac.connect("projector")
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await late.until(lambda r: False)
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013  # htmx reconnects by itself
                assert "Speicher" in late.region_text("notice")

                assert (await fac.http.get("/readyz")).status_code == 503
                assert (await fac.http.get("/healthz")).status_code == 200  # the process lives
                response = await fac.post("/items", question="Während des Ausfalls", deck="fibonacci", start="on")
                assert response.status_code == 503
                assert "nicht erreichbar" in text(response.text)
                page = await fac.http.post("/rooms", data={"title": "Neu"})
                assert page.status_code == 503 and "nicht erreichbar" in text(page.text)
                assert (await fac.http.get("/")).status_code == 200  # the start page needs no Redis

                embedded.start()  # back, with its append-only file
                app.wait_for_output(lambda out: out.count("fan-out: subscribed") >= 2)
                assert (await fac.http.get("/readyz")).status_code == 200
                await fac.add_item("Nach dem Ausfall")
                # The socket that stayed open gets updates again: the hub re-subscribed by itself.
                await projector.until(lambda r: "Nach dem Ausfall" in text(r["stage"]))
                assert "Speicher" not in projector.region_text("notice")  # the all-clear
    finally:
        embedded.stop()


async def test_hard_kill_keeps_cards_themes_order_and_dots(data_dir: Path) -> None:
    with start_server(data_dir) as first:
        async with Facilitator.open(first.url, "Ideen nach dem Absturz") as fac:
            ideas = await IdeaRoom.open(fac)
            anna = await Participant.join(first.url, fac.code, "Anna")
            for card in (
                "Dachbegrünung in Innenstädten fördern",
                "Freie Dachflächen für Photovoltaik nutzen",
                "Beschaffung von Hard- & Software vereinfachen",
            ):
                await ideas.write(anna, card)
            climate = await ideas.theme("Aufenthaltsqualität & Klimaschutz fördern")
            await ideas.move("Freie Dachflächen für Photovoltaik nutzen", climate)
            await ideas.move("Dachbegrünung in Innenstädten fördern", climate)
            await fac.post("/dots/start", activity=ideas.activity, dots=3, on="themes", stack="on")
            await anna.post("/dots/add", activity=ideas.activity, target=climate)
            await anna.post("/dots/add", activity=ideas.activity, target=climate)
            before = await fac.page("/facilitate")
            first.kill()
            kill_embedded_redis(data_dir)

            with start_server(data_dir) as second:
                for person in (fac, anna):
                    person.base = second.url
                    person.http.base_url = httpx.URL(second.url)
                after = await fac.page("/facilitate")
                assert (
                    board(after)
                    == board(before)
                    == {
                        "Aufenthaltsqualität & Klimaschutz fördern": [
                            "Freie Dachflächen für Photovoltaik nutzen",
                            "Dachbegrünung in Innenstädten fördern",
                        ],
                        "": ["Beschaffung von Hard- & Software vereinfachen"],
                    }
                )
                assert "Noch 1 Punkt zu vergeben" in text(await anna.page())
                await fac.post("/dots/close", activity=ideas.activity)
                assert "● 2" in text(await fac.page("/projector"))
            await anna.close()


async def test_a_deleted_room_leaves_the_append_only_file_too(data_dir: Path) -> None:
    marker = "AOF-MARKER-Q7Z"
    with start_server(data_dir) as app:
        async with Facilitator.open(app.url, f"Workshop {marker}") as fac:
            await fac.add_item(f"Frage {marker}")
            aof = data_dir / "appendonly.aof"
            assert marker.encode() in aof.read_bytes()  # written through (appendfsync always)
            assert (await fac.post("/delete", confirm=fac.code)).status_code == 204
        client = redis.Redis(unix_socket_path=str(data_dir / "redis.sock"))
        try:
            # Redis announces no event when a rewrite ends; its INFO says whether one is running.
            deadline = time.monotonic() + 20
            while (
                client.info("persistence")["aof_rewrite_in_progress"]
                or client.info("persistence")["aof_rewrite_scheduled"]
            ):
                assert time.monotonic() < deadline, "the rewrite did not finish"
                time.sleep(0.05)
        finally:
            client.close()
        assert marker.encode() not in aof.read_bytes()
