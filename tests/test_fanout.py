"""What a change costs the other screens of a room, against a real server over real sockets: people arriving are
news for the projector at once, and for the phones (which show them only as a count) together, a moment later."""

from __future__ import annotations

import asyncio

from .clients import Facilitator, text
from .conftest import People


def connected(count: int):  # type: ignore[no-untyped-def]
    return lambda regions: f"{count} verbunden" in text(regions.get("headcount", ""))


async def test_a_crowd_arriving_reaches_the_projector_at_once_and_each_phone_in_a_few_pushes(
    facilitator: Facilitator, people: People
) -> None:
    projector = await facilitator.connect("projector")
    first = [await people.join(f"Früh {n}") for n in range(3)]
    phones = [await person.arrive() for person in first]
    await asyncio.gather(*(phone.until(connected(3)) for phone in phones))
    before = [len(phone.frames) for phone in phones]

    # Twelve more join and open their phones, one after another, as quickly as they can.
    later = [await people.join(f"Spät {n}") for n in range(12)]
    for person in later:
        await person.arrive()
        await projector.until(connected(len(phones) + later.index(person) + 1))  # the projector counts each one

    # Every phone ends on the right count, having been sent a few updates rather than one per join and socket.
    await asyncio.gather(*(phone.until(connected(15)) for phone in phones))
    pushes = [len(phone.frames) - n for phone, n in zip(phones, before, strict=True)]
    assert max(pushes) < 12, pushes  # 24 changes happened (12 joins, 12 sockets): one push each would be 24


async def test_the_voters_own_card_comes_with_the_answer_and_not_again_over_the_socket(
    facilitator: Facilitator, people: People
) -> None:
    item = await facilitator.add_item("Wie hoch ist der Aufwand?")
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    anna_phone, bernd_phone = await anna.arrive(), await bernd.arrive()
    await anna_phone.until(connected(2))
    await anna_phone.until(lambda r: "0 von 2" in text(r.get("stage", "")))
    seen = len(anna_phone.frames)

    answer = await anna.vote(item, 1, "8")
    assert answer.status_code == 200 and 'id="mine"' in answer.text  # her card, chosen, comes with the answer
    await anna_phone.until(lambda r: "1 von 2" in text(r.get("stage", "")))
    await bernd_phone.until(lambda r: "1 von 2" in text(r.get("stage", "")))
    assert not any('id="mine"' in frame for frame in anna_phone.frames[seen:])  # … and is not sent twice
