"""A kind of activity as one record: everything the rest of the app asks of it, and nothing it needs to know.

Each kind is one package (workshop/activities/<kind>/): `rules.py` (its dataclass and rules, pure), `storage.py` (its
keys in Redis), `commands.py` (what people can do with it, and their form fields), and its templates in
templates/<kind>/ (`stage.html`, `mine.html`, `new.html`, and optionally `agenda.html`, `progress.html`,
`tools.html`). The package's `KIND` is this record; workshop/kinds.py lists the kinds, one line each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ..change import Change, Op
from ..commands import Command
from ..domain.markdown import Language
from ..domain.rooms import GroupView, Room
from ..mirror import RawRoom
from .actions.rules import Action

A = TypeVar("A")
Wanted = Sequence[tuple[str, dict[str, Any], bool]]  # (activity id, its meta, in detail?) for read
Rows = Mapping[str, Sequence[Sequence[str]]]  # a table's name (tables.py) → its rows from one activity


@dataclass(frozen=True)
class Kind(Generic[A]):
    name: str  # in archives, in Redis, and the folder of its templates
    label: str  # what the agenda and the minutes call it (translatable)

    # rules
    to_data: Callable[[A], dict[str, Any]]  # its part of the JSON archive (every id checked by from_data)
    from_data: Callable[[dict[str, Any]], A]  # raises KeyError, TypeError or ValueError on a broken archive
    blank: Callable[[A], A]  # as prepared for a template: its structure and settings, without people and results
    minutes: Callable[[A, Room, Language, int], list[str]]  # its part of the minutes; the first line is its title
    tables: Callable[[A, Room, Language], Rows]  # its rows of the CSV tables (votes, cards, entries), plain text
    masked: Callable[[A, bool], A]  # what a shared screen may show of it (facilitator's console or not)
    context: Callable[[A, GroupView], dict[str, Any]]  # what its stage templates need beyond the activity
    mine: Callable[[A, GroupView, str], object]  # a participant's own part, shown to them only
    mine_key: Callable[[A, GroupView, object], object]  # all their own region shows: equal keys, no re-render

    # storage
    meta: Callable[[A], dict[str, Any]]  # kept in the room's `items` hash: the kind, and what an agenda line needs
    write_ops: Callable[[str, A], list[Op]]  # every write of a whole activity (new, or from an archive)
    delete_ops: Callable[[str, A], list[Op]]  # removes it (loaded in detail) with everything in it
    read: Callable[
        [RawRoom, str, Wanted], Mapping[str, A]
    ]  # activities by id from the room's keys, in detail where asked

    # templates: filters and functions of its own (returning texts to translate where they name something)
    helpers: Mapping[str, Callable[..., Any]] = field(default_factory=dict)

    # commands
    settle: Callable[[str, GroupView], Change | None] = lambda code, view: None  # completes itself (auto-reveal)
    commands: Mapping[str, Command] = field(default_factory=dict)  # the path under /r/CODE/ → the command
    child_kind: str = ""  # the kind of its children (a board's quick estimates are estimates)

    # action items (activities/actions/): where they may be agreed (id → title: a board's sections, an idea
    # collection's themes; none: this kind takes none), and those it has
    places: Callable[[A], Mapping[str, str]] = lambda activity: {}
    actions: Callable[[A], Sequence[Action]] = lambda activity: ()
