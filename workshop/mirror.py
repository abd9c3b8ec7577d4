"""A room's keys as Redis holds them, in this process: read whole once, then kept current by replaying each change.

Every change of a room goes through the store's one Lua script, which publishes the new revision together with the
change's writes (workshop/store.py). A process that serves a room keeps a `RawRoom`: every key of the room (hashes,
lists, sorted sets) at one revision. Each published change is replayed on it in revision order, by the same
semantics Redis gave it, so the process reads nothing back from Redis for a change, however big the room. What it
cannot replay (a revision missed while the subscription was down, a change too big to publish, a write it does not
know) makes it read the room whole again (`Store.dump`), in one atomic script.

Replaying is exact because a change's writes are deterministic given the state before them, and the script applies
them in one go, in revision order, after its preconditions held: the same writes on the same state give the same
state. Only the kinds of writes the app makes are known here (`REPLAY`); anything else is read again.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
Hash = dict[str, str]
ZSet = dict[str, float]


_READS = itertools.count(1)


@dataclass
class RawRoom:
    """Every key of one room at one revision (the key registry and the retry keys left out). `rev` is the revision;
    the copy of it in the room's hash is not replayed."""

    rev: int
    hashes: dict[str, Hash] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    zsets: dict[str, ZSet] = field(default_factory=dict)
    # how often each key (by its name after the room's code: "people", "group:ab12") was written since it was read
    written: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    read: int = field(default_factory=lambda: next(_READS), compare=False, repr=False)  # this reading, of all
    _derived: dict[Any, tuple[int, Any]] = field(default_factory=dict, compare=False, repr=False)
    _writes: int = field(default=0, compare=False, repr=False)  # every write counted in `written`, in all
    _versions: dict[tuple[str, ...], tuple[int, tuple[int, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def version(self, names: Sequence[str]) -> tuple[int, ...]:
        """What changes whenever a key of these names (or, ending in ":", of names beginning so) is written: while
        it is equal, everything read from them is as it was."""
        names = tuple(names)
        known = self._versions.get(names)
        if known is None or known[0] != self._writes:  # worked out again only after a write
            found = (self.read, *(n for key, n in self.written.items() if any(_named(key, name) for name in names)))
            known = self._versions[names] = (self._writes, found)
        return known[1]

    def wrote(self, name: str) -> None:
        """Key `name` (after the room's code: "people", "group:ab12") was written."""
        self.written[name] = self.written.get(name, 0) + 1
        self._writes += 1

    def derived(self, name: str, how: Any, make: Callable[[], T]) -> T:
        """What `make` works out of key `name` (and `how`, anything else it depends on), made once and kept while the
        key is not written: a round's votes, read for every change of a room, are parsed when they change."""
        written = self.written.get(name, 0)
        known = self._derived.get((name, how))
        if known is None or known[0] != written:
            known = self._derived[(name, how)] = (written, make())
        return known[1]

    # -- reading, as the kinds and the store do (a missing key reads as empty, as in Redis) ---------------------------

    def hash(self, key: str) -> Mapping[str, str]:
        return self.hashes.get(key, {})

    def list(self, key: str) -> Sequence[str]:
        return self.lists.get(key, [])

    def zset(self, key: str) -> Mapping[str, float]:
        return self.zsets.get(key, {})

    # -- replaying ------------------------------------------------------------------------------------------------

    def replay(self, rev: int, ops: Sequence[Sequence[str]]) -> bool:
        """Apply the writes of the change that made revision `rev`; False (and nothing changed that matters, as the
        room is then read again) if it is not the next revision or holds a write not known here."""
        if rev != self.rev + 1 or any(op[0].upper() not in REPLAY for op in ops):
            return False
        for op in ops:
            REPLAY[op[0].upper()](self, op[1], list(op[2:]))
            for key in op[1:] if op[0].upper() == "DEL" else op[1:2]:
                self.wrote(key.split("}:", 1)[-1])
        self.rev = rev
        return True

    def _drop(self, key: str) -> None:
        self.hashes.pop(key, None)
        self.lists.pop(key, None)
        self.zsets.pop(key, None)

    def _tidy(self, key: str) -> None:
        """Redis deletes a hash, list or sorted set when its last element goes."""
        for kind in (self.hashes, self.lists, self.zsets):
            if key in kind and not kind[key]:
                del kind[key]


def _named(key: str, name: str) -> bool:
    return key.startswith(name) if name.endswith(":") else key == name


def _hset(raw: RawRoom, key: str, args: list[str]) -> None:
    raw.hashes.setdefault(key, {}).update(zip(args[::2], args[1::2], strict=True))


def _hdel(raw: RawRoom, key: str, args: list[str]) -> None:
    fields = raw.hashes.get(key, {})
    for name in args:
        fields.pop(name, None)
    raw._tidy(key)


def _hincrby(raw: RawRoom, key: str, args: list[str]) -> None:
    fields = raw.hashes.setdefault(key, {})
    fields[args[0]] = str(int(fields.get(args[0], "0")) + int(args[1]))


def _del(raw: RawRoom, key: str, args: list[str]) -> None:
    for doomed in (key, *args):
        raw._drop(doomed)


def _rpush(raw: RawRoom, key: str, args: list[str]) -> None:
    raw.lists.setdefault(key, []).extend(args)


def _lrem(raw: RawRoom, key: str, args: list[str]) -> None:
    count, value = int(args[0]), args[1]
    items = raw.lists.get(key, [])
    at = [i for i, item in enumerate(items) if item == value]
    if count > 0:
        at = at[:count]
    elif count < 0:
        at = at[count:]
    for i in reversed(at):
        del items[i]
    raw._tidy(key)


def _linsert(raw: RawRoom, key: str, args: list[str]) -> None:
    where, pivot, value = args[0].upper(), args[1], args[2]
    items = raw.lists.get(key)
    if not items or pivot not in items:
        return
    i = items.index(pivot)
    items.insert(i if where == "BEFORE" else i + 1, value)


def _zadd(raw: RawRoom, key: str, args: list[str]) -> None:
    flags = set()
    while args and args[0].upper() in {"XX", "NX", "CH"}:
        flags.add(args.pop(0).upper())
    members = raw.zsets.get(key, {})
    for score, member in zip(args[::2], args[1::2], strict=True):
        if ("XX" in flags and member not in members) or ("NX" in flags and member in members):
            continue
        members[member] = float(score)
    if members:
        raw.zsets[key] = members


def _zrem(raw: RawRoom, key: str, args: list[str]) -> None:
    members = raw.zsets.get(key, {})
    for member in args:
        members.pop(member, None)
    raw._tidy(key)


def _zremrangebyscore(raw: RawRoom, key: str, args: list[str]) -> None:
    low, high = _bound(args[0]), _bound(args[1])
    members = raw.zsets.get(key, {})
    for member, score in list(members.items()):
        if low(score, True) and high(score, False):
            del members[member]
    raw._tidy(key)


def _bound(text: str) -> Callable[[float, bool], bool]:
    """A score range's end as Redis reads it ("-inf", "+inf", "(5" exclusive, "5"): a test `(score, lower) -> ok`."""
    exclusive = text.startswith("(")
    value = {"-inf": -math.inf, "+inf": math.inf, "inf": math.inf}.get(text.lstrip("("), None)
    limit = float(text.lstrip("(")) if value is None else value

    def test(score: float, lower: bool) -> bool:
        if lower:
            return score > limit if exclusive else score >= limit
        return score < limit if exclusive else score <= limit

    return test


REPLAY: dict[str, Callable[[RawRoom, str, list[str]], None]] = {
    "HSET": _hset,
    "HDEL": _hdel,
    "HINCRBY": _hincrby,
    "DEL": _del,
    "RPUSH": _rpush,
    "LREM": _lrem,
    "LINSERT": _linsert,
    "ZADD": _zadd,
    "ZREM": _zrem,
    "ZREMRANGEBYSCORE": _zremrangebyscore,
}


def from_dump(reply: Sequence[Any]) -> RawRoom | None:
    """The room from the store's dump script: its revision, then (key, type, contents) for each key; None if the
    room does not exist."""
    if not reply:
        return None
    raw = RawRoom(int(reply[0] or 0))
    for key, kind, contents in zip(reply[1::3], reply[2::3], reply[3::3], strict=True):
        if kind == "hash":
            raw.hashes[key] = dict(zip(contents[::2], contents[1::2], strict=True))
        elif kind == "list":
            raw.lists[key] = list(contents)
        elif kind == "zset":
            raw.zsets[key] = {m: float(s) for m, s in zip(contents[::2], contents[1::2], strict=True)}
    return raw


def parse_news(news: str) -> tuple[int, list[list[str]] | None] | None:
    """What a change published: its revision and its writes (None: too big to publish, read the room again), or
    None for anything else (a deletion, a resubscription: read the room again)."""
    rev, _, spec = news.partition(" ")
    if not rev.isdigit():
        return None
    if not spec:
        return int(rev), None
    try:
        return int(rev), json.loads(spec)["ops"]
    except (ValueError, KeyError, TypeError):
        log.warning("mirror: a change that could not be read; reading the room again")
        return int(rev), None


class Mirror:
    """One room as this process follows it (while it has sockets here): its keys, kept current by every change heard
    (`hear`, called in revision order by the hub), read whole again when a change cannot be replayed."""

    def __init__(self, dump: Callable[[], Awaitable[RawRoom | None]]) -> None:
        self._dump = dump
        self.raw: RawRoom | None = None
        self.stale = True  # read whole before the next use
        self._reading = False
        self._heard: list[tuple[int, list[list[str]] | None]] = []  # what came while it was read whole
        self._lock = asyncio.Lock()
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        self.built: dict[bool, tuple[int, Any]] = {}  # the room built from `raw` (workshop/store.py), by `everything`

    def hear(self, news: str) -> None:
        """A change was published (or, "", something may have been missed)."""
        parsed = parse_news(news)
        if self._reading:
            if parsed is None:
                self.stale = True
            else:
                self._heard.append(parsed)
            return
        if parsed is None or self.raw is None:
            self._lost()
            return
        rev, ops = parsed
        if rev <= self.raw.rev:
            return  # already in what was read
        if ops is None or not self.raw.replay(rev, ops):
            self._lost()
            return
        self._reached(rev)

    def aged(self, name: str) -> None:
        """Time changed what key `name` means, not a write (presence ran out): what was built from it is built again,
        and counts as written for who renders it."""
        if self.raw is not None:
            self.raw.wrote(name)
        self.built.clear()

    def _lost(self) -> None:
        """Something could not be replayed: read whole before the next use (who waits looks again)."""
        self.stale = True
        self._reached(2**62)

    async def current(self) -> RawRoom | None:
        """The room as this process knows it now (None: it is gone), read whole first where needed."""
        async with self._lock:
            while self.stale:
                self.stale, self._reading, self._heard = False, True, []
                try:
                    raw = await self._dump()
                finally:
                    self._reading = False
                if raw is not None:
                    for rev, ops in sorted(self._heard, key=lambda news: news[0]):
                        if rev > raw.rev and (ops is None or not raw.replay(rev, ops)):
                            self.stale = True
                self.raw = raw
                if raw is not None:
                    self._reached(raw.rev)
            return self.raw

    async def reach(self, rev: int, timeout: float) -> RawRoom | None:
        """The room once this process has heard the change that made revision `rev` (a change it made itself, say);
        None if it is gone, or if that takes longer than `timeout` seconds (then read it from Redis)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            raw = await self.current()
            if raw is None or raw.rev >= rev:
                return raw
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.append((rev, future))
            try:
                await asyncio.wait_for(future, deadline - asyncio.get_running_loop().time())
            except TimeoutError:
                return None

    def _reached(self, rev: int) -> None:
        """Wake who waits for this revision or an earlier one."""
        waiting = []
        for wanted, future in self._waiting:
            if wanted > rev:
                waiting.append((wanted, future))
            elif not future.done():
                future.set_result(None)
        self._waiting = waiting
