"""The workshop as Markdown minutes: what the facilitator takes home.

Pure: the translator (`_`, `ngettext`) and the number format come from the caller. Structured the way the workshop
was run: per working group (when there are several) its activities in agenda order, each kind writing its own part
(its `minutes`). Everything a person typed goes through `markdown.text()`, so a card that starts with "#" or
contains "|", "<script>" or a link stays one line of text. Empty parts are left out.
"""

from __future__ import annotations

from .domain.markdown import Language, heading, text
from .domain.rooms import Room
from .kinds import KINDS

__all__ = ["Language", "to_markdown"]


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
    return "\n".join(lines).rstrip() + "\n"
