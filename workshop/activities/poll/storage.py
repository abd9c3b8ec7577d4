"""Polls in Redis.

Per poll P: its question and setup live in the room's ``items`` hash (they never change); a hash ``…:poll:P`` with
its state (``open``, ``revealed``), and a hash ``…:poll:P:answers`` with one field per participant, so a room full
of phones answering at once never contends. An answer is taken only while the poll is open, in the same atomic step.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from ...change import Change, Op, equals, present
from ...keys import room_key
from ...mirror import RawRoom
from ..kind import Wanted
from .rules import Answer, Poll


def _k(code: str, poll: str, *parts: str) -> str:
    return room_key(code, "poll", poll, *parts)


def meta(poll: Poll) -> dict[str, Any]:
    return {
        "kind": Poll.kind,
        "q": poll.question,
        "form": poll.form,
        "options": list(poll.options),
        "scale": poll.scale,
        "live": poll.live,
        "named": poll.named,
    }


def write_ops(code: str, poll: Poll) -> list[Op]:
    """Every write of a whole poll (a new one, or one from an archive)."""
    ops: list[Op] = [("HSET", _k(code, poll.id), "open", int(poll.open), "revealed", int(poll.revealed))]
    ops += [("HSET", _k(code, poll.id, "answers"), pid, _dump(answer)) for pid, answer in poll.answers.items()]
    return ops


def delete_ops(code: str, poll: Poll) -> list[Op]:
    return [
        ("HDEL", room_key(code, "items"), poll.id),
        ("DEL", _k(code, poll.id)),
        ("DEL", _k(code, poll.id, "answers")),
    ]


def read(raw: RawRoom, code: str, wanted: Wanted) -> dict[str, Poll]:
    """Polls by id from the room's keys: with their state and answers where wanted in detail, else their setup."""
    loaded = {}
    for poll_id, data, full in wanted:
        poll = Poll(
            poll_id,
            data["q"],
            data["form"],
            tuple(data.get("options", ())),
            data.get("scale", ""),
            bool(data.get("live")),
            bool(data.get("named")),
        )
        if full:
            state, answers = raw.hash(_k(code, poll_id)), raw.hash(_k(code, poll_id, "answers"))
            poll = Poll(
                poll.id,
                poll.question,
                poll.form,
                poll.options,
                poll.scale,
                poll.live,
                poll.named,
                state.get("revealed") == "1",
                state.get("open", "1") == "1",
                {pid: _load(a) for pid, a in answers.items()},
            )
        loaded[poll_id] = poll
    return loaded


def answer(code: str, poll: Poll, pid: str, given: Answer) -> Change:
    """An answer (or a changed one), while the poll takes answers and the person is in the room."""
    return Change.of(
        [("HSET", _k(code, poll.id, "answers"), pid, _dump(given))],
        [equals(_k(code, poll.id), "open", "1"), present(room_key(code, "people"), pid)],
    )


def reveal(code: str, poll: Poll) -> Change:
    """Show the result; answering ends."""
    return Change.of(
        [("HSET", _k(code, poll.id), "revealed", 1, "open", 0)], [equals(_k(code, poll.id), "revealed", "0")]
    )


def reopen(code: str, poll: Poll) -> Change:
    """Take answers again; the result hides again unless it shows live."""
    return Change.of([("HSET", _k(code, poll.id), "revealed", 0, "open", 1)], [equals(_k(code, poll.id), "open", "0")])


def _dump(given: Answer) -> str:
    return json.dumps({"c": list(given.choices), "t": given.text})


@functools.lru_cache(maxsize=65536)
def _load(raw: str) -> Answer:
    data = json.loads(raw)
    return Answer(tuple(data.get("c", ())), data.get("t", ""))
