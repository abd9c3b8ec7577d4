"""The store against a real Redis: atomic changes, one TTL for all keys of a room, and no lost updates."""

from __future__ import annotations

import asyncio
import datetime

from workshop import commands, estimate_commands
from workshop.change import Change
from workshop.commands import Actor
from workshop.domain.poker import Vote
from workshop.domain.rooms import new_participant
from workshop.estimates_store import EstimatesStore
from workshop.keys import room_key
from workshop.store import Store

FACILITATOR = Actor(facilitator=True)


async def _room_with_item(store: Store, voters: int = 0) -> tuple[str, str]:
    room, _ = await commands.create_room(store, "Speichertest")
    item = await estimate_commands.add_item(store, FACILITATOR, room.code, "Frage?", "fibonacci")
    for n in range(voters):
        await commands.join(store, room.code, f"person-{n:04d}-xxxxxxxxxxxx", f"P{n}", "", observer=False)
    return room.code, item.id


async def test_every_key_of_a_room_expires_together(store: Store) -> None:
    code, item = await _room_with_item(store, voters=2)
    await estimate_commands.vote(store, Actor("person-0000-xxxxxxxxxxxx"), code, item, 1, "8")
    await estimate_commands.reveal(store, FACILITATOR, code, item, 1)
    await estimate_commands.new_round(store, FACILITATOR, code, item, 1)
    await estimate_commands.vote(store, Actor("person-0001-xxxxxxxxxxxx"), code, item, 2, "5")
    keys = await store.keys_of(code)
    assert len(keys) >= 7  # room, keys, people, items, rounds, agenda, two vote hashes
    ttls = [await store.redis.pttl(key) for key in keys]
    assert all(0 < ttl <= 3600_000 for ttl in ttls), dict(zip(keys, ttls, strict=True))
    assert max(ttls) - min(ttls) < 2000  # renewed together by the last change


async def test_a_room_is_gone_after_its_ttl(store: Store) -> None:
    short = Store(store.redis, ttl_seconds=2)
    code, item = await _room_with_item(short, voters=1)
    await estimate_commands.vote(short, Actor("person-0000-xxxxxxxxxxxx"), code, item, 1, "8")
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
            estimate_commands.vote(store, Actor(f"person-{n:04d}-xxxxxxxxxxxx"), code, item, 1, "8" if n % 2 else "13")
            for n in range(200)
        ]
    )
    room = await store.load(code)
    assert room is not None and room.current is not None
    assert len(room.current.current_round.votes) == 200


async def test_double_reveal_and_double_revote_move_one_step(store: Store) -> None:
    code, item = await _room_with_item(store, voters=1)
    await asyncio.gather(*[estimate_commands.reveal(store, FACILITATOR, code, item, 1) for _ in range(5)])
    await asyncio.gather(*[estimate_commands.new_round(store, FACILITATOR, code, item, 1) for _ in range(5)])
    room = await store.load(code)
    assert room is not None and room.current is not None
    assert room.current.revealed_rounds == (True, False)  # exactly one reveal, exactly one new round


async def test_a_vote_racing_the_reveal_is_either_counted_or_refused(store: Store) -> None:
    """Never acknowledged and missing, never changing a revealed tally."""
    for attempt in range(25):
        code, item = await _room_with_item(store, voters=1)
        voter = Actor("person-0000-xxxxxxxxxxxx")
        vote, _ = await asyncio.gather(
            estimate_commands.vote(store, voter, code, item, 1, "8"),
            estimate_commands.reveal(store, FACILITATOR, code, item, 1),
            return_exceptions=True,
        )
        room = await store.load(code)
        assert room is not None and room.current is not None and room.current.revealed
        stored = room.current.current_round.votes
        if isinstance(vote, BaseException):
            assert type(vote).__name__ == "Conflict" and not stored, attempt
        else:
            assert stored == {voter.pid: Vote("8")}, attempt


async def test_a_change_to_a_deleted_room_recreates_nothing(store: Store) -> None:
    code, item = await _room_with_item(store, voters=1)
    room = await store.load(code)
    assert room is not None and room.current is not None
    for key in await store.keys_of(code):
        await store.redis.delete(key)
    person = new_participant("late-joiner-xxxxxxxxxx", "Spät", "", observer=False)
    for change in (
        store.join(code, person),
        EstimatesStore(store).save_vote(code, room.current, "late-joiner-xxxxxxxxxx", Vote("8")),
    ):
        try:
            await change
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
    assert [a.id for a in room.items] == ["q1"] and room.current_id == "q1"
    assert room.members[0].name == "Anna" and room.current_estimate is not None
    assert room.current_estimate.current_round.votes["p1"].card == "M"
    again = await store.load(code)  # rewritten once: the same group, no second one
    assert again is not None and [g.id for g in again.groups] == [g.id for g in room.groups]
    assert not await store.redis.exists(room_key(code, "agenda"))
    await store.delete_room(code)
