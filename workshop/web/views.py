"""The live regions of each page, by element id, as a viewer may see them.

A room change re-renders each region once per kind of view (projector, facilitator, participant, observer),
whatever the number of connected browsers; only the participant's own part ("mine": their card, their idea cards
and dots) is personal, and it renders once per distinct state. Every region is rendered from a *masked* room:
before the reveal no vote value reaches a template, and cards collected hidden reach only their authors.
Each kind of activity has its templates: ``_stage_<kind>.html`` and ``_mine_<kind>.html``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..domain import ideas as idea_rules
from ..domain.ideas import Ideas
from ..domain.poker import Item, Results, tally
from ..domain.rooms import Room, masked, own_vote
from .templating import Templates

LIVE: dict[str, tuple[str, ...]] = {
    "projector": ("headcount", "stage"),
    "facilitator": ("headcount", "stage", "agenda", "people", "proxy-vote"),
    "participant": ("headcount", "stage", "mine"),
    "observer": ("headcount", "stage"),
}
PERSONAL = frozenset({"mine"})


@dataclass(frozen=True)
class Viewer:
    kind: str  # a key of LIVE
    pid: str | None = None


def personal_state(room: Room, pid: str | None) -> object:
    """A participant's own part of the current activity: their vote, or their cards and dots."""
    if pid is None:
        return None
    if room.current_ideas is not None:
        return idea_rules.mine(room.current_ideas, pid)
    return own_vote(room, pid)


def personal_key(room: Room, mine: object) -> object:
    """Everything a participant's own region shows: while it is equal, the region need not be rendered again."""
    item = room.current
    if isinstance(item, Ideas):
        voting = item.voting
        targets = (
            ()
            if voting.state != "open"
            else tuple((t.id, t.title) for t in item.themes)
            if voting.on == "themes"
            else tuple((c.id, c.text) for c in item.cards.values())
        )
        return (mine, item.id, item.posting_open, voting, targets)
    if isinstance(item, Item):
        return (mine, item.id, item.revealed_rounds, item.deck)
    return None


class Snapshot:
    """One state of a room, rendered lazily and at most once per region and kind of view."""

    def __init__(self, room: Room, templates: Templates) -> None:
        self.raw = room
        self.room = masked(room)
        self.templates = templates
        self._rendered: dict[tuple[object, ...], str] = {}
        self._context: dict[str, dict[str, Any]] = {}
        self._mine: dict[str | None, object] = {}

    def mine(self, pid: str | None) -> object:
        if pid not in self._mine:
            self._mine[pid] = personal_state(self.raw, pid)
        return self._mine[pid]

    def context(self, kind: str) -> dict[str, Any]:
        if kind not in self._context:
            room, item = self.room, self.room.current
            context: dict[str, Any] = {"room": room, "item": item}
            if isinstance(item, Item):
                context.update(self._estimate(item))
            elif isinstance(item, Ideas):
                shown = idea_rules.masked_for(item, None, facilitator=kind == "facilitator")
                context.update(item=shown, ranking=idea_rules.ranking(shown), author=self._authors(shown))
                context["room"] = replace(room, items=tuple(shown if i.id == item.id else i for i in room.items))
            self._context[kind] = context
        return self._context[kind]

    def _estimate(self, item: Item) -> dict[str, Any]:
        names = self.room.names
        results: Results | None = tally(item.deck, item.current_round.votes, names) if item.revealed else None
        history = [(r.number, tally(item.deck, r.votes, names)) for r in item.earlier_rounds]
        return {"voted": set(item.current_round.votes), "results": results, "history": history}

    def _authors(self, ideas: Ideas) -> dict[str, str]:
        orgs = {p.id: p.org for p in self.room.participants.values()}
        return {cid: idea_rules.author_label(c, ideas.show, self.room.names, orgs) for cid, c in ideas.cards.items()}

    def region(self, region: str, viewer: Viewer) -> str:
        mine = self.mine(viewer.pid) if region in PERSONAL else None
        key = (region, viewer.kind, mine) if region in PERSONAL else (region, viewer.kind)
        if key not in self._rendered:
            template = "_" + region.replace("-", "_") + ".html"
            self._rendered[key] = self.templates.render(
                template, view=viewer.kind, mine=mine, **self.context(viewer.kind)
            )
        return self._rendered[key]

    def regions(self, viewer: Viewer, known: dict[str, object] | None = None) -> dict[str, str]:
        """The viewer's regions; with `known` (a connection's memory), a personal region whose key is unchanged
        is left out, so a change elsewhere in the room costs no render per participant."""
        regions = {}
        for region in LIVE[viewer.kind]:
            if known is not None and region in PERSONAL:
                key = personal_key(self.raw, self.mine(viewer.pid))
                if known.get(region) == key and region in known:
                    continue
                known[region] = key
            regions[region] = self.region(region, viewer)
        return regions
