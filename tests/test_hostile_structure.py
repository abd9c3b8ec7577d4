"""JSON built to break a parser (deep nesting) gets a clear refusal: a page or a notice, never a traceback, and the
socket stays open."""

from __future__ import annotations

import json

import pytest

from .clients import BROWSER_POST, Facilitator, Person, Server, resync, text
from .conftest import People

TOO_DEEP = "zu tief verschachtelt"


def _nested(depth: int) -> object:
    value: object = "Boden"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 50_000,  # not even JSON: it never closes
        ("[" * 5_000 + "]" * 5_000).encode(),  # JSON, 5,000 levels deep
        json.dumps({"schema": "workshop-archive", "version": 2, "title": _nested(200)}).encode(),
        b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
    ],
    ids=["unclosed", "deep-list", "deep-field", "deep-object"],
)
async def test_a_deeply_nested_archive_is_refused_with_a_page(server: Server, content: bytes) -> None:
    logged = len(server.output())
    person = Person(server.url)
    try:
        response = await person.http.post(
            "/restore", headers=BROWSER_POST, files={"archive": ("tief.json", content, "application/json")}
        )
        assert response.status_code == 422, response.text[:300]
        assert TOO_DEEP in text(response.text)
        assert (await person.http.get("/")).status_code == 200  # the server goes on
    finally:
        await person.close()
    assert "Traceback" not in server.output()[logged:]


async def test_a_deeply_nested_socket_message_gets_a_notice_and_the_socket_stays_open(
    facilitator: Facilitator, people: People, server: Server
) -> None:
    logged = len(server.output())
    anna = await people.join("Anna")
    phone = await anna.connect("participant")
    await phone.until(lambda r: "stage" in r)
    for frame in ("[" * 5_000 + "]" * 5_000, "[" * 10_000, '{"type":' * 3_000 + '"resync"' + "}" * 3_000):
        phone.regions.pop("notice", None)
        await phone.send(frame)
        await phone.until(lambda r: "notice" in r)
        assert "nicht verstanden" in phone.region_text("notice")
    # Still open, still served: a resync answers, and the facilitator's next question arrives.
    phone.regions.clear()
    await phone.send(resync())
    await phone.until(lambda r: "stage" in r)
    await facilitator.add_item("Noch verbunden?")
    await phone.until(lambda r: "Noch verbunden?" in text(r.get("stage", "")))
    assert phone.ws.close_code is None
    assert "Traceback" not in server.output()[logged:]
