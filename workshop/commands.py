"""What people can do in a room as a whole: open it, join, form working groups, run each group's agenda and timer.

Transport-free: the HTTP handlers call these with an `Actor` taken from the signed cookie, never from the request
body, so a participant cannot claim the facilitator's rights by crafting a form or a socket message. Each kind of
activity has its own commands module (estimate_commands, idea_commands, board_commands); they all ask `access()`
who may do what in the activity's group.
"""

from __future__ import annotations

import datetime
import secrets
import time
from dataclasses import dataclass, replace

from .domain import codes
from .domain import timer as timers
from .domain.archive import from_archive
from .domain.boards import Board
from .domain.errors import N_, ROOM_NOT_FOUND, Conflict, Forbidden, Invalid, NotFound
from .domain.order import neighbour
from .domain.rooms import GROUPS_MAX, Activity, Group, Participant, Role, Room, check_group_name, check_title
from .domain.rooms import new_participant as make_participant
from .store import Rejected, Store

FACILITATOR_ONLY = N_("Das darf nur die Moderation.")
OTHER_GROUP = N_("Das gehört zu einer anderen Arbeitsgruppe.")
JOIN_FIRST = N_("Bitte tritt dem Workshop zuerst bei.")


@dataclass(frozen=True)
class Actor:
    """Who is asking, as the server knows it: a participant id, and what they facilitate: the whole room (the
    main facilitator link) or single groups (a group's own link)."""

    pid: str | None = None
    facilitator: bool = False
    groups: frozenset[str] = frozenset()

    def facilitates(self, group: str) -> bool:
        return self.facilitator or group in self.groups

    @property
    def facilitates_any(self) -> bool:
        return self.facilitator or bool(self.groups)


@dataclass(frozen=True)
class Access:
    """What an actor may do in one group: the room focused on that group, whether they facilitate it, and who
    they are in it (None: not one of its members)."""

    room: Room
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


async def load(store: Store, code: str) -> Room:
    room = await store.load(code)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    return room


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
    return Access(room.for_group(group.id), facilitator, person)


def facilitator_only(actor: Actor) -> None:
    """Room-wide actions (groups, settings, deleting, the main link) are the main facilitator's."""
    if not actor.facilitator:
        raise Forbidden(FACILITATOR_ONLY)


def new_id() -> str:
    return secrets.token_urlsafe(6)


def now_ms() -> int:
    return int(time.time() * 1000)


# -- the room --------------------------------------------------------------------------------------------------


async def create_room(
    store: Store, title: object, *, ask_org: bool = False, group_name: str = "Arbeitsgruppe 1"
) -> tuple[Room, str]:
    """A new room with a fresh join code and one group, and the secret of its facilitator link."""
    clean = check_title(title)
    token = codes.new_secret()
    while True:
        room = Room(
            codes.new_code(),
            clean,
            datetime.date.today().isoformat(),
            ask_org=ask_org,
            groups=(Group(new_id(), check_group_name(group_name)),),
        )
        try:
            await store.create_room(room, token)
            return room, token
        except FileExistsError:  # a code already taken: draw again
            continue


async def join(
    store: Store, code: str, pid: str, name: object, org: object, observer: bool, group: str = ""
) -> Participant:
    """Let someone in, into the group they chose (or the first). Joining twice with the same id (a double submit)
    yields the same participant."""
    room = await load(store, code)
    if pid in room.participants:
        return room.participants[pid]
    choosing = group and room.several_groups and room.choose_group  # else the facilitator assigns groups
    chosen = room.group_by_id(group).id if choosing else room.groups[0].id
    person = make_participant(pid, name, org if room.ask_org else "", observer, group=chosen)
    await store.join(code, person)
    return person


async def set_options(
    store: Store, actor: Actor, code: str, *, ask_org: bool, auto_reveal: bool, choose_group: bool = True
) -> None:
    from .estimate_commands import reveal_if_everyone_voted  # estimates build on this module, not the other way

    facilitator_only(actor)
    await store.set_options(code, ask_org=ask_org, auto_reveal=auto_reveal, choose_group=choose_group)
    if auto_reveal:
        room = await load(store, code)
        for group in room.groups:
            await reveal_if_everyone_voted(store, room.for_group(group.id))


async def delete_room(store: Store, actor: Actor, code: str, confirm: str) -> None:
    """Delete the room and everything in it, now. The facilitator confirms by typing the room's code."""
    facilitator_only(actor)
    await load(store, code)
    if codes.normalize(confirm or "") != code:
        raise Invalid(N_("Zum Löschen bitte den Code des Workshops eintippen."))
    await store.delete_room(code)


async def restore_room(store: Store, data: object) -> tuple[Room, str]:
    """A new room (new code, new facilitator link) with everything an archive holds."""
    token = codes.new_secret()
    while True:
        room = from_archive(data, codes.new_code())
        try:
            await store.restore(room, token)
            return room, token
        except FileExistsError:
            continue


async def new_facilitator_link(store: Store, actor: Actor, code: str) -> str:
    """A new secret for the facilitator link; the old link stops working (devices already in keep their rights)."""
    facilitator_only(actor)
    await load(store, code)
    token = codes.new_secret()
    await store.replace_facilitator_token(code, token)
    return token


# -- working groups --------------------------------------------------------------------------------------------


async def add_group(store: Store, actor: Actor, code: str, name: object) -> Group:
    facilitator_only(actor)
    room = await load(store, code)
    if len(room.groups) >= GROUPS_MAX:
        raise Conflict(N_("Mehr als {max} Arbeitsgruppen gehen nicht."), max=GROUPS_MAX)
    group = Group(new_id(), check_group_name(name))
    try:
        await store.add_group(code, group, GROUPS_MAX)
    except Rejected as error:  # others were added meanwhile
        raise Conflict(N_("Mehr als {max} Arbeitsgruppen gehen nicht."), max=GROUPS_MAX) from error
    return group


async def rename_group(store: Store, actor: Actor, code: str, group: str, name: object) -> None:
    facilitator_only(actor)
    (await load(store, code)).group_by_id(group)
    await store.rename_group(code, group, check_group_name(name))


async def delete_group(store: Store, actor: Actor, code: str, group: str) -> None:
    """Remove a group that has nothing on its agenda; its people move to the first remaining group."""
    facilitator_only(actor)
    room = await load(store, code)
    doomed = room.group_by_id(group)
    if not room.several_groups:
        raise Conflict(N_("Ein Workshop hat mindestens eine Gruppe."))
    if doomed.agenda:
        raise Conflict(N_("Diese Gruppe hat schon einen Ablauf. Nur Gruppen ohne Aktivitäten lassen sich löschen."))
    to = next(g for g in room.groups if g.id != group)
    try:
        await store.delete_group(code, group, room.members_of(doomed), to.id)
    except Rejected as error:
        raise Conflict(N_("Die Gruppe hat sich inzwischen verändert. Bitte noch einmal versuchen.")) from error
    if room.projected == group:
        await store.set_projected(code, "")


async def new_group_link(store: Store, actor: Actor, code: str, group: str) -> str:
    """A facilitator link of a group's own: whoever opens it facilitates that group, and only that group."""
    facilitator_only(actor)
    (await load(store, code)).group_by_id(group)
    token = codes.new_secret()
    await store.set_group_token(code, group, token)
    return token


async def move_person(store: Store, actor: Actor, code: str, pid: str, group: str) -> None:
    """The main facilitator assigns someone to a group."""
    facilitator_only(actor)
    room = await load(store, code)
    person = room.participants.get(pid)
    if person is None:
        raise NotFound(N_("Diese Person ist nicht mehr im Workshop."))
    await store.update_person(code, replace(person, group=room.group_by_id(group).id))


async def choose_group(store: Store, actor: Actor, code: str, group: str) -> None:
    """A participant changes to another group themselves, while the facilitator allows it."""
    room = await load(store, code)
    person = room.participants.get(actor.pid or "")
    if person is None:
        raise Forbidden(JOIN_FIRST)
    if not room.choose_group:
        raise Forbidden(N_("Die Gruppen teilt gerade die Moderation ein."))
    await store.update_person(code, replace(person, group=room.group_by_id(group).id))


async def project(store: Store, actor: Actor, code: str, group: str) -> None:
    """What the main projector shows: one group, or ("") the overview of all groups."""
    facilitator_only(actor)
    room = await load(store, code)
    if group:
        room.group_by_id(group)
    await store.set_projected(code, group)


# -- a group's agenda and timer -----------------------------------------------------------------------------------


async def add_activity(store: Store, actor: Actor, code: str, group: str, activity: Activity, start: bool) -> None:
    """Put a new activity on a group's agenda; with `start` (or an empty stage) it is on screen at once."""
    group_access = access_to_group(await load(store, code), actor, group)
    group_access.require_facilitator()
    room = group_access.room
    await store.add_activity(code, room.group.id, activity, make_current=start or room.current is None)


async def go_to(store: Store, actor: Actor, code: str, activity_id: str) -> None:
    """Put an activity of a group's agenda on that group's screens."""
    room = await load(store, code)
    group_access = access(room, actor, activity_id)
    group_access.require_facilitator()
    if activity_id not in group_access.room.group.agenda:
        raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))
    await store.set_current(code, group_access.room.group.id, activity_id)


async def move_activity(store: Store, actor: Actor, code: str, activity_id: str, step: int) -> None:
    """One place earlier (-1) or later (+1) on its group's agenda."""
    room = await load(store, code)
    group_access = access(room, actor, activity_id)
    group_access.require_facilitator()
    group = group_access.room.group
    if activity_id not in group.agenda:
        raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))
    try:
        await store.move_in_agenda(
            code, group.id, group.agenda, activity_id, neighbour(group.agenda, activity_id, step)
        )
    except Rejected as error:
        raise Conflict(N_("Der Ablauf hat sich inzwischen geändert. Bitte noch einmal versuchen.")) from error


async def remove_activity(store: Store, actor: Actor, code: str, activity_id: str) -> None:
    """Delete an activity that is not on screen from its group's agenda, with all its votes, cards and entries."""
    room = await store.load(code, everything=True)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    group_access = access(room, actor, activity_id)
    group_access.require_facilitator()
    group = group_access.room.group
    if activity_id not in group.agenda:
        raise NotFound(N_("Diese Frage gibt es in diesem Workshop nicht."))
    if activity_id == group.current_id:
        raise Conflict(
            N_("Was gerade auf dem Bildschirm ist, lässt sich nicht löschen. Bitte erst etwas anderes zeigen.")
        )
    doomed = room.activity(activity_id)
    attached = [room.activity(e) for e in doomed.estimates] if isinstance(doomed, Board) else []
    try:
        await store.remove_activity(code, group, [doomed, *attached])
    except Rejected as error:
        raise Conflict(N_("Der Ablauf hat sich inzwischen geändert. Bitte noch einmal versuchen.")) from error


async def timer(store: Store, actor: Actor, code: str, group: str, action: str, minutes: object = "") -> None:
    """Start, pause, resume or stop a group's countdown. The end time is the server's."""
    group_access = access_to_group(await load(store, code), actor, group)
    group_access.require_facilitator()
    seen = group_access.room.group.timer
    now = now_ms()
    if (action, seen.state) in (("pause", "paused"), ("resume", "running"), ("stop", "off")):
        return  # another tab did it first: it stands
    if action == "start":
        changed = timers.start(timers.check_minutes(minutes), now)
    elif action == "pause":
        changed = timers.pause(seen, now)
    elif action == "resume":
        changed = timers.resume(seen, now)
    elif action == "stop":
        changed = timers.stop()
    else:
        raise Invalid(N_("Die Anfrage ist unvollständig. Bitte die Seite neu laden."))
    try:
        await store.set_timer(code, group_access.room.group.id, changed, seen)
    except Rejected:
        return  # another tab changed the timer first: theirs stands
