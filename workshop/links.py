"""Facilitator links in Redis: the secret of the room's link and of each group's own link, the generation of each,
and the devices that came in through them.

A link's secret is kept as a hash (`fac`) in the room's hash, or in its group's hash, next to its generation
(`fac_gen`). A device that opens a link gets the generation stamped into its signed cookie; a new link (or "sign
all other devices out") counts the generation up, and with it every right granted under the old one ends: pages,
commands, exports and sockets all compare the cookie's generation with Redis' (domain/visibility.py `actor_of`).

The devices are listed for the console: a random device id from the cookie, the link it came through, its
generation and the last day it was seen (no address, no time of day). Every write goes through `Store.apply`.
"""

from __future__ import annotations

import datetime
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

from .change import Change, Check, Op, Rejected, absent, equals, length, present
from .domain.errors import N_, Conflict
from .domain.visibility import Generations
from .keys import room_key
from .store import GENERATION, Store, token_hash

DEVICES = "devices"
ATTEMPTS = 4
RACED = N_("Die Moderationslinks wurden gerade auf einem anderen Gerät geändert. Bitte noch einmal versuchen.")


@dataclass(frozen=True)
class Device:
    """A device that facilitates: its id, the group whose link it came through ("" for the room's), last seen."""

    id: str
    group: str
    seen: str  # ISO day


def today() -> str:
    return datetime.date.today().isoformat()


def _link_key(code: str, group: str) -> str:
    return room_key(code, "group", group) if group else room_key(code, "room")


def _field(device: str, group: str) -> str:
    return f"{device}/{group}" if group else device


def _unchanged(key: str, raw: str | None) -> Check:
    """The generation is still as read (a room from before generations has none yet)."""
    return equals(key, GENERATION, raw) if raw is not None else absent(key, GENERATION)


async def generations(store: Store, code: str, groups: Iterable[str]) -> Generations:
    """The current generation of the room's link and of these groups' links (a group that is gone: left out)."""
    wanted = list(groups)
    async with store.redis.pipeline(transaction=False) as pipe:
        pipe.hget(room_key(code, "room"), GENERATION)
        for group in wanted:
            pipe.hmget(room_key(code, "group", group), "name", GENERATION)
        main, *found = await pipe.execute()
    present_groups = {g: int(n or 0) for g, (name, n) in zip(wanted, found, strict=True) if name is not None}
    return Generations(int(main or 0), present_groups)


async def open_link(store: Store, code: str, token: str) -> tuple[str, int] | None:
    """The link this secret opens: ("" for the room's, or the group's id, and the link's generation), or None.
    The secret and its generation are read together, so a link replaced meanwhile grants nothing."""
    wanted = token_hash(token)
    async with store.redis.pipeline(transaction=True) as pipe:
        pipe.hmget(room_key(code, "room"), "fac", GENERATION)
        pipe.lrange(room_key(code, "groups"), 0, -1)
        (stored, generation), groups = await pipe.execute()
    if isinstance(stored, str) and hmac.compare_digest(stored, wanted):
        return "", int(generation or 0)
    async with store.redis.pipeline(transaction=False) as pipe:
        for group in groups:
            pipe.hmget(room_key(code, "group", group), "fac", GENERATION)
        found = await pipe.execute()
    for group, (stored, generation) in zip(groups, found, strict=True):
        if isinstance(stored, str) and hmac.compare_digest(stored, wanted):
            return str(group), int(generation or 0)
    return None


async def replace(store: Store, code: str, token: str, *, group: str = "") -> int:
    """A new secret for the room's link (or a group's own): the generation counts up, so every device that came in
    through the old link is signed out (and forgotten on the device list). The new generation."""
    key, devices = _link_key(code, group), room_key(code, DEVICES)
    for _ in range(ATTEMPTS):
        async with store.redis.pipeline(transaction=True) as pipe:
            pipe.hget(key, GENERATION)
            pipe.hkeys(devices)
            raw, fields = await pipe.execute()
        generation = int(raw or 0) + 1
        ops: list[Op] = [("HSET", key, "fac", token_hash(token), GENERATION, generation)]
        gone = [f for f in fields if (f.split("/", 1)[1] if "/" in f else "") == group]
        if gone:
            ops.append(("HDEL", devices, *gone))
        checks = [_unchanged(key, raw), *([present(key, "name")] if group else [])]
        try:
            await store.apply(code, Change.of(ops, checks))
        except Rejected:
            continue
        return generation
    raise Conflict(RACED)


async def sign_out_others(store: Store, code: str) -> int:
    """Every link's generation counts up (the room's and each group's): every device is signed out and forgotten,
    the links themselves stay. The room link's new generation, for the device that asked."""
    room, groups_key, devices = room_key(code, "room"), room_key(code, "groups"), room_key(code, DEVICES)
    for _ in range(ATTEMPTS):
        groups = [str(g) for g in await store.redis.lrange(groups_key, 0, -1)]
        keys = [room, *(room_key(code, "group", g) for g in groups)]
        async with store.redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.hget(key, GENERATION)
            raws = await pipe.execute()
        ops: list[Op] = [("HSET", key, GENERATION, int(raw or 0) + 1) for key, raw in zip(keys, raws, strict=True)]
        ops.append(("DEL", devices))
        checks = [length(groups_key, len(groups)), *(_unchanged(k, r) for k, r in zip(keys, raws, strict=True))]
        try:
            await store.apply(code, Change.of(ops, checks))
        except Rejected:
            continue
        return int(raws[0] or 0) + 1
    raise Conflict(RACED)


async def seen(store: Store, code: str, device: str, links: Iterable[tuple[str, int]]) -> None:
    """The device facilitates through these links (group, generation) today: on the list, once a day a write."""
    wanted = {_field(device, group): json.dumps({"gen": n, "seen": today()}) for group, n in links}
    if not device or not wanted:
        return
    key = room_key(code, DEVICES)
    known = await store.redis.hmget(key, list(wanted))
    stale = {f: v for (f, v), old in zip(wanted.items(), known, strict=True) if old != v}
    if stale:
        await store.apply(code, Change.of([("HSET", key, *(x for kv in stale.items() for x in kv))]))


async def devices(store: Store, code: str, now: Generations) -> list[Device]:
    """The devices that facilitate now (through a link of the current generation), most recently seen first."""
    listed = []
    for entry, raw in (await store.redis.hgetall(room_key(code, DEVICES))).items():
        device, _, group = str(entry).partition("/")
        data = json.loads(raw)
        current = now.groups.get(group) if group else now.main
        if current is not None and data.get("gen") == current:
            listed.append(Device(device, group, str(data.get("seen", ""))))
    return sorted(listed, key=lambda d: (d.seen, d.id), reverse=True)
