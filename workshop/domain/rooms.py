"""A workshop room: its working groups, each with its agenda of activities, and the people in them.

A room always has at least one group; with one group, groups are invisible. A `Room` can be *focused* on one
group (`room.for_group(id)`): then `items`, `current`, `members` and `voters` are that group's, which is how a
group's projector, phones and console see the room. Unfocused, a room is seen as its first group.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .boards import Board
from .errors import N_, NotFound
from .ideas import Ideas
from .poker import Item, Round, Vote
from .text import NAME_MAX, ORG_MAX, TITLE_MAX, clean_line
from .timer import Timer

Activity = Item | Ideas | Board  # what an agenda holds; each kind has its module in domain/
GROUP_NAME_MAX = 80
GROUPS_MAX = 12


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


FIRST_GROUP = Group("main", "")


@dataclass(frozen=True)
class Room:
    code: str
    title: str
    created: str  # ISO date; the export names the day, nothing finer
    ask_org: bool = False
    auto_reveal: bool = False
    choose_group: bool = True  # participants pick (and change) their group themselves
    participants: Mapping[str, Participant] = field(default_factory=dict)  # everyone, in order of joining
    activities: Mapping[str, Activity] = field(default_factory=dict)  # every activity of every group, by id
    groups: tuple[Group, ...] = (FIRST_GROUP,)
    projected: str = ""  # the group the main projector shows; "" shows the overview (with several groups)
    online: frozenset[str] = frozenset()  # participants with an open connection now
    rev: int = 0
    focus: str = ""  # the group this view of the room is about; "" is the first

    # -- groups -------------------------------------------------------------------------------------------------

    def for_group(self, group_id: str) -> Room:
        """The room as this group sees it."""
        return replace(self, focus=self.group_by_id(group_id).id)

    def group_by_id(self, group_id: str) -> Group:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise NotFound(N_("Diese Arbeitsgruppe gibt es in diesem Workshop nicht."))

    @property
    def group(self) -> Group:
        return next((g for g in self.groups if g.id == self.focus), self.groups[0])

    @property
    def several_groups(self) -> bool:
        return len(self.groups) > 1

    def group_of_person(self, pid: str) -> Group:
        person = self.participants.get(pid)
        return next((g for g in self.groups if person is not None and g.id == person.group), self.groups[0])

    def group_of(self, activity_id: str) -> Group:
        """The group whose agenda holds this activity (a board's estimate belongs to the board's group)."""
        self.activity(activity_id)
        for group in self.groups:
            for held in group.agenda:
                if held == activity_id:
                    return group
                board = self.activities.get(held)
                if isinstance(board, Board) and activity_id in board.estimates:
                    return group
        raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))

    def members_of(self, group: Group) -> tuple[Participant, ...]:
        first = self.groups[0].id
        ids = {g.id for g in self.groups}
        return tuple(
            p for p in self.participants.values() if p.group == group.id or (group.id == first and p.group not in ids)
        )

    # -- the focused group ----------------------------------------------------------------------------------------

    @property
    def items(self) -> tuple[Activity, ...]:
        """The focused group's agenda, in order."""
        return tuple(self.activities[a] for a in self.group.agenda if a in self.activities)

    @property
    def current_id(self) -> str | None:
        return self.group.current_id

    @property
    def current(self) -> Activity | None:
        current = self.current_id
        return self.activities.get(current) if current else None

    @property
    def current_estimate(self) -> Item | None:
        """What the group votes on now: the current estimate, or the quick estimate running on the current board."""
        current = self.current
        if isinstance(current, Board) and current.live_estimate:
            current = self.activities.get(current.live_estimate)
        return current if isinstance(current, Item) else None

    @property
    def voted(self) -> frozenset[str]:
        """The focused group's voters with a card in the open round of its estimate (hidden or not)."""
        item = self.current_estimate
        votes = item.current_round.votes if item else {}
        return frozenset(p.id for p in self.voters if p.id in votes)

    @property
    def members(self) -> tuple[Participant, ...]:
        return self.members_of(self.group)

    @property
    def voters(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.members if p.role is Role.PARTICIPANT)

    @property
    def observers(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.members if p.role is Role.OBSERVER)

    @property
    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.participants.values()}

    def next_item(self) -> Activity | None:
        items = self.items
        ids = [i.id for i in items]
        if self.current_id not in ids:
            return items[0] if items else None
        position = ids.index(self.current_id)
        return items[position + 1] if position + 1 < len(ids) else None

    # -- activities by id -----------------------------------------------------------------------------------------

    def activity(self, activity_id: str) -> Activity:
        activity = self.activities.get(activity_id)
        if activity is None:
            raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))
        return activity

    def item(self, item_id: str) -> Item:
        """The estimation question with this id (an idea collection with that id does not count)."""
        activity = self.activities.get(item_id)
        if not isinstance(activity, Item):
            raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))
        return activity

    def ideas(self, activity_id: str) -> Ideas:
        activity = self.activities.get(activity_id)
        if not isinstance(activity, Ideas):
            raise NotFound(N_("Diese Ideensammlung gibt es in diesem Workshop nicht."))
        return activity

    def board(self, activity_id: str) -> Board:
        activity = self.activities.get(activity_id)
        if not isinstance(activity, Board):
            raise NotFound(N_("Dieses Board gibt es in diesem Workshop nicht."))
        return activity


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


def everyone_voted(room: Room) -> bool:
    """All in the focused group who vote (observers don't) have a card in the open round of its estimate."""
    item = room.current_estimate
    if item is None or item.revealed or not room.voters:
        return False
    votes = item.current_round.votes
    return all(p.id in votes for p in room.voters)


def with_vote(room: Room, pid: str, vote: Vote) -> Room:
    """The room after `pid` cast `vote` in the open round of the focused group's estimate."""
    item = room.current_estimate
    assert item is not None
    votes = {**item.current_round.votes, pid: vote}
    rounds = tuple(r for r in item.rounds if r.number != item.round) + (Round(item.round, False, votes),)
    changed = replace(item, rounds=tuple(sorted(rounds, key=lambda r: r.number)))
    return replace(room, activities={**room.activities, item.id: changed})


def masked(room: Room) -> Room:
    """The room as every browser may see it: values of unrevealed rounds stay on the server."""
    activities = {
        a.id: replace(a, rounds=tuple(_hidden(r) for r in a.rounds)) if isinstance(a, Item) else a
        for a in room.activities.values()
    }
    return replace(room, activities=activities)


def _hidden(r: Round) -> Round:
    return r if r.revealed else replace(r, votes={pid: Vote(None) for pid in r.votes})


def own_vote(room: Room, pid: str) -> Vote | None:
    """This participant's own vote in the open round, the one thing they may see before the reveal."""
    item = room.current_estimate
    return item.current_round.votes.get(pid) if item else None
