"""The workshop as Markdown minutes: what the facilitator takes home.

Pure: the translator (`_`, `ngettext`) and the number format come from the caller. Structured the way the workshop
was run: per working group (when there are several) its activities in agenda order, each kind writing its own part
(its `minutes`), then the action items of all of them in a section of their own ("Maßnahmen"). Everything a person
typed goes through `markdown.text()`, so a card that starts with "#" or contains "|", "<script>" or a link stays one
line of text. Empty parts are left out. The other documents (ODT, the print view) are made from these minutes.
"""

from __future__ import annotations

from .activities.actions import rules as actions
from .domain.markdown import Language, heading, text
from .domain.rooms import Room
from .kinds import KINDS

__all__ = ["Language", "action_items", "to_markdown"]


def to_markdown(room: Room, language: Language, group: str = "") -> str:
    """The minutes of the whole workshop, or of one group (`group`)."""
    lines = heading(1, text(room.title))
    if room.created:
        year, month, day = room.created.split("-")
        lines += [f"{day}.{month}.{year}", ""]
    for g in [room.group_by_id(group)] if group else room.groups:
        depth = 3 if room.several_groups else 2
        parts: list[str] = []
        for position, activity in enumerate(room.view(g.id).items, start=1):
            title, *rest = KINDS[activity.kind].minutes(activity, room, language, depth)
            parts += heading(depth, f"{position}. {title}") + rest
        if parts and room.several_groups:
            lines += heading(2, text(g.name))
        lines += parts
    lines += actions.minutes(action_items(room, group), language, 2)
    return "\n".join(lines).rstrip() + "\n"


def action_items(room: Room, group: str = "") -> list[actions.Listed]:
    """Every action item of the workshop (or of one group), in agenda order, with where it was agreed."""
    items = []
    for g in [room.group_by_id(group)] if group else room.groups:
        for activity in room.view(g.id).items:
            kind = KINDS[activity.kind]
            places = kind.places(activity)
            items += [
                actions.Listed(
                    a, g.name if room.several_groups and not group else "", activity.title, places.get(a.place, "")
                )
                for a in kind.actions(activity)
            ]
    return items
