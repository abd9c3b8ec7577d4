"""Estimates (planning poker) in Redis.

The rounds of every estimate are one field of the room's ``rounds`` hash ("RRO": two revealed rounds, then an open
one), compared whole, so reveal and re-vote are compare-and-set. Votes live in a hash per round, one field per
participant, so 200 phones voting at once never contend.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis

from .change import Change, Rejected, equals, present
from .domain.poker import Deck, Item, Round, Vote
from .keys import room_key

if TYPE_CHECKING:
    from .store import Store

KIND = "estimate"


def meta(item: Item) -> dict[str, Any]:
    return {"kind": KIND, "q": item.question, "deck": item.deck.kind, "cards": item.deck.cards}


def write_ops(code: str, item: Item) -> list[list[Any]]:
    """Every write of a whole estimate: its rounds and their votes (a new one has an open round and no votes)."""
    ops: list[list[Any]] = [["HSET", room_key(code, "rounds"), item.id, _rounds(item.revealed_rounds)]]
    for r in item.rounds:
        for pid, vote in r.votes.items():
            ops.append(["HSET", room_key(code, "votes", item.id, str(r.number)), pid, _dump_vote(vote)])
    return ops


def delete_ops(code: str, item: Item) -> list[list[Any]]:
    """The writes that remove an estimate with its rounds and votes."""
    ops: list[list[Any]] = [["HDEL", room_key(code, "items"), item.id], ["HDEL", room_key(code, "rounds"), item.id]]
    ops += [["DEL", room_key(code, "votes", item.id, str(n))] for n in range(1, item.round + 1)]
    return ops


async def load_many(
    redis: aioredis.Redis, code: str, wanted: Sequence[tuple[str, dict[str, Any], bool]]
) -> dict[str, Item]:
    """Estimates by id: the round flags of all, the votes of those wanted in detail, in two round trips."""
    if not wanted:
        return {}
    ids = [item_id for item_id, _, _ in wanted]
    flags = await redis.hmget(room_key(code, "rounds"), ids)
    rounds = {item_id: _parse_rounds(str(raw or "O")) for item_id, raw in zip(ids, flags, strict=True)}
    detailed = [(item_id, n) for item_id, _, full in wanted if full for n in range(1, len(rounds[item_id]) + 1)]
    votes: dict[str, dict[int, dict[str, Vote]]] = {}
    if detailed:
        async with redis.pipeline(transaction=True) as pipe:
            for item_id, n in detailed:
                pipe.hgetall(room_key(code, "votes", item_id, str(n)))
            raw = await pipe.execute()
        for (item_id, n), by_pid in zip(detailed, raw, strict=True):
            votes.setdefault(item_id, {})[n] = {pid: _load_vote(v) for pid, v in by_pid.items()}
    loaded = {}
    for item_id, data, _ in wanted:
        by_round = votes.get(item_id, {})
        history = tuple(Round(n, rounds[item_id][n - 1], by_round[n]) for n in sorted(by_round))
        deck = Deck(data["deck"], tuple(data["cards"]))
        loaded[item_id] = Item(item_id, data["q"], deck, rounds[item_id], history)
    return loaded


class EstimatesStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def save_vote(self, code: str, item: Item, pid: str, vote: Vote) -> None:
        """Store a vote while the round is as the voter saw it; rejected if revealed or restarted meanwhile."""
        votes = room_key(code, "votes", item.id, str(item.round))
        await self.store.apply(
            code,
            Change.of(
                [["HSET", votes, pid, _dump_vote(vote)]],
                [
                    equals(room_key(code, "rounds"), item.id, _rounds(item.revealed_rounds)),
                    present(room_key(code, "people"), pid),
                ],
            ),
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
            await self.store.apply(
                code,
                Change.of(
                    [["HSET", rounds, item.id, _rounds(after)]],
                    [equals(rounds, item.id, _rounds(item.revealed_rounds))],
                ),
            )
        except Rejected:
            return False
        return True


def _rounds(flags: tuple[bool, ...]) -> str:
    return "".join("R" if revealed else "O" for revealed in flags)


def _parse_rounds(raw: str) -> tuple[bool, ...]:
    return tuple(ch == "R" for ch in raw)


def _dump_vote(vote: Vote) -> str:
    return json.dumps({"card": vote.card, "reason": vote.reason})


def _load_vote(raw: str) -> Vote:
    data = json.loads(raw)
    return Vote(data["card"], data.get("reason", ""))
