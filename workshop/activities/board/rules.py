"""Deep-dive boards ("Vertiefung"): sections such as Anliegen or Herausforderung, filled with entries from phones.

A section can hold a quick estimate (planning poker, usually in "Machbarkeit"): an estimate of its own, attached to
the board instead of the agenda, that runs on the phones while the board is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ...domain.errors import N_, Conflict, Forbidden, Invalid, NotFound
from ...domain.ids import check_id, check_unique
from ...domain.markdown import Language, heading, text
from ...domain.rooms import GroupView, Room
from ...domain.text import clean_line, distinct_items
from ..actions import rules as action_rules
from ..estimate import rules as estimates

TITLE_MAX = 120
SECTION_MAX = 80
ENTRY_MAX = 280
SECTIONS_MAX = 12

FEASIBILITY = N_("Machbarkeit")
TEMPLATES: dict[str, tuple[str, ...]] = {
    "deep-dive": (N_("Anliegen"), N_("Übergreifendes Ziel"), N_("Zwischenziele"), N_("Herausforderung"), FEASIBILITY),
    "solutions": (N_("Herausforderung"), N_("Lösungsansätze")),
}
SECTION_HINTS = {  # what the built-in sections ask for, shown with the board's form on the phones
    "Anliegen": N_("Worum geht es, und warum ist es wichtig? Ein Grund je Beitrag."),
    "Übergreifendes Ziel": N_("Was soll am Ende erreicht sein, über alle Organisationen hinweg?"),
    "Zwischenziele": N_("Welche Schritte führen dorthin, und was ist in einem Jahr geschafft?"),
    "Herausforderung": N_("Was steht im Weg: Geld, Zuständigkeiten, Recht, Abstimmung?"),
    FEASIBILITY: N_("Wie hoch ist der Aufwand? Dazu gibt es eine Schnellabschätzung."),
    "Lösungsansätze": N_("Wie ließe sich die Herausforderung angehen? Ein Ansatz je Beitrag."),
}
TEMPLATE_NAMES = {
    "deep-dive": N_("Vertiefung"),
    "solutions": N_("Herausforderung & Lösungsansätze"),
    "custom": N_("Eigene Abschnitte"),
}


@dataclass(frozen=True)
class Entry:
    id: str
    text: str
    author: str  # participant id ("" for the facilitator); never rendered, only compared


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    entries: tuple[str, ...] = ()  # entry ids, in order
    estimate: str = ""  # the id of this section's quick estimate, if it has one


@dataclass(frozen=True)
class Board:
    kind: ClassVar[str] = "board"
    id: str
    title: str
    sections: tuple[Section, ...] = ()
    entries: Mapping[str, Entry] = field(default_factory=dict)
    estimating: str = ""  # the section whose estimate is on the phones now
    actions: tuple[action_rules.Action, ...] = ()  # action items agreed on its sections

    @property
    def live_estimate(self) -> str | None:
        """The estimate people vote on right now, if any."""
        for section in self.sections:
            if section.id == self.estimating and section.estimate:
                return section.estimate
        return None

    @property
    def estimates(self) -> tuple[str, ...]:
        return tuple(s.estimate for s in self.sections if s.estimate)

    @property
    def children(self) -> tuple[str, ...]:
        return self.estimates

    @property
    def live_child(self) -> str | None:
        return self.live_estimate

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise NotFound(N_("Diesen Abschnitt gibt es nicht mehr."))

    def place_of(self, entry_id: str) -> str:
        for section in self.sections:
            if entry_id in section.entries:
                return section.id
        raise NotFound(N_("Diesen Beitrag gibt es nicht mehr."))


@dataclass(frozen=True)
class Mine:
    """One participant's own part of a board: their entries, and their vote in its running quick estimate."""

    entries: tuple[Entry, ...]
    vote: estimates.Vote | None


def mine(board: Board, view: GroupView, pid: str) -> Mine:
    estimate = _running(board, view.room)
    vote = estimates.mine(estimate, view, pid) if estimate is not None else None
    return Mine(tuple(e for e in board.entries.values() if e.author == pid), vote)


def mine_key(board: Board, view: GroupView, own: object) -> object:
    estimate = _running(board, view.room)
    running = (estimate.id, estimate.revealed_rounds, estimate.deck) if estimate is not None else None
    return (own, board.id, tuple((s.id, s.title) for s in board.sections), running)


def _running(board: Board, room: Room) -> estimates.Estimate | None:
    """The quick estimate people vote on now, if any."""
    live = board.live_estimate
    return estimates.find(room, live) if live is not None and live in room.activities else None


def check_title(title: object) -> str:
    return clean_line(title, label=N_("einen Titel"), max_length=TITLE_MAX)


def check_entry_text(text: object) -> str:
    return clean_line(text, label=N_("einen Text für den Beitrag"), max_length=ENTRY_MAX)


def check_section_title(title: object) -> str:
    return clean_line(title, label=N_("einen Namen für den Abschnitt"), max_length=SECTION_MAX)


def sections_for(template: str, custom: str, translate: Callable[[str], str]) -> tuple[str, ...]:
    """The section titles a new board starts with: a template's, in the interface language, or the facilitator's
    own (one per line or separated by commas)."""
    if template in TEMPLATES:
        return tuple(translate(title) for title in TEMPLATES[template])
    if template != "custom":
        raise Invalid(N_("Diese Vorlage gibt es nicht."))
    titles = distinct_items(custom, label=N_("Abschnitt"), max_length=SECTION_MAX)
    if not 1 <= len(titles) <= SECTIONS_MAX:
        raise Invalid(N_("Ein Board hat 1 bis {max} Abschnitte, getrennt durch Kommas."), max=SECTIONS_MAX)
    return titles


def check_can_change(board: Board, entry_id: str, pid: str | None, *, facilitator: bool) -> Entry:
    """The entry, if this person may edit or withdraw it: the facilitator any, a participant their own."""
    entry = board.entries.get(entry_id)
    if entry is None:
        raise NotFound(N_("Diesen Beitrag gibt es nicht mehr."))
    if not facilitator and entry.author != pid:
        raise Forbidden(N_("Nur eigene Beiträge lassen sich ändern."))
    return entry


def check_can_estimate(board: Board, section_id: str) -> Section:
    section = board.section(section_id)
    if board.live_estimate and board.estimating != section_id:
        raise Conflict(N_("Auf diesem Board läuft schon eine Schnellabschätzung. Bitte erst beenden."))
    return section


LABEL = N_("Vertiefung")


def minutes(board: Board, room: Room, language: Language, depth: int) -> list[str]:
    """A board in the minutes: each section with its entries, and its quick estimate; empty sections are left out."""
    out = [f"{language.gettext(LABEL)}: {text(board.title)}"]
    for section in board.sections:
        estimate = estimates.find(room, section.estimate) if section.estimate in room.activities else None
        part = [f"- {text(board.entries[e].text)}" for e in section.entries if e in board.entries]
        if part:
            part.append("")
        if estimate is not None and any(r.votes for r in estimate.rounds):
            question, *details = estimates.minutes(estimate, room, language, depth + 1)
            part += [question, "", *details]
        if part:
            out += heading(depth + 1, text(section.title)) + part
    return out


def tables(board: Board, room: Room, language: Language) -> dict[str, list[list[str]]]:
    """Every entry: board, section, text. Without its author: no screen and no minutes name who wrote an entry, and
    a table tells no more than the room showed."""
    return {
        "entries": [
            [board.title, s.title, board.entries[e].text]
            for s in board.sections
            for e in s.entries
            if e in board.entries
        ]
    }


def to_data(board: Board) -> dict[str, Any]:
    """A board in the JSON archive; its sections' estimates are archived as estimates and named here by id."""
    return {
        "kind": Board.kind,
        "id": board.id,
        "title": board.title,
        "estimating": board.estimating,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "estimate": s.estimate,
                "entries": [
                    {"id": e, "text": board.entries[e].text, "author": board.entries[e].author} for e in s.entries
                ],
            }
            for s in board.sections
        ],
        "actions": action_rules.to_data(board.actions),
    }


def from_data(data: dict[str, Any]) -> Board:
    sections, entries = [], {}
    for s in data["sections"]:
        ids = []
        for e in s["entries"]:
            entry = Entry(check_id(e["id"]), str(e["text"]), str(e["author"]))
            if entry.id in entries:
                raise ValueError("every entry is in exactly one section")
            entries[entry.id] = entry
            ids.append(entry.id)
        estimate = str(s.get("estimate", ""))
        sections.append(Section(check_id(s["id"]), str(s["title"]), tuple(ids), estimate and check_id(estimate)))
    check_unique([s.id for s in sections])
    return Board(
        check_id(data["id"]),
        str(data["title"]),
        tuple(sections),
        entries,
        str(data.get("estimating", "")),
        action_rules.from_data(data.get("actions")),
    )


MISSING = N_("Dieses Board gibt es in diesem Workshop nicht.")


def find(room: Room, board_id: str) -> Board:
    return room.activity_as(board_id, Board, MISSING)


def masked(board: Board, facilitator: bool) -> Board:
    """A board hides nothing itself; its quick estimates are masked as estimates."""
    return board


def context(board: Board, view: GroupView) -> dict[str, Any]:
    """The quick estimate running on the board (shown above it), and the results of the others, once revealed."""
    summaries = {}
    for estimate_id in board.estimates:
        estimate = view.room.activities.get(estimate_id)
        if isinstance(estimate, estimates.Estimate) and estimate.revealed and estimate_id != board.live_estimate:
            summaries[estimate_id] = estimates.results(estimate.deck, estimate.current_round, view.room.names)
    running = _running(board, view.room)
    return {"summaries": summaries, **(estimates.context(running, view) if running is not None else {})}


def places(board: Board) -> dict[str, str]:
    """Where action items may be agreed: its sections."""
    return {s.id: s.title for s in board.sections}


def template_name(template: str) -> str:
    """The name of a board template, to translate."""
    return TEMPLATE_NAMES.get(template, template)


def blank(board: Board) -> Board:
    """The board as prepared for a template: its title and sections; no entries, no quick estimates."""
    return Board(board.id, board.title, tuple(Section(s.id, s.title) for s in board.sections))
