"""The live regions of each page, by element id, as a screen may see them.

A room change re-renders each region once per kind of view (projector, facilitator, participant, observer) and
group, whatever the number of connected browsers; only the participant's own part ("mine": their card, their idea
cards and dots, their board entries) is personal, and it renders once per distinct state. Every region is rendered
from a *masked* room (each kind's `masked`): before the reveal no vote value reaches a template, and cards collected
hidden reach only their authors. Each kind of activity has its templates in templates/<kind>/.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..domain.rooms import GroupView, Room
from ..domain.visibility import OVERVIEW, Viewer, scope
from ..kinds import KINDS
from .templating import Languages

LIVE: dict[str, tuple[str, ...]] = {
    "projector": ("headcount", "stage", "timer"),
    "facilitator": ("headcount", "tabs", "stage", "timer", "agenda", "people", "tools", "groups"),
    "participant": ("headcount", "group", "stage", "timer", "mine"),
    "observer": ("headcount", "group", "stage", "timer"),
}
PERSONAL = frozenset({"mine"})
# What a region shows of the room, by the keys it comes from (workshop/keys.py; "group:" is every group's hash): while
# none of them was written, the region's last rendering still holds, and a vote does not render the console's list
# of 500 people again. Regions not named here are rendered for every change (they are small).
_PEOPLE = ("people", "arrivals", "presence", "groups", "group:", "room")
READS: dict[str, tuple[str, ...]] = {"people": _PEOPLE, "headcount": _PEOPLE}
Version = Callable[[Sequence[str]], object]  # the keys' version (workshop/mirror.py RawRoom.version)


def stamped(html: str, rev: int) -> str:
    """A region with the fingerprint of what it shows (data-v) and the revision of the room it was rendered from
    (data-r): a browser that has it already does not swap it again, and one that has a later version of it keeps
    that (static/app.js). So a reconnect or a repeated push never touches a page, nor a field someone is editing,
    and a push overtaken by the answer to the browser's own post (they travel on different connections) is
    ignored when it arrives."""
    version = hashlib.blake2b(html.encode(), digest_size=6).hexdigest()
    return html.replace(' hx-swap-oob="true"', f' hx-swap-oob="true" data-v="{version}" data-r="{rev}"', 1)


def masked(room: Room, facilitator: bool) -> Room:
    """The room as a shared screen may see it: each activity as its kind lets it be shown."""
    activities = {a.id: KINDS[a.kind].masked(a, facilitator) for a in room.activities.values()}
    return replace(room, activities=activities)


def personal_state(view: GroupView, pid: str | None) -> object:
    """A participant's own part of their group's current activity."""
    current = view.current
    return KINDS[current.kind].mine(current, view, pid) if current is not None and pid else None


def personal_key(view: GroupView, mine: object) -> object:
    """Everything a participant's own region shows: while it is equal, the region need not be rendered again."""
    current = view.current
    group = view.group.id
    return (group, KINDS[current.kind].mine_key(current, view, mine)) if current is not None else group


def language_of(room: Room, viewer: Viewer, lang: str) -> str:
    """The language a screen is rendered in: its browser's, but the projector speaks the main facilitator's."""
    return room.language if viewer.kind == "projector" and room.language else lang


class Snapshot:
    """One state of a room, rendered lazily and at most once per region, kind of view, group and language. With the
    room's `version` and what the previous state `kept`, a region whose keys were not written since is taken over
    (`kept` then holds what this state rendered, for the next)."""

    def __init__(
        self, room: Room, languages: Languages, version: Version | None = None, kept: dict[Any, str] | None = None
    ) -> None:
        self.raw = room
        self.languages = languages
        self.version = version
        self.earlier = kept or {}
        self.kept: dict[Any, str] = {}
        self._masked: dict[bool, Room] = {}
        self._rendered: dict[tuple[object, ...], str] = {}
        self._context: dict[tuple[str, str, bool], dict[str, Any]] = {}
        self._mine: dict[tuple[str, str | None], object] = {}
        self._kind_context: dict[tuple[str, bool], dict[str, Any]] = {}
        self._shared: dict[tuple[str, str, bool, str], dict[str, str]] = {}

    def shown(self, facilitator: bool) -> Room:
        if facilitator not in self._masked:
            self._masked[facilitator] = masked(self.raw, facilitator)
        return self._masked[facilitator]

    def mine(self, group: str, pid: str | None) -> object:
        if (group, pid) not in self._mine:
            self._mine[group, pid] = personal_state(self.raw.view(group), pid)
        return self._mine[group, pid]

    def context(self, viewer: Viewer, group: str) -> dict[str, Any]:
        key = (viewer.kind, group, viewer.everywhere)
        if key not in self._context:
            room = self.shown(viewer.facilitator)
            view = room.view(group) if group != OVERVIEW else None
            item = view.current if view is not None else None
            context: dict[str, Any] = {
                "room": room,
                "view": view,
                "item": item,
                "overview": group == OVERVIEW,
                "everywhere": viewer.everywhere,
            }
            if view is not None and item is not None:
                context.update(self.kind_context(view, viewer.facilitator))
            self._context[key] = context
        return self._context[key]

    def kind_context(self, view: GroupView, facilitator: bool) -> dict[str, Any]:
        """What the current activity's templates need beyond it: the same for every kind of screen that sees the
        room alike (masked for the console, or for everyone else), so worked out once for each."""
        key = (view.group.id, facilitator)
        if key not in self._kind_context:
            item = view.current
            assert item is not None
            self._kind_context[key] = KINDS[item.kind].context(item, view)
        return self._kind_context[key]

    def region(self, region: str, viewer: Viewer, lang: str) -> str:
        group = scope(self.raw, viewer)
        lang = language_of(self.raw, viewer, lang)
        personal = region in PERSONAL
        mine = self.mine(group, viewer.pid) if personal else None
        key = (region, viewer.kind, group, viewer.everywhere, lang, mine if personal else None)
        if key not in self._rendered:
            reads = READS.get(region) if self.version is not None else None
            lasting = (key, self.version(reads)) if reads and self.version is not None else None
            html = self.earlier.get(lasting) if lasting else None
            if html is None:
                template = "_" + region.replace("-", "_") + ".html"
                context = self.context(viewer, group)
                html = stamped(self.languages[lang].render(template, viewer=viewer, mine=mine, **context), self.raw.rev)
            if lasting:
                self.kept[lasting] = html
            self._rendered[key] = html
        return self._rendered[key]

    def regions(self, viewer: Viewer, lang: str, known: dict[str, object] | None = None) -> dict[str, str]:
        """The viewer's regions; with `known` (a connection's memory), a personal region whose key is unchanged
        is left out, so a change elsewhere in the room costs no render per participant. The shared regions are
        looked up once per kind of screen, group and language, however many screens there are."""
        group = scope(self.raw, viewer)
        shared_key = (viewer.kind, group, viewer.everywhere, lang)
        shared = self._shared.get(shared_key)
        if shared is None:
            shared = {r: self.region(r, viewer, lang) for r in LIVE[viewer.kind] if r not in PERSONAL}
            self._shared[shared_key] = shared
        regions = dict(shared)
        for region in PERSONAL.intersection(LIVE[viewer.kind]):
            if known is not None:
                key = personal_key(self.raw.view(group), self.mine(group, viewer.pid))
                if known.get(region) == key and region in known:
                    continue
                known[region] = key
            regions[region] = self.region(region, viewer, lang)
        return regions
