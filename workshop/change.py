"""The vocabulary of a change in Redis: the writes, the preconditions they depend on, and the answer when one of
them did not hold.

A command reads a snapshot, runs its rule on it, and hands the store one `Change`: Redis commands to run and named
preconditions (`present`, `absent`, `equals`, `below`, `length`, `shorter`, `longer`) that say what the rule assumed.
The store's one Lua script checks them all and writes all, or nothing (`Rejected`); the command then looks again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Op = Sequence[Any]  # one Redis command: ("HSET", key, field, value)
Check = tuple[str, str, str, Any]  # (test, key, field, value), built by the functions below


def present(key: str, field: str) -> Check:
    """The hash field exists."""
    return ("present", key, field, None)


def absent(key: str, field: str) -> Check:
    """The hash field does not exist (yet)."""
    return ("absent", key, field, None)


def equals(key: str, field: str, value: str) -> Check:
    """The hash field holds exactly this value (missing counts as different, also from "")."""
    return ("equals", key, field, value)


def below(key: str, field: str, limit: int) -> Check:
    """The hash field, a counter (missing: 0), is under the limit."""
    return ("below", key, field, limit)


def length(key: str, n: int) -> Check:
    """The list has exactly n entries: nobody added or removed one since it was read."""
    return ("length", key, "", n)


def shorter(key: str, n: int) -> Check:
    """The list has fewer than n entries (a limit that holds when changes race)."""
    return ("shorter", key, "", n)


def longer(key: str, n: int) -> Check:
    """The list has more than n entries."""
    return ("longer", key, "", n)


def put(key: str, item: str, before: str | None) -> Op:
    """The write that puts `item` into list `key`: before `before`, or at the end."""
    return ("LINSERT", key, "BEFORE", before, item) if before is not None else ("RPUSH", key, item)


@dataclass(frozen=True)
class Change:
    """Writes that go together, and what must still hold for them to make sense."""

    ops: tuple[Op, ...] = ()
    checks: tuple[Check, ...] = ()
    once: str = ""  # a key the asker made for this action: a retry of it finds it applied, and changes nothing

    @classmethod
    def of(cls, ops: Sequence[Op] = (), checks: Sequence[Check] = ()) -> Change:
        return cls(tuple(ops), tuple(checks))

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key the change reads or writes, once each (a script declares them: on a Redis Cluster a key it
        touches undeclared breaks while the room's slot moves to another node)."""
        touched = [check[1] for check in self.checks]
        for op in self.ops:
            touched += op[1:] if str(op[0]).upper() == "DEL" else op[1:2]
        return tuple(dict.fromkeys(map(str, touched)))

    def __add__(self, other: Change) -> Change:
        return Change(self.ops + other.ops, self.checks + other.checks, self.once or other.once)


class Rejected(Exception):
    """A precondition of a change did not hold: someone else changed the room between the read and the write."""

    def __init__(self, check: Check | None = None) -> None:
        super().__init__(check)
        self.check = check
