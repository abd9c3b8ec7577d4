"""What the facilitator does with action items: agree one on a board section or an idea theme (with who is
responsible and, optionally, by when), tick it off (or not), take it back.

Action items are the facilitator's to write, also where participants write entries: a phone should not put a task
on a colleague's name; the room agrees on it aloud and the facilitator records it (on the console, with the people's
names offered). Any facilitator of the activity's group may, whether the activity is on screen or not.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...change import Change
from ...commands import Call, Command, command, new_id, text
from ...domain.errors import N_, NotFound
from ...domain.rooms import Activity, Room
from ...domain.visibility import access
from ...kinds import KINDS
from ..kind import Kind
from . import rules, storage
from .rules import Action

CHANGED = N_("Die Maßnahmen haben sich inzwischen verändert. Bitte noch einmal versuchen.")
NO_PLACE = N_("Hier lassen sich keine Maßnahmen festhalten.")


def _facilitating(room: Room, call: Call, activity_id: str) -> tuple[Activity, Kind[Any]]:
    activity = room.activity(activity_id)
    access(room, call.actor, activity_id).require_facilitator()
    kind = KINDS[activity.kind]
    if not kind.places(activity) and not kind.actions(activity):
        raise NotFound(NO_PLACE)
    return activity, kind


async def add_action(call: Call, *, activity: str, place: str, text: str, owner: str, due: str = "") -> Action:
    action_id = new_id()
    written: list[Action] = []

    def plan(room: Room) -> Change:
        found, kind = _facilitating(room, call, activity)
        if place not in kind.places(found):
            raise NotFound(N_("Diesen Abschnitt oder dieses Thema gibt es nicht mehr."))
        action = Action(action_id, rules.check_text(text), rules.check_owner(owner), rules.check_due(due), False, place)
        written[:] = [action]
        return storage.add(call.code, found.kind, found.id, action)

    await call.change(plan, once=True, conflict=CHANGED, everything=True)
    return written[0]


async def set_done(call: Call, *, activity: str, action: str, done: str) -> None:
    def plan(room: Room) -> Change | None:
        found, kind = _facilitating(room, call, activity)
        old = rules.find(kind.actions(found), action)
        wanted = done == "1"
        return None if old.done == wanted else storage.save(call.code, found.kind, found.id, replace(old, done=wanted))

    await call.change(plan, conflict=CHANGED, everything=True)


async def delete_action(call: Call, *, activity: str, action: str) -> None:
    def plan(room: Room) -> Change:
        found, kind = _facilitating(room, call, activity)
        rules.find(kind.actions(found), action)
        return storage.delete(call.code, found.kind, found.id, action)

    await call.change(plan, conflict=CHANGED, everything=True)


COMMANDS: dict[str, Command] = {
    "actions": command(add_action, activity=text(), place=text(), text=text(), owner=text(), due=text()),
    "actions/done": command(set_done, activity=text(), action=text(), done=text()),
    "actions/delete": command(delete_action, activity=text(), action=text()),
}
