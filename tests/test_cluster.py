"""A workshop on a Redis Cluster (REDIS_URL=redis+cluster://…): three primaries of our own, two app processes. Rooms
open whichever primary their code hashes to; a room's slot moves to another primary while people vote and write cards,
and nothing acknowledged is lost, every screen on either process ends at the same state."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from workshop.backup import backup
from workshop.connection import check_answers, client_for
from workshop.kinds import KINDS
from workshop.store import Store

from .clients import Facilitator, Participant, Person, Socket, start_server, text
from .ideas_helpers import IdeaRoom, board
from .redis_servers import Cluster, cluster
from .test_facilitator_devices import device_with, secret_link


@pytest.fixture(scope="module")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


def room_slot(redis_cluster: Cluster, code: str) -> int:
    return redis_cluster.slot(f"workshop:{{{code}}}:room")


async def test_rooms_on_every_primary_open_back_up_and_delete(redis_cluster: Cluster, tmp_path: Path) -> None:
    """Before, only rooms whose code hashed to the node in REDIS_URL opened (the others: 500 or 503)."""
    assert check_answers(redis_cluster.url) is None  # `workshop serve` checks REDIS_URL so before it starts
    owners: dict[int, str] = {}
    with start_server(tmp_path, redis_url=redis_cluster.url) as app:
        async with httpx.AsyncClient() as http:
            ready = await http.get(f"{app.url}/readyz")
        assert ready.status_code == 200 and ready.json()["subscription"] is True
        for n in range(60):
            async with Facilitator.open(app.url, f"Raum {n}") as fac:  # answers 303, to the console
                assert f"Raum {n}" in text(await fac.page("/facilitate"))
                owners[redis_cluster.owner(room_slot(redis_cluster, fac.code)).port] = fac.code
            if len(owners) == len(redis_cluster.nodes):
                break
        assert set(owners) == {node.port for node in redis_cluster.nodes}

        client = client_for(redis_cluster.url)
        store = Store(client, 3600, KINDS)
        try:
            written = await backup(store, tmp_path / "backup")  # scans every primary
            assert {path.stem for path in written} >= set(owners.values())
            async with Facilitator.open(app.url, "Gleich gelöscht") as fac:
                await fac.add_item("Bleibt etwas übrig?")
                # Facilitator links read and write several keys of the room in one transaction.
                link = secret_link(await fac.page("/facilitate"), fac.base)
                laptop = await device_with(fac, link)
                assert (await laptop.http.get(f"/r/{fac.code}/facilitate")).status_code == 200
                assert (await fac.post("/facilitator-link")).status_code == 204
                assert (await laptop.http.get(f"/r/{fac.code}/facilitate")).status_code == 403
                await laptop.close()
                assert await store.keys_of(fac.code) != []
                assert (await fac.post("/delete", confirm=fac.code)).status_code == 204
                assert await store.keys_of(fac.code) == []
        finally:
            await client.aclose()


async def until_all(screens: list[Socket], texts: list[str]) -> None:
    for screen in screens:
        await screen.until(lambda r: all(t in text(r.get("stage", "")) for t in texts))


async def test_a_room_keeps_everything_while_its_slot_moves(redis_cluster: Cluster, tmp_path: Path) -> None:
    url = redis_cluster.url
    with start_server(tmp_path / "a", redis_url=url) as a, start_server(tmp_path / "b", redis_url=url) as b:
        async with Facilitator.open(a.url, "Auf dem Cluster") as fac:
            people = [await Participant.join((a, b)[n % 2].url, fac.code, f"Person {n}") for n in range(6)]
            watchers = [Person(a.url, fac.code), Person(b.url, fac.code)]
            try:
                projectors = [await w.connect("projector") for w in watchers]
                phones = [await person.arrive() for person in people]
                slot = room_slot(redis_cluster, fac.code)
                first = redis_cluster.owner(slot)
                second = next(n for n in redis_cluster.nodes if n is not first)

                # Everyone votes again and again (each vote replaces their last) while the room's keys move.
                item = await fac.add_item("Wie viel Aufwand ist das?")
                moving = asyncio.ensure_future(asyncio.to_thread(redis_cluster.move, slot, second, 0.1))
                last: dict[str, str] = {}
                during = 0

                async def keep_voting(person: Participant) -> None:
                    nonlocal during
                    for n in range(1000):
                        moved = moving.done()
                        reason = f"{person.name} Begründung {n}"
                        answer = await person.vote(item, 1, ("3", "5", "8")[n % 3], reason)
                        assert answer.status_code == 200, text(answer.text)
                        last[person.name] = reason
                        during += not moved
                        if moved:  # one more once the keys are on their new node
                            return

                await asyncio.gather(*(keep_voting(person) for person in people))
                assert await moving  # the room's keys went
                assert during > len(people), "the votes should overlap the move"
                assert redis_cluster.owner(slot) is second
                await until_all(projectors, ["6 von 6"])
                assert (await fac.reveal(item, 1)).status_code == 200
                await until_all(projectors, list(last.values()))

                # Cards from both processes while the slot moves back.
                ideas = await IdeaRoom.open(fac, "Was hilft?")
                moving = asyncio.ensure_future(asyncio.to_thread(redis_cluster.move, slot, first, 0.1))
                written: list[str] = []

                async def keep_writing(person: Participant) -> None:
                    for n in range(1000):
                        moved = moving.done()
                        await ideas.write(person, f"Karte {n} von {person.name}")
                        written.append(f"Karte {n} von {person.name}")
                        if moved:
                            return

                await asyncio.gather(*(keep_writing(person) for person in people))
                assert await moving
                assert redis_cluster.owner(slot) is first
                await until_all(projectors, written)
                assert projectors[0].region_text("stage") == projectors[1].region_text("stage")
                for phone in phones:  # every phone, on either process, is on the collection
                    await phone.until(lambda r: "Was hilft?" in text(r.get("stage", "")))
                assert sorted(board(await ideas.console())[""]) == sorted(written)
            finally:
                for person in [*people, *watchers]:
                    await person.close()
