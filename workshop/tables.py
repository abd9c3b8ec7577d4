"""The workshop as tables for a spreadsheet: every estimate's votes, every card with its theme and dots, every board
entry, every action item. One CSV file each, as spreadsheet programs set to German read them by a double click:
UTF-8 with a byte order mark (else Excel reads Windows-1252), ";" between cells (the "," is the decimal comma),
CRLF line ends, cells quoted where they hold a ";", a quote or a line break.

A cell that starts with "=", "+", "-" or "@" (or a tab or carriage return) gets a leading apostrophe: a spreadsheet
would run it as a formula (CSV injection, OWASP), and with the apostrophe it shows the text as typed. Other control
characters become spaces. Each kind writes its own rows (its `tables`), the action items come from the minutes'
list of them. Pure.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from .activities.actions.rules import due_label
from .domain.errors import N_
from .domain.markdown import Language
from .domain.rooms import Room
from .kinds import KINDS
from .minutes import action_items

GROUP = N_("Arbeitsgruppe")
HEADERS: dict[str, tuple[str, ...]] = {
    "votes": (GROUP, N_("Frage"), N_("Runde"), N_("Person"), N_("Organisation"), N_("Karte"), N_("Begründung")),
    "cards": (
        GROUP,
        N_("Ideensammlung"),
        N_("Thema"),
        N_("Karte"),
        N_("Von"),
        N_("Punkte der Karte"),
        N_("Punkte des Themas"),
    ),
    "entries": (GROUP, N_("Board"), N_("Abschnitt"), N_("Beitrag")),
    "actions": (
        GROUP,
        N_("Maßnahme"),
        N_("Verantwortlich"),
        N_("Bis wann"),
        N_("Erledigt"),
        N_("Vereinbart in"),
        N_("Abschnitt oder Thema"),
    ),
}
NAMES = tuple(HEADERS)  # the tables, as their files are called
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def rows(name: str, room: Room, language: Language, group: str = "") -> list[list[str]]:
    """One table of the workshop (or of one group), its header first, in the interface language."""
    _ = language.gettext
    out = [[_(title) for title in HEADERS[name]]]
    if name == "actions":
        for item in action_items(room, group):
            a = item.action
            done = _("ja") if a.done else _("nein")
            out.append([item.group, a.text, a.owner, due_label(a.due), done, item.activity, item.place])
        return out
    for g in [room.group_by_id(group)] if group else room.groups:
        for activity in room.view(g.id).items:
            for one in (activity, *(room.activities[c] for c in activity.children if c in room.activities)):
                out += [[g.name, *row] for row in KINDS[one.kind].tables(one, room, language).get(name, ())]
    return out


def to_csv(table: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([_cell(value) for value in row] for row in table)
    return "\ufeff".encode() + buffer.getvalue().encode()


def _cell(value: str) -> str:
    value = value if not value.startswith(_FORMULA) else "'" + value
    return _CONTROL.sub(" ", value)
