"""Action items: what may be typed, dates as Germans write them, the minutes' table, and archives before them."""

from __future__ import annotations

import pytest

from workshop.activities.actions import rules
from workshop.activities.actions.rules import Action, Listed
from workshop.activities.board import rules as board_rules
from workshop.domain.errors import Invalid
from workshop.web.templating import Templates

GERMAN = Templates("de").language_of_export


@pytest.mark.parametrize(
    ("typed", "stored"), [("2026-09-30", "2026-09-30"), ("30.9.2026", "2026-09-30"), (" ", ""), ("", "")]
)
def test_a_due_date_from_the_date_field_or_typed_in_german(typed: str, stored: str) -> None:
    assert rules.check_due(typed) == stored


@pytest.mark.parametrize("typed", ["31.02.2026", "morgen", "2026-13-01", "30.09.26", "2026-09-30T12:00"])
def test_a_due_date_that_is_none_is_refused_with_the_format(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        rules.check_due(typed)
    assert "TT.MM.JJJJ" in refused.value.message


def test_an_action_item_needs_what_and_who() -> None:
    with pytest.raises(Invalid):
        rules.check_text("  ")
    with pytest.raises(Invalid):
        rules.check_owner("")
    assert rules.check_owner(" Anna\tSchmidt ") == "Anna Schmidt"


def test_the_minutes_list_open_items_first_and_keep_typed_text_literal() -> None:
    items = [
        Listed(Action("a1", "Erledigt schon", "Bernd", done=True), "", "Board", "Ziel"),
        Listed(Action("a2", "| Tabelle <b>", "=Anna", "2026-01-31"), "", "Board", ""),
    ]
    lines = rules.minutes(items, GERMAN, 2)
    assert lines[:2] == ["## Maßnahmen", ""]
    assert lines[4:6] == [
        r"| \| Tabelle \<b\> | =Anna | 31.01.2026 | offen | Board |",
        "| Erledigt schon | Bernd | – | erledigt | Board – Ziel |",
    ]
    assert rules.minutes([], GERMAN, 2) == []


def test_a_board_archived_before_action_items_has_none() -> None:
    board = board_rules.from_data({"kind": "board", "id": "b0ard-1", "title": "Alt", "sections": []})
    assert board.actions == ()
    again = board_rules.from_data(board_rules.to_data(board))
    assert again == board
