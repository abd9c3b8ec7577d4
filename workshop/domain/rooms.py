"""A workshop room: its working groups, each with its agenda of activities, and the people in them.

A room always has at least one group; with one group, groups are invisible. `room.view(group_id)` is the room as one
group sees it (a `GroupView`): that group's agenda, current activity, members and voters. An activity is any value
that offers the small `Activity` protocol; what each kind of activity is and does lives in its own package
(workshop/activities/<kind>/), never here.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, Protocol, TypeVar

from .errors import N_, NotFound
from .text import NAME_MAX, ORG_MAX, TITLE_MAX, clean_line
from .timer import Timer

GROUP_NAME_MAX = 80
GROUPS_MAX = 12
NO_ACTIVITY = N_("Diese Aktivität gibt es in diesem Workshop nicht.")


class Activity(Protocol):
    """What a room needs to know of an activity to hold it on an agenda; the rest is its kind's business."""

    @property
    def kind(self) -> str: ...  # the name of its kind: "estimate", "ideas", "board", "poll"

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...  # what the agenda and the minutes call it

    @property
    def children(self) -> tuple[str, ...]: ...  # activities that belong to it, not to an agenda (a board's estimates)

    @property
    def live_child(self) -> str | None: ...  # the child people act on now, while this one is on screen


A = TypeVar("A")


class Childless:
    """For the kinds of activity that have no children (all but boards)."""

    @property
    def children(self) -> tuple[str, ...]:
        return ()

    @property
    def live_child(self) -> str | None:
        return None


class Role(StrEnum):
    PARTICIPANT = "participant"
    OBSERVER = "observer"  # sees everything, does not vote


@dataclass(frozen=True)
class Participant:
    id: str
    name: str
    org: str = ""
    role: Role = Role.PARTICIPANT
    by_facilitator: bool = False  # someone without a phone whose votes the facilitator enters
    group: str = ""  # the working group's id; "" (or a group that is gone) is the first group


@dataclass(frozen=True)
class Group:
    """A working group ("Arbeitsgruppe 1"): its own agenda, current activity and timer."""

    id: str
    name: str
    agenda: tuple[str, ...] = ()  # activity ids, in order
    current_id: str | None = None
    timer: Timer = field(default_factory=Timer)
    own_link: bool = False  # has a facilitator link of its own
    quiet: bool = False  # its projector plays no sound when its timer runs out


FIRST_GROUP = Group("main", "")


class Headcount(NamedTuple):
    """What the headcount line says of a group (or of the whole room): who votes, who watches, who is connected."""

    people: int
    watching: int
    online: int


def headcount(members: Collection[Participant], online: Collection[str]) -> Headcount:
    return Headcount(
        sum(1 for p in members if p.role is Role.PARTICIPANT),
        sum(1 for p in members if p.role is Role.OBSERVER),
        sum(1 for p in members if p.id in online),
    )


@dataclass(frozen=True)
class Room:
    code: str
    title: str
    created: str  # ISO date; the export names the day, nothing finer
    ask_org: bool = False
    auto_reveal: bool = False
    choose_group: bool = True  # participants pick (and change) their group themselves
    join_big: bool = False  # the projector shows the QR code large even once people are in
    participants: Mapping[str, Participant] = field(default_factory=dict)  # everyone, in order of joining
    activities: Mapping[str, Activity] = field(default_factory=dict)  # every activity of every group, by id
    groups: tuple[Group, ...] = (FIRST_GROUP,)
    projected: str = ""  # the group the main projector shows; "" shows the overview (with several groups)
    language: str = ""  # the projector's: the main facilitator's choice ("": the installation's)
    online: frozenset[str] = frozenset()  # participants with an open connection now
    around: frozenset[str] = frozenset()  # … or whose connection dropped a moment ago (still expected to take part)
    rev: int = 0

    def view(self, group_id: str = "") -> GroupView:
        """The room as this group sees it ("": the first group); one per group and room, so what a view works out
        (its members, voters) is worked out once."""
        group = self.group_by_id(group_id) if group_id else self.groups[0]
        view = self._views.get(group.id)
        if view is None:
            view = self._views[group.id] = GroupView(self, group)
        return view

    @functools.cached_property
    def _views(self) -> dict[str, GroupView]:
        return {}

    def group_by_id(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise NotFound(N_("Diese Arbeitsgruppe gibt es in diesem Workshop nicht."))

    @property
    def several_groups(self) -> bool:
        return len(self.groups) > 1

    def group_of_person(self, pid: str) -> Group:
        person = self.participants.get(pid)
        return self._groups_by_id.get(person.group, self.groups[0]) if person is not None else self.groups[0]

    @functools.cached_property
    def _groups_by_id(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    def parent_of(self, activity_id: str) -> str | None:
        """The activity this one belongs to (a board for its quick estimate), if it is not on an agenda itself."""
        return next((a.id for a in self.activities.values() if activity_id in a.children), None)

    def group_of(self, activity_id: str) -> Group:
        """The group whose agenda holds this activity, or the activity it belongs to."""
        self.activity(activity_id)
        held = self.parent_of(activity_id) or activity_id
        for group in self.groups:
            if held in group.agenda:
                return group
        raise NotFound(NO_ACTIVITY)

    def members_of(self, group: Group) -> tuple[Participant, ...]:
        first = self.groups[0].id
        ids = {g.id for g in self.groups}
        return tuple(
            p for p in self.participants.values() if p.group == group.id or (group.id == first and p.group not in ids)
        )

    @functools.cached_property
    def headcount(self) -> Headcount:
        return headcount(self.participants.values(), self.online)

    @functools.cached_property  # a room does not change: what is worked out of it holds (as do the ones below)
    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.participants.values()}

    def activity(self, activity_id: str) -> Activity:
        activity = self.activities.get(activity_id)
        if activity is None:
            raise NotFound(NO_ACTIVITY)
        return activity

    def activity_as(self, activity_id: str, kind: type[A], missing: str) -> A:
        """The activity with this id if it is of this kind, else NotFound with the kind's own message."""
        activity = self.activities.get(activity_id)
        if not isinstance(activity, kind):
            raise NotFound(missing)
        return activity


@dataclass(frozen=True)
class GroupView:
    """A room as one working group sees it: the group's agenda, what is on its screens, who is in it."""

    room: Room
    group: Group

    @property
    def items(self) -> tuple[Activity, ...]:
        """The group's agenda, in order."""
        return tuple(self.room.activities[a] for a in self.group.agenda if a in self.room.activities)

    @property
    def current_id(self) -> str | None:
        return self.group.current_id

    @property
    def current(self) -> Activity | None:
        """The activity on the group's screens."""
        current = self.group.current_id
        return self.room.activities.get(current) if current else None

    @property
    def live(self) -> Activity | None:
        """What the group acts on now: the current activity, or the child of it that is running (a quick estimate
        while its board stays on screen)."""
        current = self.current
        child = current.live_child if current is not None else None
        return self.room.activities.get(child, current) if child else current

    @functools.cached_property
    def members(self) -> tuple[Participant, ...]:
        return self.room.members_of(self.group)

    @functools.cached_property
    def headcount(self) -> Headcount:
        return headcount(self.members, self.room.online)

    @functools.cached_property
    def voters(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.members if p.role is Role.PARTICIPANT)

    @functools.cached_property
    def observers(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.members if p.role is Role.OBSERVER)

    def expected(self, acted: Collection[str]) -> tuple[Participant, ...]:
        """Who is expected to take part in a round (a vote, a poll): the group's participants who are here now (or
        dropped a moment ago) or have already acted in it; someone without a phone counts once the facilitator
        entered their vote. Observers never count."""
        return tuple(p for p in self.voters if p.id in acted or (p.id in self.room.around and not p.by_facilitator))

    def next_item(self) -> Activity | None:
        items = self.items
        ids = [i.id for i in items]
        if self.current_id not in ids:
            return items[0] if items else None
        position = ids.index(self.current_id)
        return items[position + 1] if position + 1 < len(ids) else None


def check_title(title: object) -> str:
    return clean_line(title, label=N_("einen Titel"), max_length=TITLE_MAX)


def check_group_name(name: object) -> str:
    return clean_line(name, label=N_("einen Namen für die Gruppe"), max_length=GROUP_NAME_MAX)


def new_participant(
    pid: str, name: object, org: object, observer: bool, by_facilitator: bool = False, group: str = ""
) -> Participant:
    """A participant as they asked to be shown; without a name they are a guest with a short stable tag."""
    display = clean_line(name, label=N_("Name"), max_length=NAME_MAX, required=False) or guest_name(pid)
    organisation = clean_line(org, label=N_("Organisation"), max_length=ORG_MAX, required=False)
    role = Role.OBSERVER if observer else Role.PARTICIPANT
    return Participant(pid, display, organisation, role, by_facilitator, group)


def guest_name(pid: str) -> str:
    tag = hashlib.sha256(pid.encode()).hexdigest()[:3].upper()
    return f"Gast {tag}"
