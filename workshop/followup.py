"""A follow-up workshop: a new room that brings the open action items of the last one to review, and nothing else of
it (no people, no votes, no cards). They wait on a board "Maßnahmen aus dem letzten Workshop", one section each
place they were agreed on (up to the most a board has; the rest share the last), where the facilitator ticks them
off, adds what is new, and takes them home again in the minutes. Pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .activities.actions.rules import Action
from .activities.board.rules import SECTION_MAX, SECTIONS_MAX, TITLE_MAX, Board, Section
from .commands import new_id
from .domain.errors import N_
from .domain.rooms import Group, Room
from .domain.text import TITLE_MAX as ROOM_TITLE_MAX
from .minutes import action_items

BOARD = N_("Maßnahmen aus dem letzten Workshop")
TITLE = N_("Folgeworkshop: {title}")
OPEN = N_("Offene Maßnahmen")


def follow_up(last: Room, code: str, translate: Callable[[str], str], group_name: str) -> Room:
    """The new room (under `code`) for the room `last` (loaded whole, or read from its archive)."""
    places: dict[str, Section] = {}
    actions = []
    for item in action_items(last):
        if item.action.done:
            continue
        origin = " – ".join(p for p in (item.activity, item.place) if p) or translate(OPEN)
        title = _cut(origin, SECTION_MAX)
        if title not in places and len(places) == SECTIONS_MAX:
            title = next(reversed(places))  # a board has so many sections: the rest share the last
        section = places.setdefault(title, Section(new_id(), title))
        actions.append(Action(new_id(), item.action.text, item.action.owner, item.action.due, False, section.id))
    board = Board(
        new_id(),
        _cut(translate(BOARD), TITLE_MAX),
        tuple(places.values()) or (Section(new_id(), translate(OPEN)),),
        actions=tuple(actions),
    )
    title = _cut(translate(TITLE).format(title=last.title), ROOM_TITLE_MAX)
    return Room(
        code,
        title,
        date.today().isoformat(),
        ask_org=last.ask_org,
        language=last.language,
        activities={board.id: board},
        groups=(Group(new_id(), group_name, (board.id,), board.id),),
    )


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"
