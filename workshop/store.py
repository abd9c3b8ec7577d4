"""Rooms in Redis.

Every key of a room carries the room's code as a hash tag (``workshop:{KXR7MPQH}:…``). Every change goes
through one Lua script that checks its preconditions, writes, bumps the room's revision, keeps every key of the room
on one expiry, and publishes the new revision with the change itself, atomically: an accepted change is in Redis
before anyone hears of it, a late vote cannot slip into a revealed round, and no key outlives its room.

One expiry: a key a change creates gets the room's remaining time; once that has dropped by `RENEW_MS` (a minute, or
a tenth of the TTL), the change renews all the room's keys together. So a room lives between TTL − 1 min and TTL
after its last change, every key of it expires in the same millisecond, and a change costs no more Redis commands for
a big room than for a small one (workshop/mirror.py replays the published change in every process). A room with an
end of its own (`ends`, a rehearsal) is always short of time, so each of its changes sets every key to that end.

Here: the `Store` (applying changes, loading a room as one snapshot, creating, restoring and deleting rooms,
presence), and the changes of a room as a whole: its people, its working groups with their agendas and timers. Each
kind of activity keeps its own keys (workshop/activities/<kind>/storage.py); the store reaches them only through
the kinds it is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import redis
from redis.asyncio.cluster import RedisCluster
from redis.commands.core import AsyncScript
from redis.exceptions import ClusterError, TryAgainError

from .change import Change, Check, Op, Rejected, absent, equals, length, present, put, shorter
from .domain.errors import NOT_SAFELY_STORED, ROOM_NOT_FOUND, NotFound, NotSafelyStored
from .domain.rooms import Activity, Group, Participant, Role, Room
from .domain.timer import Timer
from .domain.visibility import Generations
from .keys import SECRET_KEY, events_channel, room_key
from .mirror import Mirror, RawRoom, from_dump
from .redis_urls import Client

GENERATION = "fac_gen"  # of a facilitator link, in the room's hash and in a group's (workshop/links.py)
ENDS = "ends"  # in the room's hash: when every key of the room expires (ms since the epoch), whatever its activity
LEGACY_GROUP = "main"  # the group a room from before working groups gets
PRESENCE_MS = 60_000  # a connection counts as present this long after its last sign of life
GRACE_MS = 30_000  # someone whose phone just dropped is still expected to vote this long (no early auto-reveal)
GONE = "gone"  # the presence entry of someone who left a moment ago: "gone|<pid>"
RENEW_MS = 60_000  # how much of its time a room may lose before a change renews all its keys (at most a tenth)
REACH_SECONDS = 1.0  # how long a read waits for this process to hear its own write, before it reads Redis
UNDECLARED = "undeclared"  # a script's answer: it needs these keys of the room declared, too
DECLARING_ATTEMPTS = 5
MOVING_SECONDS = 10.0  # how long a change waits for a cluster to finish moving the room's slot (its keys)
KNOWN_ROOMS = 4096  # rooms whose keys this process remembers, to declare them at once on the next read
WAIT_MS = 1000  # how long a change waits for `wait_replicas` replicas before it answers NotSafelyStored
PUBLISHED_MAX = 64_000  # a change published whole up to this size (JSON); a bigger one (a restore): its revision only


class KindStorage(Protocol):
    """What the store (and the room's commands, through it) need of a kind of activity; workshop/activities/kind.py
    has the whole record."""

    @property
    def meta(self) -> Any: ...  # (activity) -> dict kept in the room's `items` hash: the kind and its title

    @property
    def write_ops(self) -> Any: ...  # (code, activity) -> every write of a whole activity

    @property
    def delete_ops(self) -> Any: ...  # (code, activity loaded in detail) -> the writes that remove it whole

    @property
    def read(self) -> Any: ...  # (raw room, code, wanted) -> {id: activity}

    @property
    def settle(self) -> Any: ...  # (code, group view) -> the change it makes by itself now, if any (auto-reveal)


# Every key a script touches is declared in KEYS: the room's hash, its key registry, its `once` hash, then the keys
# of the change (and, when the room's keys are renewed, every key of the room). A key of the room's registry that is
# not declared makes the script stop before it writes anything and answer the list of them; the store declares them
# and asks again. So the scripts work on a Redis Cluster also while the room's slot moves (a key touched undeclared
# there fails once the key has moved).
_DECLARED = """
local declared = {}
for _, key in ipairs(KEYS) do declared[key] = true end
local function undeclared()
  local missing = {'undeclared'}
  for _, key in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if not declared[key] then missing[#missing + 1] = key end
  end
  if #missing > 1 then return missing end
end
"""

_APPLY = (
    _DECLARED
    + """
local change = cjson.decode(ARGV[3])
local left = redis.call('PTTL', KEYS[1])
if (left == -2) ~= (ARGV[6] == 'new') then return -1 end
if change.once ~= '' and redis.call('HEXISTS', KEYS[3], change.once) == 1 then return 0 end
for i, check in ipairs(change.checks) do
  local test, key, field, value = check[1], check[2], check[3], check[4]
  local ok
  if test == 'length' then ok = redis.call('LLEN', key) == value
  elseif test == 'shorter' then ok = redis.call('LLEN', key) < value
  elseif test == 'longer' then ok = redis.call('LLEN', key) > value
  else
    local actual = redis.call('HGET', key, field)
    if test == 'present' then ok = actual ~= false
    elseif test == 'absent' then ok = actual == false
    elseif test == 'equals' then ok = actual == value
    elseif test == 'below' then ok = (tonumber(actual) or 0) < value
    else return redis.error_reply('unknown precondition ' .. tostring(test)) end
  end
  if not ok then return -1 - i end
end
local ending = false  -- the change gives the room an end of its own: every key gets it now
for _, op in ipairs(change.ops) do
  if op[1] == 'HSET' and op[2] == KEYS[1] then
    for j = 3, #op, 2 do ending = ending or op[j] == 'ends' end
  end
end
local ttl = tonumber(ARGV[1])
local renewing = ending or left < ttl - tonumber(ARGV[4])
if renewing then
  local missing = undeclared()
  if missing then return missing end
end
local fresh = {}
local function written(key)
  if redis.call('PTTL', key) == -1 then fresh[#fresh + 1] = key end
end
for _, op in ipairs(change.ops) do
  redis.call(unpack(op))
  written(op[2])
end
if change.once ~= '' then
  redis.call('HSET', KEYS[3], change.once, 1)
  written(KEYS[3])
end
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
if renewing then
  for _, key in ipairs(fresh) do redis.call('SADD', KEYS[2], key) end
  redis.call('SADD', KEYS[2], KEYS[1])
  local ends = redis.call('HGET', KEYS[1], 'ends')  -- a room with an end of its own (a rehearsal): its keys end then
  for _, key in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if ends then redis.call('PEXPIREAT', key, ends) else redis.call('PEXPIRE', key, ttl) end
  end
  if ends then redis.call('PEXPIREAT', KEYS[2], ends) else redis.call('PEXPIRE', KEYS[2], ttl) end
else
  for _, key in ipairs(fresh) do
    redis.call('SADD', KEYS[2], key)
    redis.call('PEXPIRE', key, left)
  end
end
if #ARGV[3] <= tonumber(ARGV[5]) then
  redis.call(ARGV[7], ARGV[2], rev .. ' ' .. ARGV[3])
else
  redis.call(ARGV[7], ARGV[2], rev)
end
return rev
"""
)

_DUMP = (
    _DECLARED
    + """
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then return {} end
local missing = undeclared()
if missing then return missing end
local out = {rev}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if key ~= KEYS[3] then
    local kind = redis.call('TYPE', key).ok
    local contents
    if kind == 'hash' then contents = redis.call('HGETALL', key)
    elseif kind == 'list' then contents = redis.call('LRANGE', key, 0, -1)
    elseif kind == 'zset' then contents = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    end
    if contents then
      out[#out + 1] = key
      out[#out + 1] = kind
      out[#out + 1] = contents
    end
  end
end
return out
"""
)

_DELETE = (
    _DECLARED
    + """
local missing = undeclared()
if missing then return missing end
local keys = redis.call('SMEMBERS', KEYS[2])
for _, key in ipairs(keys) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call(ARGV[2], ARGV[1], 'deleted')
return #keys
"""
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(
        self,
        redis: Client,
        ttl_seconds: float,
        kinds: Mapping[str, KindStorage],
        *,
        compact_after_delete: bool = False,
        wait_replicas: int = 0,
    ) -> None:
        self.redis = redis
        self.kinds = kinds
        self.cluster = isinstance(redis, RedisCluster)
        self._publish = "SPUBLISH" if self.cluster else "PUBLISH"  # a cluster: to the room's node only
        self.wait_replicas = wait_replicas
        self._known: dict[str, tuple[str, ...]] = {}  # the other keys of rooms read lately, declared at the next read
        self.compact_after_delete = compact_after_delete  # our own embedded Redis: rewrite its append-only file
        self.ttl_ms = max(1000, int(ttl_seconds * 1000))
        self._apply = redis.register_script(_APPLY)
        self._delete = redis.register_script(_DELETE)
        self._dump = redis.register_script(_DUMP)
        self.mirrors: dict[str, Mirror] = {}  # the rooms this process follows (workshop/mirror.py)
        self._written: dict[str, int] = {}  # the last revision this process wrote, of each room it follows

    async def apply(self, code: str, change: Change, *, new_room: bool = False) -> int:
        """Apply a change if the room exists (or, with `new_room`, does not yet) and all its preconditions hold;
        return the new revision, or raise NotFound (FileExistsError for a new room) or Rejected. A change whose
        `once` key was applied before changes nothing and returns 0. Every write of a room goes through here."""
        checks = list(change.checks)
        spec = json.dumps({"checks": checks, "ops": [[str(x) for x in op] for op in change.ops], "once": change.once})
        keys = [*_fixed_keys(code), *change.keys]
        renew = min(RENEW_MS, self.ttl_ms // 10)
        args: list[str | int] = [
            self.ttl_ms,
            events_channel(code),
            spec,
            renew,
            PUBLISHED_MAX,
            "new" if new_room else "existing",
            self._publish,
        ]
        result = int(await self._declaring(self._apply, code, keys, args, replicated=True))
        if result == -1:  # the room's hash is there, or not, against what the change expected
            if new_room:
                raise FileExistsError(code)
            raise NotFound(ROOM_NOT_FOUND)
        if result < 0:
            raise Rejected(checks[-result - 2])
        if code in self.mirrors:
            self._written[code] = max(result, self._written.get(code, 0))
        return result

    # -- whole rooms ----------------------------------------------------------------------------------------------

    async def create_room(self, room: Room, facilitator_token: str) -> None:
        """A new room with its groups (a new room has one); FileExistsError if its code is taken."""
        await self.apply(room.code, Change.of(_room_ops(room, facilitator_token)), new_room=True)

    async def restore(self, room: Room, facilitator_token: str) -> None:
        """Write a whole room (from an archive) under its new code: people, groups, agendas, every activity, in one
        change (FileExistsError if the code is taken)."""
        code = room.code
        ops = _room_ops(room, facilitator_token)
        for p in room.participants.values():
            ops += [
                ("HSET", room_key(code, "people"), p.id, _dump_person(p)),
                ("RPUSH", room_key(code, "arrivals"), p.id),
            ]
        for activity in room.activities.values():
            ops += self._activity_ops(code, activity)
        await self.apply(code, Change.of(ops), new_room=True)

    def _activity_ops(self, code: str, activity: Activity) -> list[Op]:
        kind = self.kinds[activity.kind]
        return [
            ("HSET", room_key(code, "items"), activity.id, json.dumps(kind.meta(activity))),
            *kind.write_ops(code, activity),
        ]

    def add_activity(self, code: str, group: str, activity: Activity, *, make_current: bool) -> Change:
        """Put an activity on a group's agenda, with the writes of its own kind; the one way any kind is added."""
        ops = [*self._activity_ops(code, activity), ("RPUSH", room_key(code, "agenda", group), activity.id)]
        if make_current:
            ops.append(("HSET", room_key(code, "group", group), "current", activity.id))
        checks = [absent(room_key(code, "items"), activity.id), present(room_key(code, "group", group), "name")]
        return Change.of(ops, checks)

    def add_child(self, code: str, activity: Activity) -> Change:
        """An activity that belongs to another (a board section's quick estimate), not to an agenda."""
        return Change.of(self._activity_ops(code, activity), [absent(room_key(code, "items"), activity.id)])

    def remove_activity(self, code: str, group: Group, activities: Sequence[Activity]) -> Change:
        """Take an activity off its group's agenda and delete it with everything in it (`activities`: it, then its
        children, loaded in detail), if the agenda is as the facilitator saw it and the activity is not on screen."""
        agenda, current = room_key(code, "agenda", group.id), room_key(code, "group", group.id)
        ops: list[Op] = [("LREM", agenda, 0, activities[0].id)]
        for doomed in activities:
            ops += self.kinds[doomed.kind].delete_ops(code, doomed)
        checks = [length(agenda, len(group.agenda)), equals(current, "current", group.current_id or "")]
        return Change.of(ops, checks)

    async def delete_room(self, code: str) -> None:
        """Every key of the room, at once; then every process closes the room's sockets."""
        args = [events_channel(code), self._publish]
        await self._declaring(self._delete, code, _fixed_keys(code), args, replicated=True, known=True)
        self._known.pop(code, None)
        if self.compact_after_delete:  # the append-only file would keep the room until its next rewrite
            with contextlib.suppress(redis.ResponseError):  # a rewrite already running includes the deletion
                await self.redis.bgrewriteaof()

    async def _declaring(
        self,
        script: AsyncScript,
        code: str,
        keys: Sequence[str],
        args: Sequence[str | int],
        *,
        replicated: bool = False,
        known: bool = False,
    ) -> Any:
        """Run one of the room's scripts with `keys` declared, and every other key of the room that it asks for
        (`known`: the keys this process saw the room have last, declared at once). `replicated`: a write, which
        with `wait_replicas` counts as done once that many replicas have it (else NotSafelyStored)."""
        extra = self._known.get(code, ()) if known else ()
        for _ in range(DECLARING_ATTEMPTS):
            declared = list(dict.fromkeys([*keys, *extra]))
            result = await self._patiently(script, declared, args, replicated=replicated)
            if not (isinstance(result, list) and result and result[0] == UNDECLARED):
                if known and extra:
                    self._remember(code, extra)
                return result
            extra = (*extra, *map(str, result[1:]))
        raise redis.ResponseError(f"the keys of a room kept changing for {DECLARING_ATTEMPTS} tries")

    async def _patiently(
        self, script: AsyncScript, keys: Sequence[str], args: Sequence[str | int], *, replicated: bool
    ) -> Any:
        """Run a script; while a cluster moves the room's slot and has some of its keys on each side, it refuses
        scripts over several keys (TRYAGAIN): wait for the move to end, up to `MOVING_SECONDS`."""
        deadline = time.monotonic() + MOVING_SECONDS
        while True:
            try:
                if replicated and self.wait_replicas:
                    return await self._replicated(script, keys, args)
                return await script(keys=keys, args=args)
            except (TryAgainError, ClusterError):  # ClusterError: redis-py's own retries of TRYAGAIN ran out
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)

    def _remember(self, code: str, keys: Sequence[str]) -> None:
        self._known.pop(code, None)
        self._known[code] = tuple(keys)
        while len(self._known) > KNOWN_ROOMS:
            del self._known[next(iter(self._known))]

    async def _replicated(self, script: AsyncScript, keys: Sequence[str], args: Sequence[str | int]) -> Any:
        """The script, then WAIT on the same connection (WAIT counts the replicas that have this connection's
        writes): its answer once `wait_replicas` replicas have it, NotSafelyStored if they do not within a time."""
        async with self.redis.pipeline(transaction=False) as pipe:
            await script(keys=keys, args=args, client=pipe)  # type: ignore[arg-type]  # redis-py takes a pipeline
            pipe.execute_command("WAIT", self.wait_replicas, WAIT_MS)
            result, acknowledged = await pipe.execute()
        if int(acknowledged) < self.wait_replicas:
            # Perhaps this primary is one no more (a failover under way): the next connections ask the sentinels.
            if not isinstance(self.redis, RedisCluster):  # (WAIT is not for a cluster: config.py)
                await self.redis.connection_pool.disconnect(inuse_connections=False)
            raise NotSafelyStored(NOT_SAFELY_STORED)
        return result

    async def keys_of(self, code: str) -> list[str]:
        """Every key the room has in Redis (for tests, to make sure a deletion left nothing)."""
        return sorted([k async for k in self.redis.scan_iter(match=room_key(code, "*"))])

    async def exists(self, code: str) -> bool:
        return bool(await self.redis.hexists(room_key(code, "room"), "title"))

    async def secret_key(self) -> str:
        """The cookie-signing key all app processes share: made once, kept in Redis (the one key of no room; alone
        in its slot on a cluster, read and written by itself)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.set(SECRET_KEY, secrets.token_urlsafe(32), nx=True)
            if self.wait_replicas:  # a key made now and lost in a failover would sign every browser out
                pipe.execute_command("WAIT", self.wait_replicas, WAIT_MS)
            pipe.get(SECRET_KEY)
            *_, key = await pipe.execute()
        return str(key)

    # -- presence -----------------------------------------------------------------------------------------------

    async def arrive(self, code: str, connection: str, pid: str, *, most: int | None = None) -> bool:
        """A participant's browser connected; everyone's views hear of it. With `most`: refused (False) while that
        person has as many connections open already, counted again after the arrival so that racing ones do not
        all get in."""
        if most is not None and await self._connections_of(code, pid) >= most:
            return False
        member = f"{connection}|{pid}"
        await self.apply(code, Change.of([("ZADD", room_key(code, "presence"), _now() + PRESENCE_MS, member)]))
        if most is not None:
            count = await self._connections_of(code, pid)
            if count == most:  # at the limit: another process's arrival may not have reached this one's copy yet
                count = await self._connections_of(code, pid, exact=True)
            if count > most:
                await self.leave(code, connection, pid)
                return False
        return True

    async def _connections_of(self, code: str, pid: str, *, exact: bool = False) -> int:
        """How many sockets this person has open in the room: from this process's copy of it if it follows the room
        (with this process's own arrivals in), else (or `exact`) from Redis."""
        key, now = room_key(code, "presence"), _now()
        mirror = None if exact else self.mirrors.get(code)
        raw = await mirror.reach(self._written.get(code, 0), REACH_SECONDS) if mirror else None
        if raw is not None:
            present = [member for member, until in raw.zset(key).items() if until >= now]
        else:
            present = [str(member) for member in await self.redis.zrangebyscore(key, now, "+inf")]
        mine = [str(member) for member in present if str(member).rsplit("|", 1)[-1] == pid]
        return sum(1 for member in mine if not member.startswith(GONE + "|"))  # a moment ago is not open now

    async def leave(self, code: str, connection: str, pid: str) -> None:
        """A browser closed its socket: no longer connected, but still expected for a grace period (a phone that
        drops for a moment, a page reload) before it stops counting among those who vote."""
        key = room_key(code, "presence")
        ops = [("ZREM", key, f"{connection}|{pid}"), ("ZADD", key, _now() + GRACE_MS, f"{GONE}|{pid}")]
        await self.apply(code, Change.of(ops))

    def presence_due(self, code: str) -> float | None:
        """Seconds until someone this process's copy of room `code` counts as connected (or as gone a moment ago)
        stops counting, as time passes with no change at all (their process died without saying goodbye); None if
        no one counts."""
        mirror = self.mirrors.get(code)
        if mirror is None or mirror.raw is None:
            return None
        now = _now()
        ahead = [until for until in mirror.raw.zset(room_key(code, "presence")).values() if until >= now]
        return (min(ahead) - now) / 1000 if ahead else None

    def presence_ran_out(self, code: str) -> None:
        """Time has passed: this process's copy of the room counts again who is connected (see `presence_due`)."""
        mirror = self.mirrors.get(code)
        if mirror is not None:
            mirror.aged("presence")

    async def still_here(self, code: str, members: Iterable[str]) -> None:
        """Renew connections that are still open (XX: a deleted room gets no key back); drop the ones whose
        process died without saying goodbye. A change like any other, so every process's copy of the room
        (workshop/mirror.py) knows who is connected."""
        key = room_key(code, "presence")
        now = _now()
        renewed = [x for member in members for x in (now + PRESENCE_MS, member)]
        ops: list[Op] = [("ZREMRANGEBYSCORE", key, "-inf", now)]
        if renewed:
            ops.insert(0, ("ZADD", key, "XX", *renewed))
        await self.apply(code, Change.of(ops))

    # -- reading ----------------------------------------------------------------------------------------------

    async def load(self, code: str, *, everything: bool = False, fresh: bool = False) -> Room | None:
        """The room as one snapshot: with the details (votes, cards, entries) of each group's current activity and
        its children, or of every activity (`everything`, for the exports)."""
        loaded = await self.load_with_links(code, everything=everything, fresh=fresh)
        return loaded[0] if loaded else None

    async def load_with_links(
        self, code: str, *, everything: bool = False, fresh: bool = False
    ) -> tuple[Room, Generations] | None:
        """The room, and the generations of its facilitator links, read with it (for the sockets: a console whose
        link was replaced is closed). A room this process follows is built from its mirror, once the mirror has
        every change this process made (read your own writes); `fresh` reads Redis (after a lost race)."""
        mirror = None if fresh else self.mirrors.get(code)
        raw = await mirror.reach(self._written.get(code, 0), REACH_SECONDS) if mirror else None
        if mirror is None or raw is None:
            raw = await self.dump(code)
            return self.build(raw, code, everything=everything) if raw is not None else None
        rev, built = mirror.built.get(everything, (-1, None))
        if rev != raw.rev:
            built = self.build(raw, code, everything=everything)
            mirror.built[everything] = (raw.rev, built)
        return built  # type: ignore[no-any-return]

    def follow(self, code: str) -> Mirror:
        """Keep room `code` in this process (its feed hears every change and hands it to `Mirror.hear`)."""
        mirror = self.mirrors.get(code)
        if mirror is None:
            mirror = self.mirrors[code] = Mirror(functools.partial(self.dump, code))
        return mirror

    def unfollow(self, code: str) -> None:
        self.mirrors.pop(code, None)
        self._written.pop(code, None)

    async def dump(self, code: str) -> RawRoom | None:
        """Every key of the room at one revision, read in one atomic script (None: no such room). A room from
        before working groups is rewritten into one group first."""
        keys = _fixed_keys(code)
        raw = from_dump(await self._declaring(self._dump, code, keys, (), known=True))
        if raw is not None and not raw.list(room_key(code, "groups")) and raw.hash(room_key(code, "room")):
            await self._into_one_group(code, dict(raw.hash(room_key(code, "room"))))
            raw = from_dump(await self._declaring(self._dump, code, keys, (), known=True))
        return raw

    def build(self, raw: RawRoom, code: str, *, everything: bool = False) -> tuple[Room, Generations] | None:
        """The room from its keys: with the details (votes, cards, entries) of each group's current activity and its
        children, or of every activity (`everything`, for the exports); and its links' generations."""
        meta = raw.hash(room_key(code, "room"))
        if not meta.get("title"):
            return None
        people = raw.hash(room_key(code, "people"))
        metas = _metas(raw.hash(room_key(code, "items")))
        group_ids = raw.list(room_key(code, "groups"))
        raw_groups = [raw.hash(room_key(code, "group", g)) for g in group_ids]
        groups = tuple(
            _load_group(gid, data, tuple(a for a in raw.list(room_key(code, "agenda", gid)) if a in metas))
            for gid, data in zip(group_ids, raw_groups, strict=True)
        )
        detailed = set(metas) if everything else {g.current_id for g in groups if g.current_id}
        activities = self._activities(raw, code, metas, detailed)
        children = {c for a in detailed if a in activities for c in activities[a].children} - detailed
        if children:  # the children of an activity on screen (a board's quick estimates): in detail, too
            activities.update(self._activities(raw, code, {c: metas[c] for c in children if c in metas}, children))
        links = Generations(
            int(meta.get(GENERATION, 0)),
            {g.id: int(d.get(GENERATION, 0)) for g, d in zip(groups, raw_groups, strict=True)},
        )
        now = _now()
        present = [member for member, until in raw.zset(room_key(code, "presence")).items() if until >= now]
        room = Room(
            code=code,
            title=meta["title"],
            created=meta.get("created", ""),
            ask_org=meta.get("ask_org") == "1",
            auto_reveal=meta.get("auto_reveal") == "1",
            choose_group=meta.get("choose_group", "1") == "1",
            join_big=meta.get("join_big") == "1",
            participants={
                pid: _load_person(pid, people[pid]) for pid in raw.list(room_key(code, "arrivals")) if pid in people
            },
            activities=_in_agenda_order(activities, groups),
            groups=groups,
            projected=meta.get("projected", ""),
            language=meta.get("lang", ""),
            online=frozenset(member.rsplit("|", 1)[1] for member in present if not member.startswith(GONE + "|")),
            around=frozenset(member.rsplit("|", 1)[1] for member in present),
            rev=raw.rev,
        )
        return room, links

    async def _into_one_group(self, code: str, meta: dict[str, str]) -> list[str]:
        """Rooms written before working groups had one agenda list and the current activity in the room hash; they
        are rewritten once (whoever loads them first; a second process finds the group there and changes nothing)."""
        agenda = tuple(map(str, await self.redis.lrange(room_key(code, "agenda"), 0, -1)))
        group = Group(LEGACY_GROUP, "Arbeitsgruppe 1", agenda, meta.get("current") or None)
        with contextlib.suppress(Rejected, NotFound):
            await self.apply(
                code,
                Change.of(
                    [*_group_ops(code, group), ("DEL", room_key(code, "agenda"))], [length(room_key(code, "groups"), 0)]
                ),
            )
        return [str(g) for g in await self.redis.lrange(room_key(code, "groups"), 0, -1)]

    def _activities(
        self, raw: RawRoom, code: str, metas: Mapping[str, dict[str, Any]], detailed: set[str]
    ) -> dict[str, Any]:
        """Each kind reads its own activities."""
        activities: dict[str, Any] = {}
        for kind in self.kinds:
            wanted = [(a, data, a in detailed) for a, data in metas.items() if data.get("kind", "estimate") == kind]
            if wanted:
                activities.update(self.kinds[kind].read(raw, code, wanted))
        return activities


# -- the changes of a room as a whole --------------------------------------------------------------------------------


def join(code: str, person: Participant) -> Change:
    """A new participant (a second submit of the same join form finds them in: rejected)."""
    people = room_key(code, "people")
    return Change.of(
        [("HSET", people, person.id, _dump_person(person)), ("RPUSH", room_key(code, "arrivals"), person.id)],
        [absent(people, person.id), present(room_key(code, "group", person.group), "name")],
    )


def update_person(code: str, person: Participant, *, new_group: bool = False) -> Change:
    """A participant, changed (moved to another group); they must still be in the room, the group must exist (or,
    `new_group`, be made in the same change)."""
    people = room_key(code, "people")
    group_there = [] if new_group else [present(room_key(code, "group", person.group), "name")]
    return Change.of([("HSET", people, person.id, _dump_person(person))], [present(people, person.id), *group_there])


def set_options(code: str, **options: bool) -> Change:
    return Change.of([("HSET", room_key(code, "room"), *_flat({k: int(v) for k, v in options.items()}))])


def add_group(code: str, group: Group, limit: int) -> Change:
    """A new group, while the room has fewer than `limit`."""
    checks = [absent(room_key(code, "group", group.id), "name"), shorter(room_key(code, "groups"), limit)]
    return Change.of(_group_ops(code, group), checks)


def rename_group(code: str, group: str, name: str) -> Change:
    key = room_key(code, "group", group)
    return Change.of([("HSET", key, "name", name)], [present(key, "name")])


def delete_group(code: str, group: str, members: Iterable[Participant], to: str) -> Change:
    """Remove a group without activities; its members move to group `to`."""
    ops: list[Op] = [
        ("LREM", room_key(code, "groups"), 0, group),
        ("DEL", room_key(code, "group", group)),
        ("DEL", room_key(code, "agenda", group)),
    ]
    checks: list[Check] = [length(room_key(code, "agenda", group), 0), present(room_key(code, "group", to), "name")]
    for person in members:
        ops.append(("HSET", room_key(code, "people"), person.id, _dump_person(_in_group(person, to))))
        checks.append(equals(room_key(code, "people"), person.id, _dump_person(person)))
    return Change.of(ops, checks)


def set_language(code: str, language: str) -> Change:
    return Change.of([("HSET", room_key(code, "room"), "lang", language)])


def set_projected(code: str, group: str) -> Change:
    return Change.of([("HSET", room_key(code, "room"), "projected", group)])


def set_current(code: str, group: str, activity: str) -> Change:
    return Change.of(
        [("HSET", room_key(code, "group", group), "current", activity)],
        [present(room_key(code, "items"), activity), present(room_key(code, "group", group), "name")],
    )


def move_in_agenda(code: str, group: str, agenda: tuple[str, ...], activity: str, before: str | None) -> Change:
    """Move an activity within its group's agenda, as the mover saw the agenda."""
    key = room_key(code, "agenda", group)
    ops = [("LREM", key, 0, activity), put(key, activity, before)]
    return Change.of(ops, [length(key, len(agenda)), present(room_key(code, "items"), activity)])


def set_timer(code: str, group: str, timer: Timer, seen: Timer) -> Change:
    """The group's timer, if it is still as the facilitator saw it (two tabs pausing at once pause once)."""
    key = room_key(code, "group", group)
    fields = {k: v for k, v in _group_fields(Group(group, "", timer=timer)).items() if k.startswith("t_")}
    return Change.of([("HSET", key, *_flat(fields))], [present(key, "name"), equals(key, "t_state", seen.state)])


def set_quiet(code: str, group: str, quiet: bool) -> Change:
    """Whether the group's projector stays silent when its timer runs out."""
    key = room_key(code, "group", group)
    return Change.of([("HSET", key, "quiet", int(quiet))], [present(key, "name")])


# -- layout -----------------------------------------------------------------------------------------------------------


def _room_ops(room: Room, facilitator_token: str) -> list[Op]:
    fields = {
        "title": room.title,
        "created": room.created,
        "fac": token_hash(facilitator_token),
        # Random, not 0: a cookie left from a deleted room whose code is drawn again facilitates nothing here.
        GENERATION: secrets.randbelow(2**31) + 1,
        "ask_org": int(room.ask_org),
        "auto_reveal": int(room.auto_reveal),
        "choose_group": int(room.choose_group),
        "projected": room.projected,
        "lang": room.language,
    }
    ops: list[Op] = [("HSET", room_key(room.code, "room"), *_flat(fields))]
    for group in room.groups:
        ops += _group_ops(room.code, group)
    return ops


def _group_ops(code: str, group: Group) -> list[Op]:
    ops: list[Op] = [
        ("RPUSH", room_key(code, "groups"), group.id),
        ("HSET", room_key(code, "group", group.id), *_flat(_group_fields(group))),
    ]
    ops += [("RPUSH", room_key(code, "agenda", group.id), a) for a in group.agenda]
    return ops


def _fixed_keys(code: str) -> list[str]:
    """The keys every script of a room declares first: its hash, its key registry, its `once` hash."""
    return [room_key(code, "room"), room_key(code, "keys"), room_key(code, "once")]


def _now() -> int:
    return int(time.time() * 1000)


def _flat(fields: dict[str, Any]) -> list[Any]:
    return [x for kv in fields.items() for x in kv]


def _in_agenda_order(activities: dict[str, Any], groups: tuple[Group, ...]) -> dict[str, Activity]:
    """Activities group by group in agenda order, each followed by its children."""
    ordered: dict[str, Activity] = {}
    for group in groups:
        for activity_id in group.agenda:
            activity = activities.get(activity_id)
            if activity is None:
                continue
            ordered[activity_id] = activity
            ordered.update({c: activities[c] for c in activity.children if c in activities})
    return ordered | {a: activity for a, activity in activities.items() if a not in ordered}


def _group_fields(group: Group) -> dict[str, Any]:
    t = group.timer
    return {
        "name": group.name,
        "current": group.current_id or "",
        "t_state": t.state,
        "t_total": t.total_ms,
        "t_end": t.end_ms,
        "t_left": t.left_ms,
        "quiet": int(group.quiet),
    }


def _load_group(gid: str, data: Mapping[str, str], agenda: tuple[str, ...]) -> Group:
    timer = Timer(
        data.get("t_state", "off"), int(data.get("t_total", 0)), int(data.get("t_end", 0)), int(data.get("t_left", 0))
    )
    own_link, quiet = bool(data.get("fac")), data.get("quiet") == "1"
    return Group(gid, data.get("name", ""), agenda, data.get("current") or None, timer, own_link, quiet)


def _in_group(person: Participant, group: str) -> Participant:
    return Participant(person.id, person.name, person.org, person.role, person.by_facilitator, group)


def _dump_person(p: Participant) -> str:
    return json.dumps({"name": p.name, "org": p.org, "role": p.role.value, "proxy": p.by_facilitator, "group": p.group})


def _metas(items: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    return {activity: _meta(raw) for activity, raw in items.items()}


@functools.lru_cache(maxsize=65536)
def _meta(raw: str) -> dict[str, Any]:
    """An activity's meta as stored (read-only: shared by every room built from the same text)."""
    return json.loads(raw)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=65536)
def _load_person(pid: str, raw: str) -> Participant:
    data = json.loads(raw)
    return Participant(
        pid, data["name"], data["org"], Role(data["role"]), data.get("proxy", False), data.get("group", "")
    )
