"""Bad input gets a clear message, changes nothing, and leaves the connection usable."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from websockets.exceptions import ConnectionClosed

from .clients import HX, Facilitator, Person, Server, text
from .conftest import People

UNKNOWN = "Kein Workshop mit diesem Code"


async def test_unknown_room_code_everywhere(server: Server) -> None:
    visitor = Person(server.url, "ABCDEFGH")  # a well-formed code nobody has
    try:
        for path in (
            "/join?code=ABC-DEF-GH",
            "/j/ABCDEFGH",
            "/r/ABCDEFGH",
            "/r/ABCDEFGH/projector",
            "/j/not-a-code",
            "/r/ABCDEFGH/facilitate/some-token",
        ):
            response = await visitor.http.get(path)
            assert response.status_code == 404, path
            assert UNKNOWN in text(response.text), path
        response = await visitor.http.post(
            "/r/ABCDEFGH/vote", data={"item": "x", "round": "1", "card": "8"}, headers=HX
        )
        assert response.status_code == 404 and UNKNOWN in text(response.text)
        sock = await visitor.connect("projector")
        await sock.until(lambda r: "notice" in r)
        assert UNKNOWN in sock.region_text("notice")
    finally:
        await visitor.close()


async def test_typed_codes_are_forgiving(facilitator: Facilitator) -> None:
    empty_form = await facilitator.http.get("/join")
    assert empty_form.status_code == 200 and "Code vom Beamer" in text(empty_form.text)
    code = facilitator.code
    typed = f" {code[:3].lower()} {code[3:6]}-{code[6:].lower()} "
    response = await facilitator.http.get("/join", params={"code": typed})
    assert response.status_code == 303 and response.headers["location"] == f"/j/{code}"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": ""}, "Bitte einen Titel eingeben."),
        ({"title": "   "}, "Bitte einen Titel eingeben."),
        ({"title": "x" * 121}, "zu lang (höchstens 120 Zeichen)"),
    ],
)
async def test_room_title_must_be_sensible(server: Server, form: dict[str, str], message: str) -> None:
    person = Person(server.url)
    try:
        response = await person.http.post("/rooms", data=form, headers=HX)
        assert response.status_code == 422 and message in text(response.text)
        assert response.headers["hx-reswap"] == "none"  # the notice swaps itself in; the form keeps its input
        page = await person.http.post("/rooms", data=form)  # without JavaScript: an error page
        assert page.status_code == 422 and message in text(page.text)
    finally:
        await person.close()


async def test_item_and_vote_input_is_checked(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    for form, message in [
        ({"question": "", "deck": "fibonacci"}, "Bitte eine Frage eingeben."),
        ({"question": "x" * 301, "deck": "fibonacci"}, "höchstens 300 Zeichen"),
        ({"question": "Frage", "deck": "tarot"}, "Dieses Kartenset gibt es nicht."),
        ({"question": "Frage", "deck": "custom", "cards": "Nur eine"}, "2 bis 20 verschiedene Karten"),
    ]:
        response = await facilitator.post("/items", **form)
        assert response.status_code == 422, form
        assert message in text(response.text), form
    assert "Noch nichts geplant" in text(await facilitator.page("/facilitate"))

    item = await facilitator.add_item("Eine echte Frage")
    anna = await people.join("Anna")
    await anna.arrive()  # her phone is open: she is expected to vote
    for card, reason, status, message in [
        ("7", "", 422, "Diese Karte gibt es in diesem Kartenset nicht."),
        ("", "", 422, "Diese Karte gibt es"),
        ("8", "x" * 201, 422, "höchstens 200 Zeichen"),
    ]:
        response = await anna.vote(item, 1, card, reason)
        assert response.status_code == status and message in text(response.text)
    assert (await anna.post("/vote", item=item, round="eins", card="8")).status_code == 422
    assert (await anna.post("/vote", item="no-such-item", round=1, card="8")).status_code == 404
    await projector.until(lambda r: "Eine echte Frage" in text(r.get("stage", "")) and "von 1" in text(r["stage"]))
    assert "0 von 1" in projector.region_text("stage")  # nothing was stored

    assert (await anna.vote(item, 1, "8")).status_code == 200  # and a good vote still works


async def test_a_vote_for_a_round_that_moved_on_is_refused(facilitator: Facilitator, people: People) -> None:
    item = await facilitator.add_item("Späte Stimme")
    anna = await people.join("Anna")
    bernd = await people.join("Bernd")
    await anna.arrive()
    await bernd.arrive()
    await anna.vote(item, 1, "5")
    await facilitator.reveal(item, 1)
    late = await bernd.vote(item, 1, "100")  # sent before the reveal arrived on Bernd's phone
    assert late.status_code == 409 and "schon aufgedeckt oder neu gestartet" in text(late.text)
    await facilitator.new_round(item, 1)
    stale = await anna.vote(item, 1, "8")  # a queued vote replayed after the re-vote started
    assert stale.status_code == 409
    projector = await facilitator.connect("projector")
    await projector.until(lambda r: "Runde 2" in text(r.get("stage", "")) and "0 von 2" in text(r["stage"]))


async def test_oversized_form_is_refused(facilitator: Facilitator) -> None:
    response = await facilitator.http.post(
        f"/r/{facilitator.code}/items", headers=HX, data={"question": "x" * 20_000, "deck": "fibonacci"}
    )
    assert response.status_code == 422 and "zu groß" in text(response.text)

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit must hold while reading
        yield b"deck=fibonacci&question="
        for _ in range(100):
            yield b"x" * 1024

    chunked = await facilitator.http.post(
        f"/r/{facilitator.code}/items",
        headers={**HX, "Content-Type": "application/x-www-form-urlencoded"},
        content=chunks(),
    )
    assert chunked.status_code == 422 and "zu groß" in text(chunked.text)
    assert "Noch nichts geplant" in text(await facilitator.page("/facilitate"))


async def test_malformed_socket_messages_get_a_notice_and_the_socket_stays(
    facilitator: Facilitator, people: People
) -> None:
    anna = await people.join("Anna")
    phone = await anna.connect("participant")
    await phone.until(lambda r: "stage" in r)
    for garbage in ("not json", "{", "[1, 2]", '{"type": 5}', '{"type": "explode"}', b"\x00\xff binary"):
        phone.regions.pop("notice", None)
        await phone.send(garbage)
        await phone.until(lambda r: "notice" in r)
        assert "Diese Nachricht hat der Server nicht verstanden." in phone.region_text("notice")
    await facilitator.add_item("Kommt trotzdem an")
    await phone.until(lambda r: "Kommt trotzdem an" in text(r["stage"]))


async def test_a_huge_socket_message_closes_with_1009(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    phone = await anna.connect("participant")
    await phone.until(lambda r: "stage" in r)
    await phone.send("x" * 200_000)
    with pytest.raises(ConnectionClosed):
        await phone.until(lambda r: False)
    assert phone.ws.close_code == 1009
    again = await anna.connect("participant")  # a fresh connection works
    await again.until(lambda r: "stage" in r)


async def test_resync_message_sends_the_full_state_again(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    phone = await anna.connect("participant")
    await phone.until(lambda r: {"stage", "headcount", "mine"} <= set(r))
    phone.regions.clear()
    await phone.send('{"type": "resync"}')
    await phone.until(lambda r: {"stage", "headcount", "mine"} <= set(r))
