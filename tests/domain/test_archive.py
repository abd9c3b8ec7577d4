"""Archives are checked whole before anything is written: ids, places, versions."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from workshop.activities.board.rules import find
from workshop.archive import BROKEN, from_archive
from workshop.domain.errors import Invalid


def archive() -> dict[str, Any]:
    """A small valid archive (schema 2): one group with an estimate and a board with a quick estimate."""
    return {
        "schema": "workshop-archive",
        "version": 2,
        "title": "Archivtest",
        "created": "2025-06-12",
        "groups": [{"id": "g1", "name": "Arbeitsgruppe 1", "agenda": ["q1", "b1"], "current": "b1"}],
        "participants": [{"id": "p1", "name": "Anna", "org": "", "role": "participant", "group": "g1"}],
        "activities": [
            {"kind": "estimate", "id": "q1", "question": "Wie groß?", "deck": "tshirt", "cards": ["S", "M"],
             "rounds": [{"revealed": True, "votes": {"p1": {"card": "M", "reason": ""}}}]},
            {"kind": "board", "id": "b1", "title": "Vertiefung", "estimating": "",
             "sections": [{"id": "s1", "title": "Anliegen", "estimate": "",
                           "entries": [{"id": "e1", "text": "Mehr Grün", "author": "p1"}]},
                          {"id": "s2", "title": "Machbarkeit", "estimate": "q2", "entries": []}]},
            {"kind": "estimate", "id": "q2", "question": "Aufwand?", "deck": "qualitative",
             "cards": ["Gering", "Mittel", "Hoch"], "rounds": [{"revealed": False, "votes": {}}]},
        ],
    }  # fmt: skip


def test_a_valid_archive_is_read() -> None:
    room = from_archive(archive(), "ABCDEFGH")
    assert [a.id for a in room.view().items] == ["q1", "b1"] and find(room, "b1").sections[1].estimate == "q2"


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set("groups.0.id", ""),  # the empty id would be the projector's overview
        _set("groups.0.id", "g&view=x"),  # would go into URLs as it is
        _set("participants.0.id", ""),  # anyone without a cookie would be that participant
        _set("activities.1.id", "b1:sections"),  # would collide with another key of the board
        _set("activities.1.sections.1.id", "s1"),  # two sections with one id
        _set("groups.0.agenda", ["q1", "b1", "q1"]),  # an activity twice on an agenda
        _set("groups.0.agenda", ["q1", "b1", "q2"]),  # a board's estimate also on an agenda
        _set("groups.0.current", "q2"),  # the current activity is not on its group's agenda
        _set("activities.1.sections.1.estimate", "nope"),  # a section's estimate that does not exist
        _set("version", 1),  # version 1 had no boards
    ],
)
def test_a_broken_archive_is_refused_whole(change: Callable[[dict[str, Any]], None]) -> None:
    data = copy.deepcopy(archive())
    change(data)
    with pytest.raises(Invalid) as refused:
        from_archive(data, "ABCDEFGH")
    assert refused.value.message == BROKEN
