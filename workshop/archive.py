"""The complete workshop as JSON (schema version 2: working groups and boards), and back: an archive restores into
a new room. Version 1 archives (one agenda, before working groups) still restore, as a room with one group.

Pure. `from_archive` checks everything before anything is written, and says in a sentence what is wrong. Each
kind of activity writes and reads its own part (its `to_data` and `from_data`, which check the ids inside it).
Secrets (facilitator links) are never archived.
"""

from __future__ import annotations

from typing import Any

from .domain.errors import N_, Invalid
from .domain.ids import check_id, check_unique
from .domain.rooms import Activity, Group, Participant, Role, Room, check_group_name, check_title
from .kinds import KINDS

SCHEMA = "workshop-archive"
VERSION = 2
READS = (1, 2)

BROKEN = N_("Diese Datei ist kein lesbares Workshop-Archiv. Es wurde nichts angelegt.")


def to_archive(room: Room) -> dict[str, Any]:
    """Everything of the room (loaded with every activity's details), as plain JSON data."""
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "title": room.title,
        "created": room.created,
        "ask_org": room.ask_org,
        "auto_reveal": room.auto_reveal,
        "choose_group": room.choose_group,
        "groups": [
            {"id": g.id, "name": g.name, "agenda": list(g.agenda), "current": g.current_id} for g in room.groups
        ],
        "participants": [
            {
                "id": p.id,
                "name": p.name,
                "org": p.org,
                "role": p.role.value,
                "by_facilitator": p.by_facilitator,
                "group": p.group,
            }
            for p in room.participants.values()
        ],
        "activities": [KINDS[a.kind].to_data(a) for a in room.activities.values()],
    }


def from_archive(data: object, code: str) -> Room:
    """The room an archive describes, under a new code; Invalid with a clear message if it is not one."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise Invalid(BROKEN)
    if data.get("version") not in READS:
        raise Invalid(
            N_(
                "Dieses Archiv hat die Version {found}; diese Installation liest Version {expected}. "
                "Es wurde nichts angelegt."
            ),
            found=str(data.get("version")),
            expected=" / ".join(map(str, READS)),
        )
    try:
        activities = {a.id: a for a in (_activity(a) for a in data["activities"])}
        check_unique([str(a.get("id")) for a in data["activities"]])
        if data["version"] == 1 and any(a.children for a in activities.values()):
            raise ValueError("version 1 had no boards")
        groups = _groups(data, activities) if data["version"] > 1 else _one_group(data, activities)
        group_ids = {g.id for g in groups}
        check_unique([check_id(p["id"]) for p in data["participants"]])
        people = {
            str(p["id"]): Participant(
                str(p["id"]),
                str(p["name"]),
                str(p.get("org", "")),
                Role(p["role"]),
                bool(p.get("by_facilitator", False)),
                str(p.get("group", "")) if p.get("group") in group_ids else groups[0].id,
            )
            for p in data["participants"]
        }
        return Room(
            code,
            check_title(data["title"]),
            str(data.get("created", "")),
            ask_org=bool(data.get("ask_org")),
            auto_reveal=bool(data.get("auto_reveal")),
            choose_group=bool(data.get("choose_group", True)),
            participants=people,
            activities=activities,
            groups=groups,
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        raise Invalid(BROKEN) from None


def _activity(data: dict[str, Any]) -> Activity:
    return KINDS[data["kind"]].from_data(data)  # type: ignore[no-any-return]


def _groups(data: dict[str, Any], activities: dict[str, Activity]) -> tuple[Group, ...]:
    groups = tuple(
        Group(check_id(g["id"]), check_group_name(g["name"]), tuple(map(str, g["agenda"])), g.get("current") or None)
        for g in data["groups"]
    )
    on_agendas = [a for g in groups for a in g.agenda]
    children = [(parent, c) for parent in activities.values() for c in parent.children]
    everywhere = on_agendas + [c for _, c in children]
    if (
        not groups
        or len({g.id for g in groups}) != len(groups)
        or sorted(everywhere) != sorted(activities)  # each activity in exactly one place
        or any(activities[c].kind != KINDS[parent.kind].child_kind for parent, c in children)
        or any(g.current_id and g.current_id not in g.agenda for g in groups)
    ):
        raise ValueError("groups and agendas hold every activity once")
    return groups


def _one_group(data: dict[str, Any], activities: dict[str, Activity]) -> tuple[Group, ...]:
    """Version 1: one agenda of estimates and idea collections, before there were working groups."""
    current = data.get("current") or None
    if current and current not in activities:
        raise ValueError("the current activity is on the agenda")
    return (Group("main", "Arbeitsgruppe 1", tuple(activities), current),)
