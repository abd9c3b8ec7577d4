"""The complete workshop as JSON (schema version 2: working groups and boards), and back: an archive restores into
a new room. Version 1 archives (one agenda, before working groups) still restore, as a room with one group.

Pure. `from_archive` checks everything before anything is written, and says in a sentence what is wrong. Each
kind of activity writes and reads its own part (domain/kinds.py). Secrets (facilitator links) are never archived.
"""

from __future__ import annotations

import re
from typing import Any

from .boards import Board
from .errors import N_, Invalid
from .ideas import Ideas
from .kinds import KINDS
from .poker import Item
from .rooms import Group, Participant, Role, Room, check_group_name, check_title

SCHEMA = "workshop-archive"
VERSION = 2
READS = (1, 2)

BROKEN = N_("Diese Datei ist kein lesbares Workshop-Archiv. Es wurde nichts angelegt.")
ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what this app generates; an id goes into Redis keys and URLs


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
        if len(activities) != len(data["activities"]):
            raise ValueError("activity ids are unique")
        if data["version"] == 1 and any(isinstance(a, Board) for a in activities.values()):
            raise ValueError("version 1 had no boards")
        groups = _groups(data, activities) if data["version"] > 1 else _one_group(data, activities)
        group_ids = {g.id for g in groups}
        _check_ids(activities.values(), groups, data["participants"])
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
            bool(data.get("ask_org")),
            bool(data.get("auto_reveal")),
            bool(data.get("choose_group", True)),
            people,
            activities,
            groups,
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        raise Invalid(BROKEN) from None


def _check_ids(activities: Any, groups: tuple[Group, ...], participants: list[dict[str, Any]]) -> None:
    """Every id is one this app could have made, and unique where it names one thing."""
    ids: list[str] = [g.id for g in groups] + [str(p["id"]) for p in participants]
    for a in activities:
        ids.append(a.id)
        if isinstance(a, Board):
            sections = [s.id for s in a.sections]
            if len(set(sections)) != len(sections):
                raise ValueError("section ids are unique")
            ids += sections + list(a.entries)
        elif isinstance(a, Ideas):
            ids += list(a.cards) + [t.id for t in a.themes]
    if not all(ID.fullmatch(i) for i in ids) or len({str(p["id"]) for p in participants}) != len(participants):
        raise ValueError("ids")


def _activity(data: dict[str, Any]) -> Any:
    return KINDS[data["kind"]].from_data(data)


def _groups(data: dict[str, Any], activities: dict[str, Any]) -> tuple[Group, ...]:
    groups = tuple(
        Group(str(g["id"]), check_group_name(g["name"]), tuple(map(str, g["agenda"])), g.get("current") or None)
        for g in data["groups"]
    )
    on_agendas = [a for g in groups for a in g.agenda]
    attached = [e for a in activities.values() if isinstance(a, Board) for e in a.estimates]
    everywhere = on_agendas + attached
    if (
        not groups
        or len({g.id for g in groups}) != len(groups)
        or sorted(everywhere) != sorted(activities)  # each activity in exactly one place
        or any(not isinstance(activities[e], Item) for e in attached)
        or any(g.current_id and g.current_id not in g.agenda for g in groups)
    ):
        raise ValueError("groups and agendas hold every activity once")
    return groups


def _one_group(data: dict[str, Any], activities: dict[str, Any]) -> tuple[Group, ...]:
    """Version 1: one agenda of estimates and idea collections, before there were working groups."""
    current = data.get("current") or None
    if current and current not in activities:
        raise ValueError("the current activity is on the agenda")
    return (Group("main", "Arbeitsgruppe 1", tuple(activities), current),)
