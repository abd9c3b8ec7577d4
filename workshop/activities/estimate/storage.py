"""Estimates in Redis.

The rounds of every estimate are one field of the room's ``rounds`` hash ("RRO": two revealed rounds, then an open
one), compared whole, so reveal and re-vote are compare-and-set. Votes live in a hash per round, one field per
participant, so 200 phones voting at once never contend.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from ...change import Change, Op, equals, present
from ...keys import room_key
from ...mirror import RawRoom
from ..kind import Wanted
from .rules import Deck, Estimate, Round, Vote


def meta(estimate: Estimate) -> dict[str, Any]:
    return {"kind": Estimate.kind, "q": estimate.question, "deck": estimate.deck.kind, "cards": estimate.deck.cards}


def write_ops(code: str, estimate: Estimate) -> list[Op]:
    """Every write of a whole estimate: its rounds and their votes (a new one has an open round and no votes)."""
    ops: list[Op] = [("HSET", room_key(code, "rounds"), estimate.id, _rounds(estimate.revealed_rounds))]
    for r in estimate.rounds:
        for pid, vote in r.votes.items():
            ops.append(("HSET", room_key(code, "votes", estimate.id, str(r.number)), pid, _dump_vote(vote)))
    return ops


def delete_ops(code: str, estimate: Estimate) -> list[Op]:
    """The writes that remove an estimate with its rounds and votes."""
    ops: list[Op] = [("HDEL", room_key(code, "items"), estimate.id), ("HDEL", room_key(code, "rounds"), estimate.id)]
    ops += [("DEL", room_key(code, "votes", estimate.id, str(n))) for n in range(1, estimate.round + 1)]
    return ops


def read(raw: RawRoom, code: str, wanted: Wanted) -> dict[str, Estimate]:
    """Estimates by id from the room's keys: the round flags of all, the votes of those wanted in detail."""
    flags = raw.hash(room_key(code, "rounds"))
    loaded = {}
    for estimate_id, data, full in wanted:
        rounds = _parse_rounds(flags.get(estimate_id) or "O")
        history: tuple[Round, ...] = ()
        if full:
            history = tuple(_round(raw, code, estimate_id, n, revealed) for n, revealed in enumerate(rounds, start=1))
        deck = Deck(data["deck"], tuple(data["cards"]))
        loaded[estimate_id] = Estimate(estimate_id, data["q"], deck, rounds, history)
    return loaded


def _round(raw: RawRoom, code: str, estimate_id: str, n: int, revealed: bool) -> Round:
    """A round with its votes: the same object while its votes are not written (its results are worked out once)."""
    key = room_key(code, "votes", estimate_id, str(n))
    name = key.split("}:", 1)[1]
    return raw.derived(name, revealed, lambda: Round(n, revealed, _votes(raw.hash(key))))


def _votes(stored: Mapping[str, str]) -> dict[str, Vote]:
    return {pid: _load_vote(v) for pid, v in stored.items()}


def save_vote(code: str, estimate: Estimate, pid: str, vote: Vote, *, joining: bool = False) -> Change:
    """A vote, while the round is as the voter saw it (not revealed or restarted meanwhile) and they are still in
    (or, `joining`, come in with the same change)."""
    in_round = equals(room_key(code, "rounds"), estimate.id, _rounds(estimate.revealed_rounds))
    still_in = () if joining else (present(room_key(code, "people"), pid),)
    return Change.of(
        [("HSET", room_key(code, "votes", estimate.id, str(estimate.round)), pid, _dump_vote(vote))],
        [in_round, *still_in],
    )


def reveal(code: str, estimate: Estimate) -> Change:
    """Reveal the open round, if nobody moved the estimate on first."""
    return _move_rounds(code, estimate, (*estimate.revealed_rounds[:-1], True))


def new_round(code: str, estimate: Estimate) -> Change:
    """Start the next round of the estimate as the facilitator saw it."""
    return _move_rounds(code, estimate, (*estimate.revealed_rounds, False))


def _move_rounds(code: str, estimate: Estimate, after: tuple[bool, ...]) -> Change:
    rounds = room_key(code, "rounds")
    return Change.of(
        [("HSET", rounds, estimate.id, _rounds(after))],
        [equals(rounds, estimate.id, _rounds(estimate.revealed_rounds))],
    )


def _rounds(flags: tuple[bool, ...]) -> str:
    return "".join("R" if revealed else "O" for revealed in flags)


def _parse_rounds(raw: str) -> tuple[bool, ...]:
    return tuple(ch == "R" for ch in raw)


def _dump_vote(vote: Vote) -> str:
    return json.dumps({"card": vote.card, "reason": vote.reason})


@functools.lru_cache(maxsize=65536)
def _load_vote(raw: str) -> Vote:
    data = json.loads(raw)
    return Vote(data["card"], data.get("reason", ""))
