"""A process's copy of a room (workshop/mirror.py) against a real Redis: every kind of write the app makes, replayed
from what the change script publishes, leaves the copy equal to the room as Redis holds it; and what cannot be
replayed makes the copy read the room again rather than drift."""

from __future__ import annotations

import asyncio
import random

from workshop import room_commands
from workshop.change import Change
from workshop.keys import events_channel, room_key
from workshop.mirror import Mirror, RawRoom
from workshop.store import Store

VALUES = ["a", "b", "c", "d", "a b", "ä|ü", ""]


def _random_op(rng: random.Random, code: str) -> list[str]:
    """One write of a kind the app makes, on a few keys of the room, with arguments that hit the edge cases (a
    missing key, a missing pivot, a list emptied, a hash field removed twice, scores at the boundaries)."""
    h, lst, z = (room_key(code, "t", name) for name in ("h", "l", "z"))
    value, other = rng.choice(VALUES), rng.choice(VALUES)
    return rng.choice(
        [
            ["HSET", h, value, other],
            ["HSET", h, value, other, other + "2", value],
            ["HDEL", h, value],
            ["HINCRBY", h, "n", str(rng.randint(-3, 3))],
            ["RPUSH", lst, value],
            ["RPUSH", lst, value, other],
            ["LREM", lst, str(rng.randint(-2, 2)), value],
            ["LINSERT", lst, rng.choice(["BEFORE", "AFTER"]), value, other],
            ["DEL", rng.choice([h, lst, z])],
            ["ZADD", z, str(rng.randint(0, 5)), value],
            ["ZADD", z, "XX", str(rng.randint(0, 5)), value, str(rng.randint(0, 5)), other],
            ["ZREM", z, value],
            ["ZREMRANGEBYSCORE", z, "-inf", str(rng.randint(0, 5))],
            ["ZREMRANGEBYSCORE", z, f"({rng.randint(0, 5)}", "+inf"],
        ]
    )


def _without_rev(raw: RawRoom, code: str) -> RawRoom:
    hashes = {
        k: {f: v for f, v in h.items() if not (k == room_key(code, "room") and f == "rev")}
        for k, h in raw.hashes.items()
    }
    return RawRoom(raw.rev, hashes, raw.lists, raw.zsets)


async def test_every_write_replayed_leaves_the_copy_equal_to_redis(store: Store) -> None:
    room, _ = await room_commands.create_room(store, "Spiegeltest")
    code = room.code
    mirror = Mirror(lambda: store.dump(code))
    pubsub = store.redis.pubsub()
    await pubsub.subscribe(events_channel(code))
    await pubsub.get_message(timeout=1)  # the confirmation
    assert await mirror.current() is not None
    rng = random.Random(20261130)
    for step in range(300):
        ops = [_random_op(rng, code) for _ in range(rng.randint(1, 4))]
        await store.apply(code, Change.of(ops))
        message = None
        while message is None:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
        mirror.hear(message["data"])
        assert not mirror.stale, f"step {step}: {ops} was not replayed"
        truth = await store.dump(code)
        assert truth is not None and mirror.raw is not None
        assert _without_rev(mirror.raw, code) == _without_rev(truth, code), f"step {step}: after {ops}"
    await pubsub.aclose()


async def test_a_missed_change_makes_the_copy_read_the_room_again(store: Store) -> None:
    room, _ = await room_commands.create_room(store, "Lücke")
    code = room.code
    mirror = Mirror(lambda: store.dump(code))
    before = await mirror.current()
    assert before is not None
    key = room_key(code, "t", "h")
    first = await store.apply(code, Change.of([("HSET", key, "x", "1")]))
    second = await store.apply(code, Change.of([("HSET", key, "y", "2")]))
    mirror.hear(f'{second} {{"ops": [["HSET", "{key}", "y", "2"]]}}')  # the first one never arrived
    assert mirror.stale
    waiting = asyncio.create_task(mirror.reach(second, timeout=1))
    raw = await waiting
    assert raw is not None and raw.rev == second > first
    assert raw.hash(key) == {"x": "1", "y": "2"}


async def test_a_write_not_known_here_is_read_rather_than_guessed(store: Store) -> None:
    room, _ = await room_commands.create_room(store, "Unbekannt")
    code = room.code
    mirror = Mirror(lambda: store.dump(code))
    raw = await mirror.current()
    assert raw is not None
    key = room_key(code, "t", "l")
    rev = await store.apply(code, Change.of([("RPUSH", key, "b"), ("LPUSH", key, "a")]))
    mirror.hear(f'{rev} {{"ops": [["RPUSH", "{key}", "b"], ["LPUSH", "{key}", "a"]]}}')
    assert mirror.stale
    raw = await mirror.current()
    assert raw is not None and raw.list(key) == ["a", "b"]
