"""Workshops prepared ahead: templates.

A template is a workshop's structure without people and results: its groups, each group's agenda (questions with
their decks, idea prompts with prepared themes and the dot vote's settings, boards with their sections, polls with
their options), and the room's settings. It is written in the archive's format (workshop/archive.py) with no
participants and every activity as its kind prepares it (`Kind.blank`), so one reader opens archives, templates and
the built-in templates alike: each opens as a new room with a new code. The built-in templates are files in this
package, from the network's practice.

Pure, but for reading the package's files.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..archive import from_archive, to_archive
from ..domain.errors import N_, Conflict, Invalid, NotFound
from ..domain.rooms import Room, check_title
from ..domain.timer import Timer
from ..kinds import KINDS

EMPTY = N_("Der Ablauf ist noch leer: Eine Vorlage braucht mindestens eine Aktivität.")
NO_SUCH_TEMPLATE = N_("Diese Vorlage gibt es nicht.")
EMPTY_TEMPLATE = N_("Diese Vorlage ist leer: Sie hat keine einzige Aktivität. Es wurde nichts angelegt.")


@dataclass(frozen=True)
class BuiltIn:
    """A template that comes with the app: its file in this package, and what the start page says of it."""

    name: str  # the file's name without .json, and the form's value
    label: str  # translatable
    description: str  # translatable

    def read(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(Path(__file__).with_name(f"{self.name}.json").read_text(encoding="utf-8"))
        return data


BUILT_IN = (
    BuiltIn(
        "initiativen-markt",
        N_("Initiativen.Markt"),
        N_(
            "Zwei Arbeitsgruppen: Ideen sammeln und in Themen sortieren, Punkte vergeben, dann das Thema mit den "
            "meisten Punkten auf dem Board „Vertiefung“ ausarbeiten (Anliegen bis Machbarkeit)."
        ),
    ),
    BuiltIn(
        "schnellabschaetzung",
        N_("Schnellabschätzung"),
        N_(
            "Eine Liste von Maßnahmen schätzen, je Frage mit Gering / Mittel / Hoch und einer Begründung. "
            "Die Beispielfragen ersetzt du durch deine Liste (einfügen oder als CSV importieren)."
        ),
    ),
    BuiltIn(
        "retrospektive",
        N_("Retrospektive"),
        N_(
            "Rückblick auf ein Vorhaben: Karten in die Spalten „Was lief gut?“, „Was lief nicht gut?“ und "
            "„Maßnahmen“ sortieren, Punkte für die wichtigsten Karten, zum Schluss ein Blitzlicht."
        ),
    ),
)


def built_in(name: str) -> BuiltIn:
    for template in BUILT_IN:
        if template.name == name:
            return template
    raise NotFound(NO_SUCH_TEMPLATE)


def to_template(room: Room) -> dict[str, Any]:
    """The room (loaded with every activity's details) as a template: its groups, their agendas as prepared, its
    settings; nobody in it, nothing said, voted or written, no timer, nothing on screen. Conflict if it has no
    activity at all (a template of nothing would open an empty room)."""
    on_agendas = [a for g in room.groups for a in g.agenda if a in room.activities]
    if not on_agendas:
        raise Conflict(EMPTY)
    prepared = replace(
        room,
        created="",
        participants={},
        activities={a: KINDS[room.activities[a].kind].blank(room.activities[a]) for a in on_agendas},
        groups=tuple(
            replace(g, agenda=tuple(a for a in g.agenda if a in room.activities), current_id=None, timer=Timer())
            for g in room.groups
        ),
    )
    return {**to_archive(prepared), "template": True}


def room_from(data: object, code: str, *, title: object = None, today: datetime.date | None = None) -> Room:
    """A new room from a template or an archive (Invalid with a clear message if it is neither); `title` replaces
    the template's own. A template's room is dated the day it opens."""
    room = from_archive(data, code)
    if isinstance(data, dict) and data.get("template") and not room.activities:
        raise Invalid(EMPTY_TEMPLATE)
    if title:
        room = replace(room, title=check_title(title))
    if not room.created:
        room = replace(room, created=(today or datetime.date.today()).isoformat())
    return room
