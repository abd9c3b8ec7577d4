"""The JSON archive: export, restore into a new room, export again, and nothing differs."""

from __future__ import annotations

import json
import re

import pytest

from workshop import room_commands
from workshop.archive import from_archive, to_archive
from workshop.minutes import to_markdown
from workshop.store import Store

from .clients import BROWSER_POST, Facilitator, Person, Server, text
from .conftest import People
from .test_export import GERMAN, _workshop


async def _rooms(store: Store) -> set[str]:
    return {k async for k in store.redis.scan_iter(match="workshop:{*}:room")}


async def test_export_restore_export_is_identical(store: Store) -> None:
    original = await _workshop(store)
    archive = json.loads(json.dumps(to_archive(original)))  # through JSON text, as a file would carry it
    restored, _ = await room_commands.restore_room(store, lambda code: from_archive(archive, code))
    assert restored.code != original.code
    again = await store.load(restored.code, everything=True)
    assert again is not None
    assert to_archive(again) == to_archive(original)
    assert to_markdown(again, GERMAN) == to_markdown(original, GERMAN)


async def test_an_uploaded_archive_opens_as_a_new_room(
    facilitator: Facilitator, people: People, server: Server
) -> None:
    item = await facilitator.add_item("Wird archiviert")
    anna = await people.join("Anna")
    await anna.vote(item, 1, "13", "Archivierte Begründung")
    await facilitator.reveal(item, 1)
    assert (await anna.http.get(f"/r/{facilitator.code}/export.json")).status_code == 403
    exported = await facilitator.http.get(f"/r/{facilitator.code}/export.json")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/json")

    newcomer = Person(server.url)
    try:
        response = await newcomer.http.post(
            "/restore", headers=BROWSER_POST, files={"archive": ("workshop.json", exported.content, "application/json")}
        )
        assert response.status_code == 303
        console = await newcomer.http.get(response.headers["location"])
        assert console.status_code == 200 and "Wird archiviert" in text(console.text)
        new_code = response.headers["location"].split("/")[2]
        assert new_code != facilitator.code
        minutes = await newcomer.http.get(f"/r/{new_code}/export.md")
        original = await facilitator.http.get(f"/r/{facilitator.code}/export.md")
        assert minutes.text == original.text and "Archivierte Begründung" in minutes.text
    finally:
        await newcomer.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"kein json {", "kein lesbares Workshop-Archiv"),
        (b'{"schema": "etwas anderes"}', "kein lesbares Workshop-Archiv"),
        (b'{"schema": "workshop-archive", "version": 99}', "Version 99"),
        (b'{"schema": "workshop-archive", "version": 1, "title": "Ohne Rest"}', "kein lesbares Workshop-Archiv"),
        (
            json.dumps(
                {
                    "schema": "workshop-archive",
                    "version": 1,
                    "title": "Karte doppelt",
                    "participants": [],
                    "activities": [
                        {
                            "kind": "ideas",
                            "id": "a",
                            "prompt": "p",
                            "show": "name",
                            "collect_hidden": False,
                            "cards_revealed": False,
                            "posting_open": True,
                            "participants_cluster": False,
                            "voting": {"state": "off", "dots": 3, "stack": False, "on": "themes", "hide_tally": False},
                            "cards": [{"id": "c", "text": "t", "author": "", "anonymous": False}],
                            "loose": ["c", "c"],
                            "themes": [],
                            "dots": {},
                        }
                    ],
                }
            ).encode(),
            "kein lesbares Workshop-Archiv",
        ),
    ],
)
async def test_a_broken_archive_is_refused_and_creates_nothing(
    server: Server, store: Store, content: bytes, message: str
) -> None:
    before = await _rooms(store)
    person = Person(server.url)
    try:
        response = await person.http.post(
            "/restore", headers=BROWSER_POST, files={"archive": ("kaputt.json", content, "application/json")}
        )
        assert response.status_code == 422 and message in text(response.text)
    finally:
        await person.close()
    # No room came from this file (other test runs may share this Redis and open rooms meanwhile).
    titles = set(re.findall(r'"title": "([^"]+)"', content.decode(errors="replace")))
    for key in await _rooms(store) - before:
        assert await store.redis.hget(key, "title") not in titles


async def test_an_archive_of_version_1_restores_as_one_group(store: Store) -> None:
    """Archives written before working groups existed (one agenda) still open, as a room with one group."""
    archive = {
        "schema": "workshop-archive",
        "version": 1,
        "title": "Vor den Arbeitsgruppen",
        "created": "2025-03-14",
        "ask_org": False,
        "auto_reveal": False,
        "current": "q1",
        "participants": [{"id": "p1", "name": "Anna", "org": "", "role": "participant", "by_facilitator": False}],
        "activities": [
            {
                "kind": "estimate",
                "id": "q1",
                "question": "Wie groß?",
                "deck": "tshirt",
                "cards": ["XS", "S", "M", "L", "XL"],
                "rounds": [{"revealed": True, "votes": {"p1": {"card": "M", "reason": "mittel"}}}],
            }
        ],
    }
    restored, _ = await room_commands.restore_room(store, lambda code: from_archive(archive, code))
    room = await store.load(restored.code, everything=True)
    assert room is not None and len(room.groups) == 1
    view = room.view()
    assert [a.id for a in view.items] == ["q1"] and view.current_id == "q1"
    assert view.members[0].name == "Anna"
    minutes = to_markdown(room, GERMAN)
    assert "## 1. Schnellabschätzung: Wie groß?" in minutes and "mittel (Anna)" in minutes
    assert to_archive(room)["version"] == 2


async def test_the_archive_keeps_votes_of_an_unrevealed_round_secret(facilitator: Facilitator, people: People) -> None:
    """Not even the facilitator reads a vote before the reveal, in the archive neither; a restored room starts that
    round anew, and a revealed round is archived whole."""
    item = await facilitator.add_item("Noch verdeckt im Archiv")
    anna = await people.join("Anna")
    await anna.vote(item, 1, "13", "ARCHIV-GEHEIMNIS")
    hidden = (await facilitator.http.get(f"/r/{facilitator.code}/export.json")).text
    assert "ARCHIV-GEHEIMNIS" not in hidden and '"card": "13"' not in hidden
    await facilitator.reveal(item, 1)
    assert "ARCHIV-GEHEIMNIS" in (await facilitator.http.get(f"/r/{facilitator.code}/export.json")).text
