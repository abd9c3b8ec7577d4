"""The live regions of each page, by element id, as a viewer may see them.

A room change re-renders each region once per kind of view (projector, facilitator, participant, observer),
whatever the number of connected browsers; only the participant's own card ("my-vote") is personal, and it
renders once per distinct vote. Every region is rendered from the *masked* room: before the reveal no vote
value reaches a template, so none can reach a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.poker import Results, tally
from ..domain.rooms import Room, masked, own_vote
from .templating import Templates

LIVE: dict[str, tuple[str, ...]] = {
    "projector": ("headcount", "stage"),
    "facilitator": ("headcount", "stage", "agenda", "people", "proxy-vote"),
    "participant": ("headcount", "stage", "my-vote"),
    "observer": ("headcount", "stage"),
}
PERSONAL = frozenset({"my-vote"})


@dataclass(frozen=True)
class Viewer:
    kind: str  # a key of LIVE
    pid: str | None = None


class Snapshot:
    """One state of a room, rendered lazily and at most once per region and kind of view."""

    def __init__(self, room: Room, templates: Templates) -> None:
        self.raw = room
        self.room = masked(room)
        self.templates = templates
        self._rendered: dict[tuple[object, ...], str] = {}
        self._context: dict[str, Any] | None = None

    @property
    def context(self) -> dict[str, Any]:
        if self._context is None:
            item = self.room.current
            results: Results | None = None
            history: list[tuple[int, Results]] = []
            if item is not None:
                names = self.room.names
                if item.revealed:
                    results = tally(item.deck, item.current_round.votes, names)
                history = [(r.number, tally(item.deck, r.votes, names)) for r in item.earlier_rounds]
            self._context = {
                "room": self.room,
                "item": item,
                "voted": set(item.current_round.votes) if item else set(),
                "results": results,
                "history": history,
            }
        return self._context

    def region(self, region: str, viewer: Viewer) -> str:
        mine = own_vote(self.raw, viewer.pid) if region in PERSONAL and viewer.pid else None
        key = (region, viewer.kind, mine) if region in PERSONAL else (region, viewer.kind)
        if key not in self._rendered:
            template = "_" + region.replace("-", "_") + ".html"
            self._rendered[key] = self.templates.render(template, view=viewer.kind, mine=mine, **self.context)
        return self._rendered[key]

    def regions(self, viewer: Viewer) -> dict[str, str]:
        return {region: self.region(region, viewer) for region in LIVE[viewer.kind]}
