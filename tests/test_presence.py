"""Who the screens count as connected, as time passes: a phone whose process died without saying goodbye (no one
renews its presence) stops counting when its presence runs out, with no other change in the room to show it."""

from __future__ import annotations

import time

from workshop.change import Change
from workshop.keys import room_key
from workshop.store import Store

from .clients import Facilitator, text
from .conftest import People


def connected(count: int):  # type: ignore[no-untyped-def]
    return lambda regions: f"{count} verbunden" in text(regions.get("headcount", ""))


async def test_a_phone_on_a_process_that_died_stops_counting_when_its_presence_runs_out(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    projector = await facilitator.connect("projector")
    anna = await people.join("Anna")
    await people.join("Bernd")
    await anna.arrive()
    await projector.until(connected(1))

    # Bernd's phone was served by a process that was killed 59 s after it last renewed his presence: as Redis holds
    # it, his connection counts for one more second, and nothing will ever renew or remove it.
    room = await store.load(facilitator.code)
    assert room is not None
    bernd = next(p.id for p in room.participants.values() if p.name == "Bernd")
    until = int(time.time() * 1000) + 1000
    key = room_key(facilitator.code, "presence")
    await store.apply(facilitator.code, Change.of([("ZADD", key, until, f"killed-process|{bernd}")]))
    await projector.until(connected(2))

    # Nothing else happens in the room; the projector counts one again once his presence has run out.
    await projector.until(connected(1), timeout=10)
    assert int(time.time() * 1000) >= until
