"""Flaky networks: a reload or a dropped socket keeps the participant, their vote, and never duplicates them."""

from __future__ import annotations

import asyncio
import re

from .clients import Facilitator, Participant, text
from .conftest import People


async def test_reload_and_reconnect_keep_identity_and_vote(facilitator: Facilitator, people: People) -> None:
    item = await facilitator.add_item("Bleibt meine Stimme?")
    anna = await people.join("Anna")
    await anna.vote(item, 1, "13", "Weil es dauert")
    phone = await anna.connect("participant")
    await phone.until(lambda r: "chosen" in r.get("mine", ""))
    await phone.ws.close()  # the network drops

    reload = await anna.http.get(f"/r/{facilitator.code}")  # a reload renews the identity cookie
    assert "workshop_id=" in reload.headers.get("set-cookie", "")
    page = reload.text
    assert "Anna" in text(page)
    assert re.search(r'class="card chosen"\s+aria-pressed="true">13<', page)
    assert 'value="Weil es dauert"' in page

    again = await anna.connect("participant")  # the ws extension reconnects: a full snapshot arrives
    await again.until(lambda r: {"stage", "headcount", "mine"} <= set(r))
    assert "chosen" in again.regions["mine"] and "1 von 1" in again.region_text("stage")
    assert "1 Person" in again.region_text("headcount")


async def test_opening_the_join_link_again_does_not_join_twice(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    again = await anna.http.get(f"/j/{facilitator.code}")
    assert again.status_code == 303 and again.headers["location"] == f"/r/{facilitator.code}"
    console = await facilitator.connect("facilitator")
    await console.until(lambda r: "1 Person" in text(r.get("headcount", "")))


async def test_a_double_submitted_join_form_makes_one_participant(facilitator: Facilitator) -> None:
    phone = Participant(facilitator.base, facilitator.code)
    try:
        form = await phone.http.get(f"/j/{facilitator.code}")
        pid = re.search(r'name="pid" value="([^"]+)"', form.text)[1]  # type: ignore[index]
        data = {"pid": pid, "name": "Doppelt"}
        first, second = await asyncio.gather(
            phone.http.post(f"/j/{facilitator.code}", data=data), phone.http.post(f"/j/{facilitator.code}", data=data)
        )
        assert first.status_code == second.status_code == 303
        html = await facilitator.page("/facilitate")
        assert text(html).count("Doppelt") == 1
        assert "1 Person" in text(html)
    finally:
        await phone.close()


async def test_a_changed_vote_replaces_the_earlier_one(facilitator: Facilitator, people: People) -> None:
    item = await facilitator.add_item("Umentschieden?")
    anna = await people.join("Anna")
    for card in ("3", "5", "8"):
        assert (await anna.vote(item, 1, card)).status_code == 200
    await facilitator.reveal(item, 1)
    projector = await facilitator.connect("projector")
    await projector.until(lambda r: "chart" in r.get("stage", ""))
    assert "1 Stimme" in projector.region_text("stage")
    assert "Einig" in projector.region_text("stage")
