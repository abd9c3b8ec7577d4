"""The vocabulary of a change in Redis: its preconditions, and the answer when one did not hold."""

from __future__ import annotations

# A precondition of a change: (hash key, field, expected), where expected is a value, True (present), None
# (absent) or {"below": n} (a counter under n); or (list key, "", {"len": n}) for a list of exactly n entries,
# {"shorter": n} for fewer than n, {"longer": n} for more than n (limits that hold when changes race).
Check = tuple[str, str, "str | bool | None | dict[str, int]"]


class Rejected(Exception):
    """A precondition of a change did not hold; `index` says which one (0: the room is gone)."""

    def __init__(self, index: int) -> None:
        self.index = index
