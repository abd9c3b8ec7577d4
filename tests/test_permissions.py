"""A participant cannot act as the facilitator, whatever they send: the check is on the server."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from .clients import Facilitator, Participant, Server, text
from .conftest import People


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/reveal", {"round": 1}),
        ("/round", {"round": 1}),
        ("/current", {}),
        ("/items", {"question": "Eingeschleuste Frage", "deck": "fibonacci", "start": "on"}),
        ("/options", {"auto_reveal": "on", "ask_org": "on"}),
        ("/vote-for", {"name": "Niemand", "round": 1, "card": "8"}),
    ],
)
async def test_participant_cannot_do_what_only_the_facilitator_may(
    facilitator: Facilitator, people: People, path: str, form: dict[str, object]
) -> None:
    item = await facilitator.add_item("Wer darf aufdecken?")
    mallory = await people.join("Mallory")
    await mallory.vote(item, 1, "8")
    before = await facilitator.page("/facilitate")

    # Claiming the role in the form changes nothing: the role comes from the signed cookie only.
    response = await mallory.post(path, item=item, role="facilitator", facilitator="1", **form)

    assert response.status_code == 403
    assert "Das darf nur die Moderation." in text(response.text)
    after = await facilitator.page("/facilitate")
    assert _stage_and_agenda(after) == _stage_and_agenda(before)


def _stage_and_agenda(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    return str(soup.select_one("#stage")) + str(soup.select_one("#agenda")) + str(soup.select_one("#headcount"))


async def test_a_forged_cookie_is_no_cookie(facilitator: Facilitator, people: People) -> None:
    item = await facilitator.add_item("Gefälschte Rechte?")
    mallory = await people.join("Mallory")
    cookie = mallory.http.cookies.get("workshop_id")
    assert cookie
    payload, _, signature = cookie.partition(".")
    mallory.http.cookies.set("workshop_id", f"{payload}.{signature[::-1]}")  # tampered signature
    response = await mallory.post("/reveal", item=item, round=1)
    assert response.status_code == 403
    # With no valid identity the room page asks to join again.
    page = await mallory.http.get(f"/r/{facilitator.code}")
    assert page.status_code == 303 and page.headers["location"] == f"/j/{facilitator.code}"


async def test_participant_cannot_open_the_facilitator_views(facilitator: Facilitator, people: People) -> None:
    mallory = await people.join("Mallory")
    page = await mallory.http.get(f"/r/{facilitator.code}/facilitate")
    assert page.status_code == 403 and "Moderationslink" in text(page.text)
    sock = await mallory.connect("facilitator")
    await sock.until(lambda r: "notice" in r)
    assert "nicht freigegeben" in sock.region_text("notice")
    with pytest.raises(Exception):  # noqa: B017 - closed by the server (1008): any receive fails
        await sock.until(lambda r: False, timeout=5)
    assert sock.ws.close_code == 1008


async def test_socket_messages_cannot_trigger_facilitator_actions(facilitator: Facilitator, people: People) -> None:
    item = await facilitator.add_item("Aufdecken per Socket?")
    mallory = await people.join("Mallory")
    await mallory.vote(item, 1, "8")
    phone = await mallory.connect("participant")
    await phone.until(lambda r: "1 von 1" in text(r.get("stage", "")))
    for crafted in (
        {"action": "reveal", "item": item, "round": 1},
        {"type": "reveal", "HEADERS": {"HX-Request": "true"}},
        {"type": "new_round", "role": "facilitator"},
    ):
        phone.regions.pop("notice", None)
        await phone.send(json.dumps(crafted))
        await phone.until(lambda r: "notice" in r)
        assert "nicht verstanden" in phone.region_text("notice")
    page = await facilitator.page("/facilitate")
    assert "Aufdecken" in page and "chart" not in page  # still hidden, still open

    # The connection is still usable: the facilitator's reveal arrives on it.
    await facilitator.reveal(item, 1)
    await phone.until(lambda r: "chart" in r["stage"])


async def test_facilitator_link_makes_another_device_a_facilitator(server: Server) -> None:
    async with Facilitator.open(server.url, "Zweites Gerät") as fac:
        console = await fac.http.get(f"/r/{fac.code}/facilitate")
        link_input = [line for line in console.text.splitlines() if "/facilitate/" in line]
        assert len(link_input) == 1, "the secret link is shown once, on the console"
        link = link_input[0].split('value="')[1].split('"')[0]
        assert "/facilitate/" not in (await fac.http.get(f"/r/{fac.code}/facilitate")).text, "shown only once"

        laptop = Participant(fac.base, fac.code)
        try:
            opened = await laptop.http.get(link.replace(fac.base, ""))
            assert opened.status_code == 303
            assert (await laptop.http.get(f"/r/{fac.code}/facilitate")).status_code == 200
            wrong = await laptop.http.get(f"/r/{fac.code}/facilitate/not-the-secret")
            assert wrong.status_code == 404
            # The join page and its QR code never carry the secret.
            projector = await fac.page("/projector")
            assert link.rsplit("/", 1)[1] not in projector
        finally:
            await laptop.close()


async def test_a_new_facilitator_link_replaces_the_old_one(server: Server) -> None:
    async with Facilitator.open(server.url, "Link verloren") as fac:
        first = _secret_link(await fac.page("/facilitate"))
        mallory = Participant(fac.base, fac.code)
        try:
            assert (
                await mallory.http.post(
                    f"/r/{fac.code}/facilitator-link", headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"}
                )
            ).status_code == 403
        finally:
            await mallory.close()
        renewed = await fac.post("/facilitator-link")  # as the console's button sends it (htmx)
        assert renewed.status_code == 204 and renewed.headers["hx-redirect"] == f"/r/{fac.code}/facilitate"
        second = _secret_link(await fac.page("/facilitate"))
        assert second != first
        laptop = Participant(fac.base, fac.code)
        try:
            assert (await laptop.http.get(first.replace(fac.base, ""))).status_code == 404
            assert (await laptop.http.get(second.replace(fac.base, ""))).status_code == 303
            assert (await laptop.http.get(f"/r/{fac.code}/facilitate")).status_code == 200
        finally:
            await laptop.close()
        assert (await fac.http.get(f"/r/{fac.code}/facilitate")).status_code == 200  # this device keeps its rights


def _secret_link(console: str) -> str:
    lines = [line for line in console.splitlines() if "/facilitate/" in line]
    assert len(lines) == 1, "the secret link is shown once"
    return lines[0].split('value="')[1].split('"')[0]
