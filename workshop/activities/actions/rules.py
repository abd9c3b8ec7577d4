"""Action items: what they are, what may be typed into them, and how the minutes list them. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ...domain.errors import N_, Invalid, NotFound
from ...domain.ids import check_id, check_unique
from ...domain.markdown import Language, heading, text
from ...domain.text import clean_line

TEXT_MAX = 280
OWNER_MAX = 80
LABEL = N_("Maßnahmen")
OPEN = N_("offen")
DONE = N_("erledigt")


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    owner: str  # who takes it on, as typed (or picked from the room's people): a name, a team, an office
    due: str = ""  # ISO date (YYYY-MM-DD), or "" for none
    done: bool = False
    place: str = ""  # the board section or idea theme it was agreed on; one that is gone: its activity as a whole


@dataclass(frozen=True)
class Listed:
    """An action item as the minutes, the tables and a follow-up list it: with where it was agreed."""

    action: Action
    group: str  # the working group's name ("" with one group)
    activity: str  # the board's or the idea collection's title
    place: str  # the section's or theme's title ("" if it is gone)


def check_text(value: object) -> str:
    return clean_line(value, label=N_("die Maßnahme"), max_length=TEXT_MAX)


def check_owner(value: object) -> str:
    return clean_line(value, label=N_("wer verantwortlich ist"), max_length=OWNER_MAX)


_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def check_due(value: object) -> str:
    """A due date as the date field sends it (2025-09-30) or as typed in German (30.9.2025); "" for none."""
    typed = value.strip() if isinstance(value, str) else ""
    if not typed:
        return ""
    german = _GERMAN_DATE.fullmatch(typed)
    try:
        day = date(int(german[3]), int(german[2]), int(german[1])) if german else date.fromisoformat(typed)
    except ValueError:
        day = None
    if day is None or len(typed) > 10:
        raise Invalid(N_("Bitte das Datum als TT.MM.JJJJ angeben, z. B. 30.09.2026."))
    return day.isoformat()


def due_label(due: str) -> str:
    """A due date as Germans write it (30.09.2026); the ISO form stays in the archive."""
    if not due:
        return ""
    year, month, day = due.split("-")
    return f"{day}.{month}.{year}"


def origin(listed: Listed) -> str:
    """Where it was agreed: "Vertiefung title – section"."""
    return " – ".join(part for part in (listed.activity, listed.place) if part)


def minutes(items: Sequence[Listed], language: Language, depth: int) -> list[str]:
    """The minutes' own section of action items: one table, open ones first; nothing if there are none."""
    if not items:
        return []
    _ = language.gettext
    ordered = sorted(items, key=lambda item: item.action.done)  # stable: agenda order within open and done
    with_group = any(item.group for item in items)
    head = [_("Maßnahme"), _("Verantwortlich"), _("Bis wann"), _("Stand"), _("Vereinbart in")]
    rows = [
        [
            text(item.action.text),
            text(item.action.owner),
            due_label(item.action.due) or "–",
            _(DONE) if item.action.done else _(OPEN),
            text(" · ".join(p for p in (item.group if with_group else "", origin(item)) if p)),
        ]
        for item in ordered
    ]
    table = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    return heading(depth, _(LABEL)) + table + [""]


def to_data(actions: Sequence[Action]) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "text": a.text, "owner": a.owner, "due": a.due, "done": a.done, "place": a.place} for a in actions
    ]


def from_data(data: object) -> tuple[Action, ...]:
    """An activity's action items from an archive (archives before action items have none)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ValueError("action items are a list")
    actions = tuple(
        Action(
            check_id(a["id"]),
            str(a["text"]),
            str(a["owner"]),
            _iso(a.get("due", "")),
            bool(a.get("done", False)),
            str(a.get("place", "")),
        )
        for a in data
    )
    check_unique([a.id for a in actions])
    return actions


def find(actions: Sequence[Action], action_id: str) -> Action:
    for action in actions:
        if action.id == action_id:
            return action
    raise NotFound(N_("Diese Maßnahme gibt es nicht mehr."))


def _iso(due: object) -> str:
    """A due date from an archive: ISO or none (ValueError: the archive is broken)."""
    return date.fromisoformat(str(due)).isoformat() if due else ""
