"""Deleting a room: nothing of it remains, its sockets close, and its code answers like one that never existed."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed

from workshop.store import Store

from .clients import Facilitator, Person, Server, text
from .conftest import People
from .ideas_helpers import IdeaRoom


async def test_a_deleted_room_leaves_nothing_and_answers_like_an_unknown_code(
    facilitator: Facilitator, people: People, store: Store, server: Server
) -> None:
    code = facilitator.code
    link = [
        line
        for line in (await facilitator.http.get(f"/r/{code}/facilitate")).text.splitlines()
        if "/facilitate/" in line
    ]
    item = await facilitator.add_item("Wird gelöscht")
    anna = await people.join("Anna")
    await anna.vote(item, 1, "8", "Begründung")
    ideas = await IdeaRoom.open(facilitator)
    await ideas.write(anna, "Eine Karte")
    projector = await facilitator.connect("projector")
    phone = await anna.connect("participant")
    await projector.until(lambda r: "Eine Karte" in text(r.get("stage", "")))
    assert len(await store.keys_of(code)) > 5

    assert (await anna.post("/delete", confirm=code)).status_code == 403
    assert (await facilitator.post("/delete", confirm="FALSCH")).status_code == 422
    assert await store.exists(code)
    deleted = await facilitator.post("/delete", confirm=f"{code[:3]}-{code[3:6]}-{code[6:]}".lower())
    assert deleted.status_code == 204 and deleted.headers["hx-redirect"] == "/?deleted=1"

    assert await store.keys_of(code) == []
    for screen in (projector, phone):
        with pytest.raises(ConnectionClosed):
            await screen.until(lambda r: False)
        assert "Kein Workshop mit diesem Code" in screen.region_text("notice")
        assert screen.ws.close_code == 1008

    never = Person(server.url)
    try:
        for path in (f"/j/{code}", f"/r/{code}", f"/r/{code}/projector", f"/join?code={code}"):
            gone, unknown = await anna.http.get(path), await never.http.get(path.replace(code, "ZZZZZZZZ"))
            assert (
                (gone.status_code, text(gone.text))
                == (unknown.status_code, text(unknown.text))
                == (404, text(unknown.text))
            ), path
        secret = link[0].split('value="')[1].split('"')[0]
        assert (await never.http.get(secret.replace(server.url, ""))).status_code == 404
    finally:
        await never.close()
    late = await anna.vote(item, 1, "13")
    assert late.status_code == 404 and await store.keys_of(code) == []


async def test_the_privacy_page_says_what_is_kept_and_how_long(server: Server) -> None:
    visitor = Person(server.url)
    try:
        page = await visitor.http.get("/datenschutz")
        assert page.status_code == 200
        assert "Keine IP-Adressen" in text(page.text) and "1 Stunde nach der letzten Aktivität" in text(
            page.text
        )  # test servers keep rooms 1h
        assert 'href="/datenschutz"' in (await visitor.http.get("/")).text
    finally:
        await visitor.close()
