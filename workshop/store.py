"""Rooms in Redis.

Every key of a room carries the room's code as a hash tag (``workshop:{KXR7MPQH}:…``). Every change goes
through one Lua script that checks its preconditions, writes, bumps the room's revision, renews the TTL of
*all* the room's keys together and publishes the new revision, atomically: an accepted change is in Redis
before anyone hears of it, a late vote cannot slip into a revealed round, and no key outlives its room.
Votes live in a hash per round, one field per participant, so 200 phones voting at once never contend.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from typing import Any

import redis
import redis.asyncio as aioredis

from .domain.errors import ROOM_NOT_FOUND, NotFound
from .domain.ideas import Ideas
from .domain.poker import Deck, Item, Round, Vote
from .domain.rooms import Activity, Participant, Role, Room
from .ideas_store import load_ideas, restore_ops
from .keys import events_channel, room_key

_APPLY = """
local change = cjson.decode(ARGV[3])
for i, check in ipairs(change.checks) do
  local expected = check[3]
  if type(expected) == 'table' and expected.len then
    if redis.call('LLEN', check[1]) ~= expected.len then return -i end
  else
    local actual = redis.call('HGET', check[1], check[2])
    if expected == cjson.null then
      if actual then return -i end
    elseif expected == true then
      if not actual then return -i end
    elseif type(expected) == 'table' then
      if (tonumber(actual) or 0) >= expected.below then return -i end
    elseif actual ~= expected then
      return -i
    end
  end
end
for _, op in ipairs(change.ops) do
  redis.call(unpack(op))
  redis.call('SADD', KEYS[2], op[2])
end
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('SADD', KEYS[2], KEYS[1])
for _, key in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('PEXPIRE', key, ARGV[1])
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], rev)
return rev
"""

_DELETE = """
local keys = redis.call('SMEMBERS', KEYS[2])
for _, key in ipairs(keys) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[1], 'deleted')
return #keys
"""

# A precondition of a change: (hash key, field, expected), where expected is a value, True (present), None
# (absent) or {"below": n} (a counter under n); or (list key, "", {"len": n}) for a list of exactly n entries.
Check = tuple[str, str, "str | bool | None | dict[str, int]"]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Rejected(Exception):
    """A precondition of a change did not hold; `index` says which one (0: the room is gone)."""

    def __init__(self, index: int) -> None:
        self.index = index


class Store:
    def __init__(self, redis: aioredis.Redis, ttl_seconds: float, *, compact_after_delete: bool = False) -> None:
        self.redis = redis
        self.compact_after_delete = compact_after_delete  # our own embedded Redis: rewrite its append-only file
        self.ttl_ms = max(1000, int(ttl_seconds * 1000))
        self._apply = redis.register_script(_APPLY)
        self._delete = redis.register_script(_DELETE)

    async def change(
        self, code: str, ops: Sequence[Sequence[Any]], checks: Sequence[Check] = (), *, new_room: bool = False
    ) -> int:
        """Apply ops if the room exists (or, with `new_room`, does not yet) and all checks hold; return the new
        revision, or raise NotFound (FileExistsError for a new room) or Rejected. Every change goes through here."""
        room = room_key(code, "room")
        all_checks = [(room, "title", None if new_room else True), *checks]
        spec = json.dumps({"checks": all_checks, "ops": [[str(x) for x in op] for op in ops]})
        result = int(
            await self._apply(keys=[room, room_key(code, "keys")], args=[self.ttl_ms, events_channel(code), spec])
        )
        if result == -1:
            if new_room:
                raise FileExistsError(code)
            raise NotFound(ROOM_NOT_FOUND)
        if result < 0:
            raise Rejected(-result - 2)
        return result

    # -- rooms and people -------------------------------------------------------------------------------------

    async def create_room(self, room: Room, facilitator_token: str) -> None:
        """A new room; FileExistsError if its code is taken."""
        fields = {
            "title": room.title,
            "created": room.created,
            "fac": token_hash(facilitator_token),
            "ask_org": int(room.ask_org),
            "auto_reveal": int(room.auto_reveal),
            "current": "",
        }
        await self.change(
            room.code, [["HSET", room_key(room.code, "room"), *[x for kv in fields.items() for x in kv]]], new_room=True
        )

    async def replace_facilitator_token(self, code: str, token: str) -> None:
        await self.change(code, [["HSET", room_key(code, "room"), "fac", token_hash(token)]])

    async def is_facilitator_token(self, code: str, token: str) -> bool:
        stored = await self.redis.hget(room_key(code, "room"), "fac")
        return isinstance(stored, str) and hmac.compare_digest(stored, token_hash(token))

    async def exists(self, code: str) -> bool:
        return bool(await self.redis.hexists(room_key(code, "room"), "title"))

    async def join(self, code: str, person: Participant) -> bool:
        """Add a participant; False if that id is in already (a second submit of the same join form)."""
        people = room_key(code, "people")
        try:
            await self.change(
                code,
                [["HSET", people, person.id, _dump_person(person)], ["RPUSH", room_key(code, "arrivals"), person.id]],
                [(people, person.id, None)],
            )
        except Rejected:
            return False
        return True

    async def set_options(self, code: str, *, ask_org: bool, auto_reveal: bool) -> None:
        await self.change(
            code, [["HSET", room_key(code, "room"), "ask_org", int(ask_org), "auto_reveal", int(auto_reveal)]]
        )

    # -- estimation items -------------------------------------------------------------------------------------

    async def add_activity(
        self, code: str, activity_id: str, meta: dict[str, Any], ops: Sequence[Sequence[Any]], *, make_current: bool
    ) -> None:
        """Put an activity on the agenda, with the writes of its own kind; the one way any kind is added."""
        all_ops: list[Sequence[Any]] = [
            ["HSET", room_key(code, "items"), activity_id, json.dumps(meta)],
            *ops,
            ["RPUSH", room_key(code, "agenda"), activity_id],
        ]
        if make_current:
            all_ops.append(["HSET", room_key(code, "room"), "current", activity_id])
        await self.change(code, all_ops, [(room_key(code, "items"), activity_id, None)])

    async def add_item(self, code: str, item: Item, *, make_current: bool) -> None:
        meta = {"kind": "estimate", "q": item.question, "deck": item.deck.kind, "cards": item.deck.cards}
        rounds = ["HSET", room_key(code, "rounds"), item.id, _rounds(item.revealed_rounds)]
        await self.add_activity(code, item.id, meta, [rounds], make_current=make_current)

    async def set_current(self, code: str, item_id: str) -> None:
        await self.change(
            code, [["HSET", room_key(code, "room"), "current", item_id]], [(room_key(code, "items"), item_id, True)]
        )

    async def save_vote(self, code: str, item: Item, pid: str, vote: Vote) -> None:
        """Store a vote while the round is as the voter saw it; rejected if revealed or restarted meanwhile."""
        votes = room_key(code, "votes", item.id, str(item.round))
        await self.change(
            code,
            [["HSET", votes, pid, json.dumps({"card": vote.card, "reason": vote.reason})]],
            [(room_key(code, "rounds"), item.id, _rounds(item.revealed_rounds)), (room_key(code, "people"), pid, True)],
        )

    async def reveal(self, code: str, item: Item) -> bool:
        """Reveal the open round; False if someone moved the item on first (revealed or restarted it)."""
        return await self._move_rounds(code, item, (*item.revealed_rounds[:-1], True))

    async def new_round(self, code: str, item: Item) -> bool:
        """Start the next round of the item as the facilitator saw it; False if someone else moved it first."""
        return await self._move_rounds(code, item, (*item.revealed_rounds, False))

    async def _move_rounds(self, code: str, item: Item, after: tuple[bool, ...]) -> bool:
        rounds = room_key(code, "rounds")
        try:
            await self.change(
                code, [["HSET", rounds, item.id, _rounds(after)]], [(rounds, item.id, _rounds(item.revealed_rounds))]
            )
        except Rejected:
            return False
        return True

    # -- reading ----------------------------------------------------------------------------------------------

    async def load(self, code: str, *, everything: bool = False) -> Room | None:
        """The room as one snapshot: with the details (rounds and votes, cards and dots) of the current activity,
        or of every activity (`everything`, for the export)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(room_key(code, "room"))
            pipe.hgetall(room_key(code, "people"))
            pipe.lrange(room_key(code, "arrivals"), 0, -1)
            pipe.lrange(room_key(code, "agenda"), 0, -1)
            pipe.hgetall(room_key(code, "items"))
            pipe.hgetall(room_key(code, "rounds"))
            meta, people, arrivals, agenda, items, rounds = await pipe.execute()
        if not meta.get("title"):
            return None
        current: str = meta.get("current", "")
        detailed = set(agenda) if everything else {current}
        votes = await self._votes(code, {i: len(rounds[i]) for i in detailed if i in rounds})
        loaded: list[Activity] = []
        for item_id in agenda:
            data = json.loads(items[item_id])
            if data.get("kind") == "ideas":  # the board of a collection in detail; of the others, the prompt
                loaded.append(
                    await load_ideas(self.redis, code, item_id, data["q"])
                    if item_id in detailed
                    else Ideas(item_id, data["q"])
                )
                continue
            flags = _parse_rounds(rounds[item_id])
            by_round = votes.get(item_id, {})
            history = tuple(Round(n, flags[n - 1], by_round[n]) for n in sorted(by_round))
            loaded.append(Item(item_id, data["q"], Deck(data["deck"], tuple(data["cards"])), flags, history))
        return Room(
            code=code,
            title=meta["title"],
            created=meta.get("created", ""),
            ask_org=meta.get("ask_org") == "1",
            auto_reveal=meta.get("auto_reveal") == "1",
            participants={pid: _load_person(pid, people[pid]) for pid in arrivals if pid in people},
            items=tuple(loaded),
            current_id=current if current in items else None,
            rev=int(meta.get("rev", 0)),
        )

    async def restore(self, room: Room, facilitator_token: str) -> None:
        """Write a whole room (from an archive) under its new code: people, agenda, rounds and votes, boards."""
        await self.create_room(room, facilitator_token)
        code = room.code
        ops: list[Sequence[Any]] = []
        for p in room.participants.values():
            ops += [
                ["HSET", room_key(code, "people"), p.id, _dump_person(p)],
                ["RPUSH", room_key(code, "arrivals"), p.id],
            ]
        for activity in room.items:
            if isinstance(activity, Item):
                meta = {
                    "kind": "estimate",
                    "q": activity.question,
                    "deck": activity.deck.kind,
                    "cards": activity.deck.cards,
                }
                ops += [["HSET", room_key(code, "rounds"), activity.id, _rounds(activity.revealed_rounds)]]
                for r in activity.rounds:
                    for pid, vote in r.votes.items():
                        ops.append(
                            [
                                "HSET",
                                room_key(code, "votes", activity.id, str(r.number)),
                                pid,
                                json.dumps({"card": vote.card, "reason": vote.reason}),
                            ]
                        )
            else:
                meta = {"kind": "ideas", "q": activity.prompt}
                ops += restore_ops(code, activity)
            ops += [
                ["HSET", room_key(code, "items"), activity.id, json.dumps(meta)],
                ["RPUSH", room_key(code, "agenda"), activity.id],
            ]
        if room.current_id:
            ops.append(["HSET", room_key(code, "room"), "current", room.current_id])
        await self.change(code, ops)

    async def delete_room(self, code: str) -> None:
        """Every key of the room, at once; then every process closes the room's sockets."""
        await self._delete(keys=[room_key(code, "room"), room_key(code, "keys")], args=[events_channel(code)])
        for key in await self.keys_of(code):  # defence in depth: anything that ever escaped the key registry
            await self.redis.delete(key)
        if self.compact_after_delete:  # the append-only file would keep the room until its next rewrite
            with contextlib.suppress(redis.ResponseError):  # a rewrite already running includes the deletion
                await self.redis.bgrewriteaof()

    async def _votes(self, code: str, rounds: dict[str, int]) -> dict[str, dict[int, dict[str, Vote]]]:
        """The votes of every round of the given items, in one round trip."""
        wanted = [(item, n) for item, count in rounds.items() for n in range(1, count + 1)]
        if not wanted:
            return {}
        async with self.redis.pipeline(transaction=True) as pipe:
            for item, n in wanted:
                pipe.hgetall(room_key(code, "votes", item, str(n)))
            raw = await pipe.execute()
        votes: dict[str, dict[int, dict[str, Vote]]] = {}
        for (item, n), by_pid in zip(wanted, raw, strict=True):
            votes.setdefault(item, {})[n] = {pid: _load_vote(v) for pid, v in by_pid.items()}
        return votes

    async def keys_of(self, code: str) -> list[str]:
        """Every key the room has in Redis (for tests and, later, deletion)."""
        return sorted([k async for k in self.redis.scan_iter(match=room_key(code, "*"))])

    async def secret_key(self) -> str:
        """The cookie-signing key all app processes share: made once, kept in Redis."""
        await self.redis.set("workshop:secret-key", secrets.token_urlsafe(32), nx=True)
        return str(await self.redis.get("workshop:secret-key"))


def _rounds(flags: tuple[bool, ...]) -> str:
    """Rounds of an item as one string, "RRO": two revealed rounds, then an open one. Compared whole."""
    return "".join("R" if revealed else "O" for revealed in flags)


def _parse_rounds(raw: str) -> tuple[bool, ...]:
    return tuple(ch == "R" for ch in raw)


def _dump_person(p: Participant) -> str:
    return json.dumps({"name": p.name, "org": p.org, "role": p.role.value, "proxy": p.by_facilitator})


def _load_person(pid: str, raw: str) -> Participant:
    data = json.loads(raw)
    return Participant(pid, data["name"], data["org"], Role(data["role"]), data.get("proxy", False))


def _load_vote(raw: str) -> Vote:
    data = json.loads(raw)
    return Vote(data["card"], data.get("reason", ""))
