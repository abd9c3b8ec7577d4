"""A workshop room and the people in it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .errors import N_, NotFound
from .ideas import Ideas
from .poker import Item, Round, Vote
from .text import NAME_MAX, ORG_MAX, TITLE_MAX, clean_line

Activity = Item | Ideas  # what an agenda holds; each kind has its module in domain/


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


@dataclass(frozen=True)
class Room:
    code: str
    title: str
    created: str  # ISO date; the export names the day, nothing finer
    ask_org: bool = False
    auto_reveal: bool = False
    participants: Mapping[str, Participant] = field(default_factory=dict)  # in order of joining
    items: tuple[Activity, ...] = ()  # the agenda, in order
    current_id: str | None = None
    rev: int = 0

    @property
    def current(self) -> Activity | None:
        return next((i for i in self.items if i.id == self.current_id), None)

    @property
    def current_estimate(self) -> Item | None:
        current = self.current
        return current if isinstance(current, Item) else None

    @property
    def current_ideas(self) -> Ideas | None:
        current = self.current
        return current if isinstance(current, Ideas) else None

    @property
    def voters(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants.values() if p.role is Role.PARTICIPANT)

    @property
    def observers(self) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants.values() if p.role is Role.OBSERVER)

    @property
    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.participants.values()}

    def activity(self, activity_id: str) -> Activity:
        for activity in self.items:
            if activity.id == activity_id:
                return activity
        raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))

    def item(self, item_id: str) -> Item:
        """The estimation question with this id (an idea collection with that id does not count)."""
        for activity in self.items:
            if activity.id == item_id and isinstance(activity, Item):
                return activity
        raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))

    def ideas(self, activity_id: str) -> Ideas:
        for activity in self.items:
            if activity.id == activity_id and isinstance(activity, Ideas):
                return activity
        raise NotFound(N_("Diese Ideensammlung gibt es in diesem Workshop nicht."))

    def next_item(self) -> Activity | None:
        ids = [i.id for i in self.items]
        if self.current_id not in ids:
            return self.items[0] if self.items else None
        position = ids.index(self.current_id)
        return self.items[position + 1] if position + 1 < len(ids) else None


def check_title(title: object) -> str:
    return clean_line(title, label=N_("einen Titel"), max_length=TITLE_MAX)


def new_participant(pid: str, name: object, org: object, observer: bool, by_facilitator: bool = False) -> Participant:
    """A participant as they asked to be shown; without a name they are a guest with a short stable tag."""
    display = clean_line(name, label=N_("Name"), max_length=NAME_MAX, required=False) or guest_name(pid)
    organisation = clean_line(org, label=N_("Organisation"), max_length=ORG_MAX, required=False)
    return Participant(pid, display, organisation, Role.OBSERVER if observer else Role.PARTICIPANT, by_facilitator)


def guest_name(pid: str) -> str:
    tag = hashlib.sha256(pid.encode()).hexdigest()[:3].upper()
    return f"Gast {tag}"


def everyone_voted(room: Room) -> bool:
    """All who vote (observers don't) have a card in the open round of the current item."""
    item = room.current_estimate
    if item is None or item.revealed or not room.voters:
        return False
    votes = item.current_round.votes
    return all(p.id in votes for p in room.voters)


def with_vote(room: Room, pid: str, vote: Vote) -> Room:
    """The room after `pid` cast `vote` in the open round of the current item."""
    item = room.current_estimate
    assert item is not None
    votes = {**item.current_round.votes, pid: vote}
    rounds = tuple(r for r in item.rounds if r.number != item.round) + (Round(item.round, False, votes),)
    changed = replace(item, rounds=tuple(sorted(rounds, key=lambda r: r.number)))
    return replace(room, items=tuple(changed if i.id == item.id else i for i in room.items))


def masked(room: Room) -> Room:
    """The room as every browser may see it: values of unrevealed rounds stay on the server."""
    items = tuple(
        replace(item, rounds=tuple(_hidden(r) for r in item.rounds)) if isinstance(item, Item) else item
        for item in room.items
    )
    return replace(room, items=items)


def _hidden(r: Round) -> Round:
    return r if r.revealed else replace(r, votes={pid: Vote(None) for pid in r.votes})


def own_vote(room: Room, pid: str) -> Vote | None:
    """This participant's own vote in the open round, the one thing they may see before the reveal."""
    item = room.current_estimate
    return item.current_round.votes.get(pid) if item else None
