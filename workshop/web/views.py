"""The live regions of each page, by element id, as a viewer may see them.

A room change re-renders each region once per kind of view (projector, facilitator, participant, observer) and
group, whatever the number of connected browsers; only the participant's own part ("mine": their card, their idea
cards and dots, their board entries) is personal, and it renders once per distinct state. Every region is rendered
from a *masked* room: before the reveal no vote value reaches a template, and cards collected hidden reach only
their authors. Each kind of activity has its templates: ``_stage_<kind>.html`` and ``_mine_<kind>.html``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..domain import ideas as idea_rules
from ..domain.boards import Board
from ..domain.ideas import Ideas
from ..domain.kinds import KINDS
from ..domain.poker import Item, Results, tally
from ..domain.rooms import Room, masked
from .templating import Templates

LIVE: dict[str, tuple[str, ...]] = {
    "projector": ("headcount", "stage", "timer"),
    "facilitator": ("headcount", "tabs", "stage", "timer", "agenda", "people", "proxy-vote", "groups"),
    "participant": ("headcount", "group", "stage", "timer", "mine"),
    "observer": ("headcount", "group", "stage", "timer"),
}
PERSONAL = frozenset({"mine"})
OVERVIEW = ""  # the scope of the main projector while it shows all groups


@dataclass(frozen=True)
class Viewer:
    kind: str  # a key of LIVE
    pid: str | None = None
    group: str = ""  # the console's or a group projector's group; a participant's comes from the room
    everywhere: bool = False  # the main facilitator: every group, the overview, the groups' settings


def scope(room: Room, viewer: Viewer) -> str:
    """The group this viewer sees now (OVERVIEW: all of them). A participant sees their group as the room says
    it is now, so moving someone moves their phone too; the main projector shows what the facilitator chose."""
    ids = {g.id for g in room.groups}
    if viewer.kind in ("participant", "observer"):
        return room.group_of_person(viewer.pid or "").id
    if viewer.group in ids:
        return viewer.group
    if viewer.kind == "projector" and room.several_groups:
        return room.projected if room.projected in ids else OVERVIEW
    return room.groups[0].id


def personal_state(room: Room, pid: str | None) -> object:
    """A participant's own part of their group's current activity."""
    current = room.current
    return KINDS[current.kind].mine(current, room, pid) if current is not None and pid else None


def personal_key(room: Room, mine: object) -> object:
    """Everything a participant's own region shows: while it is equal, the region need not be rendered again."""
    current = room.current
    return (room.focus, KINDS[current.kind].mine_key(current, room, mine)) if current is not None else room.focus


class Snapshot:
    """One state of a room, rendered lazily and at most once per region, kind of view and group."""

    def __init__(self, room: Room, templates: Templates) -> None:
        self.raw = room
        self.room = masked(room)
        self.templates = templates
        self._rendered: dict[tuple[object, ...], str] = {}
        self._context: dict[tuple[str, str, bool], dict[str, Any]] = {}
        self._mine: dict[tuple[str, str | None], object] = {}

    def mine(self, group: str, pid: str | None) -> object:
        if (group, pid) not in self._mine:
            self._mine[group, pid] = personal_state(self.raw.for_group(group), pid)
        return self._mine[group, pid]

    def context(self, kind: str, group: str, everywhere: bool) -> dict[str, Any]:
        key = (kind, group, everywhere)
        if key not in self._context:
            room = self.room.for_group(group) if group != OVERVIEW else self.room
            item = room.current if group != OVERVIEW else None
            context: dict[str, Any] = {
                "room": room,
                "item": item,
                "overview": group == OVERVIEW,
                "everywhere": everywhere,
            }
            estimate = room.current_estimate if group != OVERVIEW else None
            if estimate is not None:
                context.update(self._estimate(room, estimate))
            if isinstance(item, Board):
                context["summaries"] = self._summaries(room, item)
            if isinstance(item, Ideas):
                shown = idea_rules.masked_for(item, None, facilitator=kind == "facilitator")
                context.update(item=shown, ranking=idea_rules.ranking(shown), author=self._authors(shown))
                context["room"] = replace(room, activities={**room.activities, item.id: shown})
            self._context[key] = context
        return self._context[key]

    def _estimate(self, room: Room, item: Item) -> dict[str, Any]:
        names = self.room.names
        results: Results | None = tally(item.deck, item.current_round.votes, names) if item.revealed else None
        history = [(r.number, tally(item.deck, r.votes, names)) for r in item.earlier_rounds]
        return {"estimate": item, "voted": room.voted, "results": results, "history": history}

    def _summaries(self, room: Room, board: Board) -> dict[str, Results]:
        """The results of a board's quick estimates that are not on the phones now, if revealed."""
        summaries = {}
        for estimate_id in board.estimates:
            item = room.activities.get(estimate_id)
            if isinstance(item, Item) and item.revealed and estimate_id != board.live_estimate:
                summaries[estimate_id] = tally(item.deck, item.current_round.votes, self.room.names)
        return summaries

    def _authors(self, ideas: Ideas) -> dict[str, str]:
        orgs = {p.id: p.org for p in self.room.participants.values()}
        return {cid: idea_rules.author_label(c, ideas.show, self.room.names, orgs) for cid, c in ideas.cards.items()}

    def region(self, region: str, viewer: Viewer) -> str:
        group = scope(self.raw, viewer)
        personal = region in PERSONAL
        mine = self.mine(group, viewer.pid) if personal else None
        key = (region, viewer.kind, group, viewer.everywhere, mine if personal else None)
        if key not in self._rendered:
            template = "_" + region.replace("-", "_") + ".html"
            self._rendered[key] = self.templates.render(
                template, view=viewer.kind, mine=mine, **self.context(viewer.kind, group, viewer.everywhere)
            )
        return self._rendered[key]

    def regions(self, viewer: Viewer, known: dict[str, object] | None = None) -> dict[str, str]:
        """The viewer's regions; with `known` (a connection's memory), a personal region whose key is unchanged
        is left out, so a change elsewhere in the room costs no render per participant."""
        regions = {}
        for region in LIVE[viewer.kind]:
            if known is not None and region in PERSONAL:
                group = scope(self.raw, viewer)
                key = personal_key(self.raw.for_group(group), self.mine(group, viewer.pid))
                if known.get(region) == key and region in known:
                    continue
                known[region] = key
            regions[region] = self.region(region, viewer)
        return regions
