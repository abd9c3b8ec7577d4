"""Who may see and do what, in which working group: the one place that decides it.

An `Actor` is who asks, as the server knows it from the signed cookie (never from a form or a socket message). A
`Viewer` is a kind of screen (projector, console, a participant's or an observer's phone) and the group it shows.
Pages, sockets, commands and exports all ask this module; none decides on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import N_, Forbidden
from .rooms import GroupView, Participant, Role, Room

FACILITATOR_ONLY = N_("Das darf nur die Moderation.")
OTHER_GROUP = N_("Das gehört zu einer anderen Arbeitsgruppe.")
JOIN_FIRST = N_("Bitte tritt dem Workshop zuerst bei.")
CONSOLE_ONLY = N_("Diese Seite ist nur über den Moderationslink erreichbar.")
GROUP_PROJECTOR = N_("Den Beamer einer Arbeitsgruppe öffnet ihre Moderation, über die Konsole.")
OVERVIEW = ""  # the scope of the main projector while it shows all groups
VIEWS = ("projector", "facilitator", "participant", "observer")


@dataclass(frozen=True)
class Actor:
    """Who is asking: a participant id, and what they facilitate: the whole room (the main facilitator link) or
    single groups (a group's own link)."""

    pid: str | None = None
    facilitator: bool = False
    groups: frozenset[str] = frozenset()

    def facilitates(self, group: str) -> bool:
        return self.facilitator or group in self.groups

    @property
    def facilitates_any(self) -> bool:
        return self.facilitator or bool(self.groups)


@dataclass(frozen=True)
class Claims:
    """What a browser's signed cookie says about one room: its participant id there, and for each facilitator right
    (the room's link: `main`; a group's own link: `groups`) the generation of the link it came in through."""

    pid: str | None = None
    main: int | None = None
    groups: Mapping[str, int] = field(default_factory=dict)

    @property
    def facilitating(self) -> bool:
        return self.main is not None or bool(self.groups)


@dataclass(frozen=True)
class Generations:
    """The generation of the room's facilitator link and of each group's own link, as Redis has them now: a new
    link (or "sign all other devices out") counts up, and every right granted under an earlier one ends."""

    main: int = 0
    groups: Mapping[str, int] = field(default_factory=dict)  # the room's groups; a deleted group is missing


def actor_of(claims: Claims, now: Generations) -> Actor:
    """Who the cookie's holder is now: a facilitator right counts only while its link is of the current generation."""
    groups = frozenset(g for g, n in claims.groups.items() if g in now.groups and now.groups[g] == n)
    return Actor(claims.pid, claims.main is not None and claims.main == now.main, groups)


@dataclass(frozen=True)
class Viewer:
    """A screen: its kind (one of VIEWS), whose phone it is, and the group a console or a group's projector shows
    (a participant's group comes from the room). `everywhere`: the main facilitator's console."""

    kind: str
    pid: str | None = None
    group: str = ""
    everywhere: bool = False

    @property
    def facilitator(self) -> bool:
        return self.kind == "facilitator"


# -- acting in a group ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What an actor may do in one group: the group's view of the room, whether they facilitate it, and who they
    are in it (None: not one of its members)."""

    view: GroupView
    facilitator: bool
    person: Participant | None

    def require_facilitator(self) -> None:
        if not self.facilitator:
            raise Forbidden(FACILITATOR_ONLY)

    def participant(self, observer_message: str) -> Participant:
        """The member acting, if they take part (observers watch); else Forbidden."""
        if self.person is None:
            raise Forbidden(JOIN_FIRST)
        if self.person.role is not Role.PARTICIPANT:
            raise Forbidden(observer_message)
        return self.person


def access(room: Room, actor: Actor, activity_id: str) -> Access:
    """Who the actor is in the group this activity belongs to. A participant of another group is refused here:
    a group's activities are read and changed by its own members and facilitators only."""
    return access_to_group(room, actor, room.group_of(activity_id).id)


def access_to_group(room: Room, actor: Actor, group_id: str) -> Access:
    group = room.group_by_id(group_id) if group_id else room.groups[0]
    person = room.participants.get(actor.pid or "")
    facilitator = actor.facilitates(group.id)
    if person is not None and room.group_of_person(person.id).id != group.id:
        if not facilitator:
            raise Forbidden(OTHER_GROUP)
        person = None
    return Access(GroupView(room, group), facilitator, person)


def require_main_facilitator(actor: Actor) -> None:
    """Room-wide actions (groups, settings, deleting, the main link, the whole archive) are the main facilitator's."""
    if not actor.facilitator:
        raise Forbidden(FACILITATOR_ONLY)


def require_export(actor: Actor, group: str) -> None:
    """The minutes of one group are its facilitators'; the whole workshop's are the main facilitator's."""
    if not (actor.facilitates(group) if group else actor.facilitator):
        raise Forbidden(FACILITATOR_ONLY)


# -- screens -------------------------------------------------------------------------------------------------------


def scope(room: Room, viewer: Viewer) -> str:
    """The group this screen shows now (OVERVIEW: all of them). A phone shows its person's group as the room says it
    is now, so moving someone moves their phone too; the main projector shows what the facilitator chose."""
    ids = {g.id for g in room.groups}
    if viewer.kind in ("participant", "observer"):
        return room.group_of_person(viewer.pid or "").id
    if viewer.group in ids:
        return viewer.group
    if viewer.kind == "projector" and room.several_groups:
        return room.projected if room.projected in ids else OVERVIEW
    return room.groups[0].id


def console_group(room: Room, actor: Actor, wanted: str) -> str:
    """The group a console shows: the one asked for if the actor facilitates it, else the first they do."""
    ids = [g.id for g in room.groups]
    if wanted in ids and actor.facilitates(wanted):
        return wanted
    mine = next((g for g in ids if actor.facilitates(g)), None)
    if mine is None:  # not a facilitator, or a group's facilitator whose group was deleted
        raise Forbidden(CONSOLE_ONLY)
    return mine


def console(room: Room, actor: Actor, wanted: str) -> Viewer:
    """The console an actor may open: the group asked for, or the first they facilitate."""
    if not actor.facilitates_any:
        raise Forbidden(CONSOLE_ONLY)
    return Viewer("facilitator", group=console_group(room, actor, wanted), everywhere=actor.facilitator)


def projector(room: Room, actor: Actor, group: str) -> Viewer:
    """The main projector is everyone's (it shows what the main facilitator puts on it); a group's projector is for
    that group's facilitators, who open it from their console."""
    if group:
        room.group_by_id(group)
        if not actor.facilitates(group):
            raise Forbidden(GROUP_PROJECTOR)
    return Viewer("projector", group=group)


def phone(room: Room, actor: Actor) -> Viewer | None:
    """A participant's or an observer's phone; None for someone who has not joined."""
    person = room.participants.get(actor.pid or "")
    return Viewer(person.role.value, person.id) if person is not None else None


def socket_viewer(room: Room, actor: Actor, kind: str, group: str = "") -> Viewer | None:
    """The screen a socket may follow, or None: the role comes from the cookie, never from the request."""
    group_allowed = group in {g.id for g in room.groups} and actor.facilitates(group)
    if kind == "projector" and (group_allowed or not group):
        return Viewer("projector", group=group)
    if kind == "facilitator" and (group_allowed or (not group and actor.facilitator)):
        return Viewer("facilitator", group=group, everywhere=actor.facilitator)
    person = room.participants.get(actor.pid or "")
    if person is not None and person.role.value == kind:
        return Viewer(kind, person.id)
    return None


def answer_viewer(room: Room, actor: Actor, *, on_console: bool, group: str = "") -> Viewer:
    """The screen a command's answer is rendered for: the console it came from, or the asker's phone."""
    person = room.participants.get(actor.pid or "")
    if actor.facilitates_any and (on_console or person is None):
        return Viewer("facilitator", group=console_group(room, actor, group), everywhere=actor.facilitator)
    if person is not None:
        return Viewer(person.role.value, person.id)
    return Viewer("projector")


def still_allowed(room: Room, viewer: Viewer, actor: Actor | None = None) -> bool:
    """Whether an open screen may go on: a group's facilitator keeps their console while their group exists, and
    (given the actor as the cookie's rights are now) a console or a group's projector only while its holder still
    facilitates it: a new facilitator link ends the rights of the devices that came in through the old one."""
    if viewer.facilitator and not viewer.everywhere and viewer.group not in {g.id for g in room.groups}:
        return False
    if actor is None:
        return True
    if viewer.facilitator:
        return actor.facilitator if viewer.everywhere else actor.facilitates(viewer.group)
    if viewer.kind == "projector" and viewer.group:
        return actor.facilitates(viewer.group)
    return True
