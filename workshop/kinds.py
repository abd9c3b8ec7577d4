"""Every kind of activity this installation offers, in the order the console offers them. A new kind is its package
under workshop/activities/, its templates under templates/<kind>/, and one line here."""

from __future__ import annotations

from typing import Any

from .activities import board, estimate, ideas, poll
from .activities.kind import Kind

KINDS: dict[str, Kind[Any]] = {
    kind.name: kind
    for kind in (
        estimate.KIND,
        ideas.KIND,
        board.KIND,
        poll.KIND,
    )
}
