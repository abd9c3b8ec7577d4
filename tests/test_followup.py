"""A follow-up workshop brings the open action items of the last one, and nothing else of it: from the archive of
the example workshop (uploaded, as months later), and from the console of a live room."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from workshop.activities.board.rules import Board
from workshop.archive import to_archive
from workshop.followup import follow_up
from workshop.store import Store

from .clients import BROWSER_POST, Facilitator, Person, Server, text
from .conftest import People
from .test_export import _workshop
from .test_once import value


async def test_only_the_open_action_items_come_along(store: Store) -> None:
    last = await _workshop(store)
    room = follow_up(last, "NEWC0DE1", str, "Arbeitsgruppe 1")
    assert room.title == "Folgeworkshop: " + last.title and not room.participants
    (board,) = room.activities.values()
    assert isinstance(board, Board) and room.groups[0].current_id == board.id
    assert board.title == "Maßnahmen aus dem letzten Workshop"
    assert [s.title for s in board.sections] == [
        "Ideen, Anliegen & Maßnahmen – Mehr übergreifende Strukturen schaffen und nutzen",
        "Dachbegrünung in Innenstädten fördern – Herausforderung",
    ]
    assert [(a.text, a.owner, a.due, a.done) for a in board.actions] == [
        ("Konzept für die Projekt-Clearingstelle entwerfen", "Katrin Hoffmann", "2025-12-31", False),
        ("Fördermöglichkeiten für Dachbegrünung recherchieren", "Lena Vogt", "2025-09-30", False),
    ]  # the talk that was done stays behind
    assert [a.place for a in board.actions] == [s.id for s in board.sections]


async def test_a_follow_up_from_the_archive_of_the_last_workshop(store: Store, server: Server) -> None:
    archive = json.dumps(to_archive(await _workshop(store))).encode()
    newcomer = Person(server.url)
    try:
        start = (await newcomer.http.get("/")).text
        assert 'href="/follow-up"' in start  # a facilitator whose last room has expired starts here
        assert "Folgeworkshop eröffnen" in text((await newcomer.http.get("/follow-up")).text)
        response = await newcomer.http.post(
            "/follow-up", headers=BROWSER_POST, files={"archive": ("workshop.json", archive, "application/json")}
        )
        assert response.status_code == 303
        console = (await newcomer.http.get(response.headers["location"])).text
        items = [
            " ".join(li.get_text(" ").split()) for li in BeautifulSoup(console, "html.parser").select(".action-item")
        ]
        assert items == [
            "Maßnahme Konzept für die Projekt-Clearingstelle entwerfen Katrin Hoffmann · bis 31.12.2025 Löschen",
            "Maßnahme Fördermöglichkeiten für Dachbegrünung recherchieren Lena Vogt · bis 30.09.2025 Löschen",
        ]
        assert "Dachbegrünung in Innenstädten fördern – Herausforderung" in text(console)
        for left_behind in ("Klimaschutzmanagements", "Projekt-Clearingstelle für", "Aylin Demir", "Runde 2"):
            assert left_behind not in console
        broken = await newcomer.http.post(
            "/follow-up", headers=BROWSER_POST, files={"archive": ("x.json", b"{}", "application/json")}
        )
        assert broken.status_code == 422 and "kein lesbares Workshop-Archiv" in text(broken.text)
    finally:
        await newcomer.close()


async def test_a_follow_up_from_the_console_is_the_main_facilitators(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    await facilitator.post("/boards", title="Radwege", template="solutions", start="on")
    console = await facilitator.page("/facilitate")
    board, section = value(console, "board"), value(console, "section")
    await facilitator.post("/actions", activity=board, place=section, text="Ampelschaltung prüfen", owner="Anna")
    assert (await anna.http.post(f"/r/{facilitator.code}/follow-up", headers=BROWSER_POST)).status_code == 403
    response = await facilitator.http.post(f"/r/{facilitator.code}/follow-up", headers=BROWSER_POST)
    assert response.status_code == 303 and facilitator.code not in response.headers["location"]
    console = (await facilitator.http.get(response.headers["location"])).text
    assert "Ampelschaltung prüfen" in text(console) and "Folgeworkshop: " in text(console)
