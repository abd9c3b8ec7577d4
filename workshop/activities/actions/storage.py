"""Action items in Redis, under the activity they belong to: a list of their ids in order of adding
(``…:<kind>:<activity>:actions``) and a hash of each one as JSON (``…:<kind>:<activity>:action``). They go with
their activity: its kind's `delete_ops` and `write_ops` include these."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence

from ...change import Change, Op, present
from ...keys import room_key
from ...mirror import RawRoom
from .rules import Action


def _keys(code: str, kind: str, activity: str) -> tuple[str, str]:
    return room_key(code, kind, activity, "actions"), room_key(code, kind, activity, "action")


def read(raw: RawRoom, code: str, kind: str, activity: str) -> tuple[Action, ...]:
    order, data = _keys(code, kind, activity)
    stored = raw.hash(data)
    return tuple(_load(a, stored[a]) for a in raw.list(order) if a in stored)


def write_ops(code: str, kind: str, activity: str, actions: Sequence[Action]) -> list[Op]:
    order, data = _keys(code, kind, activity)
    ops: list[Op] = []
    for action in actions:
        ops += [["RPUSH", order, action.id], ["HSET", data, action.id, _dump(action)]]
    return ops


def delete_ops(code: str, kind: str, activity: str) -> list[Op]:
    return [["DEL", key] for key in _keys(code, kind, activity)]


def add(code: str, kind: str, activity: str, action: Action) -> Change:
    """A new action item, while its activity is still there."""
    return Change.of(write_ops(code, kind, activity, [action]), [present(room_key(code, "items"), activity)])


def save(code: str, kind: str, activity: str, action: Action) -> Change:
    """An action item, changed (done, or not done again), while it is still there."""
    _, data = _keys(code, kind, activity)
    return Change.of([["HSET", data, action.id, _dump(action)]], [present(data, action.id)])


def delete(code: str, kind: str, activity: str, action_id: str) -> Change:
    order, data = _keys(code, kind, activity)
    return Change.of([["LREM", order, 0, action_id], ["HDEL", data, action_id]], [present(data, action_id)])


def _dump(action: Action) -> str:
    return json.dumps(
        {"text": action.text, "owner": action.owner, "due": action.due, "done": action.done, "place": action.place}
    )


@functools.lru_cache(maxsize=16384)
def _load(action_id: str, stored: str) -> Action:
    data = json.loads(stored)
    return Action(action_id, data["text"], data["owner"], data["due"], data["done"], data["place"])
