"""Moving one thing a place up or down in an ordered list (an agenda, a board's sections or entries)."""

from __future__ import annotations

from .errors import N_, Conflict, Invalid


def neighbour(order: tuple[str, ...], item: str, step: int) -> str | None:
    """Where `item` goes when moved one place up (-1) or down (+1): before the id returned, or None for the end.

    Raises Conflict when it is already first (up) or last (down)."""
    if step not in (-1, 1):
        raise Invalid(N_("Die Anfrage ist unvollständig. Bitte die Seite neu laden."))
    position = order.index(item)
    target = position + step
    if not 0 <= target < len(order):
        raise Conflict(N_("Das steht schon ganz am Rand."))
    rest = [x for x in order if x != item]
    return rest[target] if target < len(rest) else None
