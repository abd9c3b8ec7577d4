"""The store against a real Redis: atomic changes, one TTL for all keys of a room, and no lost updates."""

from __future__ import annotations

import asyncio
import datetime

from workshop import room_commands
from workshop import store as changes
from workshop.activities.estimate import commands as estimate_commands
from workshop.activities.estimate import storage as estimates
from workshop.activities.estimate.rules import Estimate, Vote, open_estimate
from workshop.change import Change
from workshop.commands import Call
from workshop.domain.rooms import new_participant
from workshop.domain.visibility import Actor
from workshop.keys import room_key
from workshop.store import Store

FACILITATOR = Actor(facilitator=True)


async def _room_with_item(store: Store, voters: int = 0) -> tuple[str, str]:
    room, _ = await room_commands.create_room(store, "Speichertest")
    item = await estimate_commands.add(Call(store, FACILITATOR, room.code), question="Frage?", deck="fibonacci")
    for n in range(voters):
        await room_commands.join(
            Call(store, Actor(), room.code), pid=f"person-{n:04d}-xxxxxxxxxxxx", name=f"P{n}", org="", observer=False
        )
    return room.code, item.id


async def test_every_key_of_a_room_expires_together(store: Store) -> None:
    code, item = await _room_with_item(store, voters=2)
    await estimate_commands.vote(
        Call(store, Actor("person-0000-xxxxxxxxxxxx"), code), estimate=item, round_number=1, card="8"
    )
    await estimate_commands.reveal(Call(store, FACILITATOR, code), estimate=item, round_number=1)
    await estimate_commands.new_round(Call(store, FACILITATOR, code), estimate=item, round_number=1)
    await estimate_commands.vote(
        Call(store, Actor("person-0001-xxxxxxxxxxxx"), code), estimate=item, round_number=2, card="5"
    )
    keys = await store.keys_of(code)
    assert len(keys) >= 7  # room, keys, people, items, rounds, agenda, two vote hashes
    ttls = [await store.redis.pttl(key) for key in keys]
    assert all(0 < ttl <= 3600_000 for ttl in ttls), dict(zip(keys, ttls, strict=True))
    assert max(ttls) - min(ttls) < 2000  # renewed together by the last change


async def test_a_room_is_gone_after_its_ttl(store: Store) -> None:
    short = Store(store.redis, 2, store.kinds)
    code, item = await _room_with_item(short, voters=1)
    await estimate_commands.vote(
        Call(short, Actor("person-0000-xxxxxxxxxxxx"), code), estimate=item, round_number=1, card="8"
    )
    # The room's own registry, read at once (a SCAN of a big shared Redis could outlast the room).
    keys = [*await short.redis.smembers(room_key(code, "keys")), room_key(code, "keys")]
    assert len(keys) >= 6
    lifetimes = [await short.redis.pttl(key) for key in keys]
    assert all(0 < ms <= 2000 for ms in lifetimes), lifetimes
    # The event here is the passing of time itself: wait exactly as long as Redis says the keys live.
    await asyncio.sleep(max(lifetimes) / 1000 + 0.05)
    assert await short.keys_of(code) == []
    assert await short.load(code) is None


async def test_two_hundred_simultaneous_votes_are_all_stored(store: Store) -> None:
    code, item = await _room_with_item(store, voters=200)
    await asyncio.gather(
        *[
            estimate_commands.vote(
                Call(store, Actor(f"person-{n:04d}-xxxxxxxxxxxx"), code),
                estimate=item,
                round_number=1,
                card="8" if n % 2 else "13",
            )
            for n in range(200)
        ]
    )
    room = await store.load(code)
    current = room.view().current if room is not None else None
    assert isinstance(current, Estimate)
    assert len(current.current_round.votes) == 200


async def test_double_reveal_and_double_revote_move_one_step(store: Store) -> None:
    code, item = await _room_with_item(store, voters=1)
    await asyncio.gather(
        *[estimate_commands.reveal(Call(store, FACILITATOR, code), estimate=item, round_number=1) for _ in range(5)]
    )
    await asyncio.gather(
        *[estimate_commands.new_round(Call(store, FACILITATOR, code), estimate=item, round_number=1) for _ in range(5)]
    )
    room = await store.load(code)
    current = room.view().current if room is not None else None
    assert isinstance(current, Estimate)
    assert current.revealed_rounds == (True, False)  # exactly one reveal, exactly one new round


async def test_a_vote_racing_the_reveal_is_either_counted_or_refused(store: Store) -> None:
    """Never acknowledged and missing, never changing a revealed tally."""
    for attempt in range(25):
        code, item = await _room_with_item(store, voters=1)
        voter = Actor("person-0000-xxxxxxxxxxxx")
        vote, _ = await asyncio.gather(
            estimate_commands.vote(Call(store, voter, code), estimate=item, round_number=1, card="8"),
            estimate_commands.reveal(Call(store, FACILITATOR, code), estimate=item, round_number=1),
            return_exceptions=True,
        )
        room = await store.load(code)
        current = room.view().current if room is not None else None
        assert isinstance(current, Estimate) and current.revealed
        stored = current.current_round.votes
        if isinstance(vote, BaseException):
            assert type(vote).__name__ == "Conflict" and not stored, attempt
        else:
            assert stored == {voter.pid: Vote("8")}, attempt


async def test_a_change_to_a_deleted_room_recreates_nothing(store: Store) -> None:
    code, item = await _room_with_item(store, voters=1)
    room = await store.load(code)
    current = room.view().current if room is not None else None
    assert isinstance(current, Estimate)
    for key in await store.keys_of(code):
        await store.redis.delete(key)
    person = new_participant("late-joiner-xxxxxxxxxx", "Spät", "", observer=False)
    for change in (
        changes.join(code, person),
        estimates.save_vote(code, current, "late-joiner-xxxxxxxxxx", Vote("8")),
    ):
        try:
            await store.apply(code, change)
        except Exception as error:  # NotFound
            assert type(error).__name__ == "NotFound"
    assert await store.keys_of(code) == []


async def test_created_date_is_the_day_only(store: Store) -> None:
    code, _ = await _room_with_item(store)
    room = await store.load(code)
    assert room is not None and room.created == datetime.date.today().isoformat()


async def test_a_room_from_before_working_groups_opens_as_one_group(store: Store) -> None:
    """Rooms live for weeks: one written by the previous version (one agenda, the current activity in the room
    hash) still opens after an upgrade, as a room with one group, and is rewritten once."""
    code = "LEGACY" + "AB"
    await store.redis.delete(*[room_key(code, k) for k in ("room", "keys", "groups", "agenda", "items", "rounds")])
    old_layout = [
        [
            "HSET",
            room_key(code, "room"),
            "title",
            "Vor dem Update",
            "created",
            "2025-06-12",
            "fac",
            "x",
            "current",
            "q1",
        ],
        ["HSET", room_key(code, "people"), "p1", '{"name": "Anna", "org": "", "role": "participant", "proxy": false}'],
        ["RPUSH", room_key(code, "arrivals"), "p1"],
        ["RPUSH", room_key(code, "agenda"), "q1"],
        [
            "HSET",
            room_key(code, "items"),
            "q1",
            '{"kind": "estimate", "q": "Wie groß?", "deck": "tshirt", "cards": ["S", "M"]}',
        ],
        ["HSET", room_key(code, "rounds"), "q1", "O"],
        ["HSET", room_key(code, "votes", "q1", "1"), "p1", '{"card": "M", "reason": ""}'],
    ]
    await store.apply(code, Change.of(old_layout), new_room=True)
    room = await store.load(code)
    assert room is not None and len(room.groups) == 1
    view = room.view()
    assert [a.id for a in view.items] == ["q1"] and view.current_id == "q1"
    estimate = open_estimate(view)
    assert view.members[0].name == "Anna" and estimate is not None
    assert estimate.current_round.votes["p1"].card == "M"
    again = await store.load(code)  # rewritten once: the same group, no second one
    assert again is not None and [g.id for g in again.groups] == [g.id for g in room.groups]
    assert not await store.redis.exists(room_key(code, "agenda"))
    await store.delete_room(code)
