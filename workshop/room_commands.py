"""What people can do in a room as a whole: open it, join, form working groups, run each group's agenda and timer.

Each kind of activity has its own commands (workshop/activities/<kind>/commands.py); they put their activities on
an agenda with `add_activity`, and ask `domain.visibility` who may do what in the activity's group, as these do.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from . import links
from . import store as changes
from .change import Change
from .commands import Call, Command, command, flag, new_id, number, text
from .domain import assign, codes
from .domain import timer as timers
from .domain.errors import N_, Conflict, Forbidden, Invalid, NotFound
from .domain.order import neighbour
from .domain.rooms import (
    GROUPS_MAX,
    NO_ACTIVITY,
    Activity,
    Group,
    GroupView,
    Participant,
    Role,
    Room,
    check_group_name,
    check_title,
)
from .domain.rooms import new_participant as make_participant
from .domain.visibility import JOIN_FIRST, access, access_to_group, require_main_facilitator
from .store import Store

TOO_MANY_GROUPS = N_("Mehr als {max} Arbeitsgruppen gehen nicht.")
FIRST_GROUP = N_("Arbeitsgruppe %(n)s")  # the name of a group the app makes
AGENDA_CHANGED = N_("Der Ablauf hat sich inzwischen geändert. Bitte noch einmal versuchen.")


def now_ms() -> int:
    return int(time.time() * 1000)


# -- the room --------------------------------------------------------------------------------------------------


async def create_room(
    store: Store, title: object, *, ask_org: bool = False, group_name: str = "Arbeitsgruppe 1", language: str = ""
) -> tuple[Room, str]:
    """A new room with a fresh join code and one group, and the secret of its facilitator link; its projector speaks
    the language of the one who opened it."""
    clean = check_title(title)
    token = codes.new_secret()
    while True:
        room = Room(
            codes.new_code(),
            clean,
            datetime.date.today().isoformat(),
            ask_org=ask_org,
            choose_group=False,  # groups are kept apart unless the facilitator lets people choose (console)
            groups=(Group(new_id(), check_group_name(group_name)),),
            language=language,
        )
        try:
            await store.create_room(room, token)
            return room, token
        except FileExistsError:  # a code already taken: draw again
            continue


async def restore_room(store: Store, room_with_code: Callable[[str], Room]) -> tuple[Room, str]:
    """A new room (new code, new facilitator link) with everything an archive holds: `room_with_code` reads the
    archive into a room with the code it is given."""
    token = codes.new_secret()
    while True:
        room = room_with_code(codes.new_code())
        try:
            await store.restore(room, token)
            return room, token
        except FileExistsError:
            continue


async def join(call: Call, *, pid: str, name: object, org: object, observer: bool, group: str = "") -> Participant:
    """Let someone in, into the group they chose (or the first). Joining twice with the same id (a double submit)
    yields the same participant."""
    joined: list[Participant] = []

    def plan(room: Room) -> Change | None:
        joined[:] = [room.participants[pid]] if pid in room.participants else []
        if joined:
            return None
        choosing = group and room.several_groups and room.choose_group  # else the facilitator assigns groups
        chosen = room.group_by_id(group).id if choosing else room.groups[0].id
        joined.append(make_participant(pid, name, org if room.ask_org else "", observer, group=chosen))
        return changes.join(call.code, joined[0])

    await call.change(plan)
    return joined[0]


async def set_options(
    call: Call, *, ask_org: bool, auto_reveal: bool, choose_group: bool = False, join_big: bool = False
) -> None:
    require_main_facilitator(call.actor)
    options = {"ask_org": ask_org, "auto_reveal": auto_reveal, "choose_group": choose_group, "join_big": join_big}
    await call.store.apply(call.code, changes.set_options(call.code, **options))
    if auto_reveal:
        for group in (await call.room()).groups:
            await settle(call, group.id)


async def settle(call: Call, group: str) -> None:
    """Let what the group acts on now complete itself where the room allows it (with auto-reveal: a round in which
    everyone voted reveals itself). Each kind decides, in its `settle`."""

    def plan(room: Room) -> Change | None:
        view = room.view(group) if group in {g.id for g in room.groups} else None
        live = view.live if view is not None else None
        if view is None or live is None:
            return None
        settled: Change | None = call.store.kinds[live.kind].settle(call.code, view)
        return settled

    await call.change(plan)


async def set_language(call: Call, *, language: str) -> None:
    """The projector speaks the main facilitator's language; a switch on the console switches it too."""
    if call.actor.facilitator:
        await call.store.apply(call.code, changes.set_language(call.code, language))


async def delete_room(call: Call, *, confirm: str) -> None:
    """Delete the room and everything in it, now. The facilitator confirms by typing the room's code."""
    require_main_facilitator(call.actor)
    await call.room()
    if codes.normalize(confirm or "") != call.code:
        raise Invalid(N_("Zum Löschen bitte den Code des Workshops eintippen."))
    await call.store.delete_room(call.code)


async def new_facilitator_link(call: Call) -> tuple[str, int]:
    """A new secret for the facilitator link: the old link stops working, and every device that came in through it
    is signed out. The secret, and the new link's generation (the device that asked stays in under it)."""
    require_main_facilitator(call.actor)
    await call.room()
    token = codes.new_secret()
    return token, await links.replace(call.store, call.code, token)


async def sign_out_others(call: Call) -> int:
    """Sign out every other facilitator device, of the room and of every group (the links stay as they are). The
    room link's new generation, for the device that asked."""
    require_main_facilitator(call.actor)
    await call.room()
    return await links.sign_out_others(call.store, call.code)


# -- working groups --------------------------------------------------------------------------------------------


async def add_group(call: Call, *, name: str, choose_group: bool = False) -> Group:
    """A new group. Whether participants choose (and change) their group themselves is decided with the first one, on
    the form that adds it (later in the settings): off, the facilitator assigns people and no one sees another group's
    work."""
    require_main_facilitator(call.actor)
    group = Group(new_id(), check_group_name(name))

    def plan(room: Room) -> Change:
        if len(room.groups) >= GROUPS_MAX:
            raise Conflict(TOO_MANY_GROUPS, max=GROUPS_MAX)
        added = changes.add_group(call.code, group, GROUPS_MAX)
        if room.several_groups:
            return added
        return added + changes.set_options(call.code, choose_group=choose_group)

    await call.change(plan, once=True)
    return group


async def rename_group(call: Call, *, group: str, name: str) -> None:
    require_main_facilitator(call.actor)
    title = check_group_name(name)
    await call.change(lambda room: changes.rename_group(call.code, room.group_by_id(group).id, title))


async def delete_group(call: Call, *, group: str) -> None:
    """Remove a group that has nothing on its agenda; its people move to the first remaining group."""
    require_main_facilitator(call.actor)

    def plan(room: Room) -> Change:
        doomed = room.group_by_id(group)
        if not room.several_groups:
            raise Conflict(N_("Ein Workshop hat mindestens eine Gruppe."))
        if doomed.agenda:
            raise Conflict(N_("Diese Gruppe hat schon einen Ablauf. Nur Gruppen ohne Aktivitäten lassen sich löschen."))
        to = next(g for g in room.groups if g.id != group)
        change = changes.delete_group(call.code, group, room.members_of(doomed), to.id)
        return change + changes.set_projected(call.code, "") if room.projected == group else change

    await call.change(plan, conflict=N_("Die Gruppe hat sich inzwischen verändert. Bitte noch einmal versuchen."))


async def new_group_link(call: Call, *, group: str) -> str:
    """A facilitator link of a group's own: whoever opens it facilitates that group, and only that group. A new one
    replaces the old: the devices that came in through it are signed out."""
    require_main_facilitator(call.actor)
    (await call.room()).group_by_id(group)
    token = codes.new_secret()
    await links.replace(call.store, call.code, token, group=group)
    return token


async def move_person(call: Call, *, person: str, group: str) -> None:
    """The main facilitator assigns someone to a group."""
    require_main_facilitator(call.actor)

    def plan(room: Room) -> Change:
        someone = room.participants.get(person)
        if someone is None:
            raise NotFound(N_("Diese Person ist nicht mehr im Workshop."))
        return changes.update_person(call.code, replace(someone, group=room.group_by_id(group).id))

    await call.change(plan)


async def assign_randomly(call: Call, *, by: str, number: int) -> Room:
    """The main facilitator deals the participants who are here now to groups at random: into `number` groups, or
    groups of `number` people (`by`). The room's groups are used in order, and the missing ones made ("Arbeitsgruppe
    3"); observers, people without a phone and facilitators stay where they are. Sent twice, dealt once."""
    require_main_facilitator(call.actor)
    fresh = [new_id() for _ in range(GROUPS_MAX)]
    chance = random.SystemRandom()

    def plan(room: Room) -> Change:
        here = [p for p in room.participants.values() if p.role is Role.PARTICIPANT and p.id in room.online]
        if not here:
            raise Conflict(N_("Gerade ist niemand verbunden, der mitmacht: Es gibt niemanden zu verteilen."))
        count = assign.groups_for(len(here), by=by, number=number)
        if count > GROUPS_MAX:
            raise Conflict(TOO_MANY_GROUPS, max=GROUPS_MAX)
        name = call.translate(FIRST_GROUP)
        made = [Group(fresh[n], name % {"n": n + 1}) for n in range(len(room.groups), count)]
        dealt = assign.deal([p.id for p in here], [g.id for g in (*room.groups, *made)][:count], chance)
        change = Change()
        for group in made:
            change += changes.add_group(call.code, group, GROUPS_MAX - len(made) + 1)
        made_ids = {g.id for g in made}
        for person in here:
            moved = replace(person, group=dealt[person.id])
            change += changes.update_person(call.code, moved, new_group=moved.group in made_ids)
        return change

    return await call.change(plan, once=True)


async def choose_group(call: Call, *, group: str) -> None:
    """A participant changes to another group themselves, while the facilitator allows it."""

    def plan(room: Room) -> Change:
        person = room.participants.get(call.actor.pid or "")
        if person is None:
            raise Forbidden(JOIN_FIRST)
        if not room.choose_group:
            raise Forbidden(N_("Die Gruppen teilt gerade die Moderation ein."))
        return changes.update_person(call.code, replace(person, group=room.group_by_id(group).id))

    await call.change(plan)


async def project(call: Call, *, group: str) -> None:
    """What the main projector shows: one group, or ("") the overview of all groups."""
    require_main_facilitator(call.actor)

    def plan(room: Room) -> Change:
        if group:
            room.group_by_id(group)
        return changes.set_projected(call.code, group)

    await call.change(plan)


# -- a group's agenda and timer -----------------------------------------------------------------------------------


async def add_activity(call: Call, group: str, activity: Activity, *, start: bool) -> None:
    """Put a new activity on a group's agenda; with `start` (or an empty stage) it is on screen at once. The one way
    every kind adds its activities."""
    await add_activities(call, group, lambda view: [activity], start=start)


async def add_activities(
    call: Call, group: str, make: Callable[[GroupView], Sequence[Activity]], *, start: bool = False
) -> None:
    """Put new activities (`make` makes them from the group as it is now: an imported list leaves out what is there
    already) on a group's agenda, in order, all in one change or none; with `start` (or an empty stage) the first is
    on screen at once."""

    def plan(room: Room) -> Change:
        member = access_to_group(room, call.actor, group)
        member.require_facilitator()
        view = member.view
        change = Change()
        for n, activity in enumerate(make(view)):
            current = n == 0 and (start or view.current is None)
            change += call.store.add_activity(call.code, view.group.id, activity, make_current=current)
        return change

    await call.change(plan, once=True)


def _on_agenda(room: Room, call: Call, activity_id: str) -> GroupView:
    """The group whose agenda holds this activity, if the actor facilitates it."""
    member = access(room, call.actor, activity_id)
    member.require_facilitator()
    if activity_id not in member.view.group.agenda:
        raise NotFound(NO_ACTIVITY)
    return member.view


async def go_to(call: Call, *, activity: str) -> None:
    """Put an activity of a group's agenda on that group's screens."""
    await call.change(lambda room: changes.set_current(call.code, _on_agenda(room, call, activity).group.id, activity))


async def move_activity(call: Call, *, activity: str, step: int) -> None:
    """One place earlier (-1) or later (+1) on its group's agenda."""

    def plan(room: Room) -> Change:
        agenda = _on_agenda(room, call, activity).group
        before = neighbour(agenda.agenda, activity, step)
        return changes.move_in_agenda(call.code, agenda.id, agenda.agenda, activity, before)

    await call.change(plan, conflict=AGENDA_CHANGED)


async def remove_activity(call: Call, *, activity: str) -> None:
    """Delete an activity that is not on screen from its group's agenda, with everything in it and its children."""

    def plan(room: Room) -> Change:
        group = _on_agenda(room, call, activity).group
        if activity == group.current_id:
            raise Conflict(
                N_("Was gerade auf dem Bildschirm ist, lässt sich nicht löschen. Bitte erst etwas anderes zeigen.")
            )
        doomed = room.activity(activity)
        children = [room.activity(c) for c in doomed.children]
        return call.store.remove_activity(call.code, group, [doomed, *children])

    await call.change(plan, conflict=AGENDA_CHANGED, everything=True)


async def timer(call: Call, *, group: str, action: str, minutes: str = "") -> None:
    """Start, pause, resume or stop a group's countdown. The end time is the server's. Two tabs doing the same at
    once do it once; the first stands."""

    first_seen: list[timers.Timer] = []

    def plan(room: Room) -> Change | None:
        member = access_to_group(room, call.actor, group)
        member.require_facilitator()
        seen = member.view.group.timer
        if first_seen and seen != first_seen[0]:
            return None  # another tab changed the timer between our look and our write: theirs stands
        first_seen[:] = [seen]
        now = now_ms()
        if (action, seen.state) in (("pause", "paused"), ("resume", "running"), ("stop", "off")):
            return None  # another tab did it first: it stands
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
        return changes.set_timer(call.code, member.view.group.id, changed, seen)

    await call.change(plan)


async def timer_sound(call: Call, *, group: str, sound: bool) -> None:
    """Whether the group's projector plays a short sound when the timer runs out (on unless its facilitator mutes
    it); every screen shows and says the end either way."""

    def plan(room: Room) -> Change:
        member = access_to_group(room, call.actor, group)
        member.require_facilitator()
        return changes.set_quiet(call.code, member.view.group.id, not sound)

    await call.change(plan)


# Path under /r/CODE/ → what it does.
COMMANDS: dict[str, Command] = {
    "options": command(set_options, ask_org=flag(), auto_reveal=flag(), choose_group=flag(), join_big=flag()),
    "groups": command(add_group, name=text(), choose_group=flag()),
    "groups/rename": command(rename_group, group=text(), name=text()),
    "groups/delete": command(delete_group, group=text()),
    "groups/project": command(project, group=text()),
    "people/move": command(move_person, person=text(), group=text()),
    "people/shuffle": command(assign_randomly, by=text(), number=number()),
    "group": command(choose_group, group=text()),
    "current": command(go_to, activity=text("item")),
    "agenda/move": command(move_activity, activity=text("item"), step=number()),
    "agenda/remove": command(remove_activity, activity=text("item")),
    "timer": command(timer, group=text(), action=text(), minutes=text()),
    "timer/sound": command(timer_sound, group=text(), sound=flag()),
}
