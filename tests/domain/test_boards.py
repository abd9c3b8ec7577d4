"""Deep-dive boards ("Vertiefung"), moving things one place up or down, and a group's countdown: pure rules."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from workshop.activities.board.rules import (
    ENTRY_MAX,
    SECTIONS_MAX,
    Board,
    Entry,
    Section,
    check_can_change,
    check_can_estimate,
    check_entry_text,
    check_section_title,
    from_data,
    sections_for,
    to_data,
)
from workshop.domain import timer
from workshop.domain.errors import Conflict, Forbidden, Invalid, NotFound
from workshop.domain.order import neighbour

DEEP_DIVE = ("Anliegen", "Übergreifendes Ziel", "Zwischenziele", "Herausforderung", "Machbarkeit")
MINUTE = 60_000


def board(**changes: Any) -> Board:
    """The "Vertiefung „Dachbegrünung in Innenstädten fördern“" of Arbeitsgruppe 2, part-way through.

    Anliegen (s1) holds e1 (by p1) and e2 (by p2); Herausforderung (s2) holds e3 (by the facilitator);
    Machbarkeit (s3) has quick estimate q1; Zwischenziele (s4) has its own estimate q2 and no entries.
    """
    entries = {
        "e1": Entry("e1", "Verbesserung von Aufenthaltsqualität & Stadtbild", "p1"),
        "e2": Entry("e2", "Nutzung eines großen Flächenpotenzials", "p2"),
        "e3": Entry("e3", "Finanzierung des Projekts", ""),
    }
    sections = (
        Section("s1", "Anliegen", ("e1", "e2")),
        Section("s2", "Herausforderung", ("e3",)),
        Section("s3", "Machbarkeit", estimate="q1"),
        Section("s4", "Zwischenziele", estimate="q2"),
    )
    made = Board("b1", "Dachbegrünung in Innenstädten fördern", sections, entries)
    return replace(made, **changes)


# sections_for


def test_the_deep_dive_template_has_the_five_sections_of_a_vertiefung() -> None:
    assert sections_for("deep-dive", "", str) == DEEP_DIVE


def test_the_solutions_template_has_challenge_and_approaches() -> None:
    assert sections_for("solutions", "", str) == ("Herausforderung", "Lösungsansätze")


def test_template_sections_come_in_the_interface_language() -> None:
    english = {"Herausforderung": "Challenge", "Lösungsansätze": "Approaches"}
    assert sections_for("solutions", "", lambda t: english.get(t, t)) == ("Challenge", "Approaches")


def test_a_template_ignores_the_custom_list() -> None:
    assert sections_for("solutions", "Eingeschleust", str) == ("Herausforderung", "Lösungsansätze")


def test_custom_sections_split_at_commas_semicolons_and_line_breaks() -> None:
    assert sections_for("custom", "Anliegen, Übergreifendes Ziel; Zwischenziele\nHerausforderung", str) == (
        "Anliegen",
        "Übergreifendes Ziel",
        "Zwischenziele",
        "Herausforderung",
    )


def test_custom_sections_drop_empties_and_duplicates_and_keep_the_order() -> None:
    typed = " Herausforderung ,, Lösungsansätze ;\n\n Herausforderung,  ,Machbarkeit,Lösungsansätze "
    assert sections_for("custom", typed, str) == ("Herausforderung", "Lösungsansätze", "Machbarkeit")


def test_custom_section_titles_are_trimmed_inside_too() -> None:
    assert sections_for("custom", "Übergreifendes   Ziel\t", str) == ("Übergreifendes Ziel",)


@pytest.mark.parametrize("typed", ["", "   ", ",,;", "\n , \n"])
def test_custom_without_any_section_is_invalid(typed: str) -> None:
    with pytest.raises(Invalid) as caught:
        sections_for("custom", typed, str)
    assert caught.value.message == "Ein Board hat 1 bis {max} Abschnitte, getrennt durch Kommas."
    assert caught.value.params == {"max": SECTIONS_MAX}


def test_custom_with_twelve_sections_is_allowed() -> None:
    titles = [f"Abschnitt {n}" for n in range(1, SECTIONS_MAX + 1)]
    assert sections_for("custom", ", ".join(titles), str) == tuple(titles)


def test_custom_with_too_many_sections_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        sections_for("custom", ", ".join(f"Abschnitt {n}" for n in range(SECTIONS_MAX + 1)), str)
    assert caught.value.params == {"max": SECTIONS_MAX}


def test_custom_duplicates_do_not_count_towards_the_limit() -> None:
    typed = ", ".join(["Anliegen"] * 20 + ["Machbarkeit"])
    assert sections_for("custom", typed, str) == ("Anliegen", "Machbarkeit")


def test_a_custom_section_title_over_80_characters_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        sections_for("custom", "Anliegen, " + "x" * 81, str)
    assert caught.value.params == {"max": 80}


def test_an_unknown_template_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        sections_for("retro", "Anliegen", str)
    assert caught.value.message == "Diese Vorlage gibt es nicht."


# check_entry_text, check_section_title


def test_entry_text_is_one_trimmed_line() -> None:
    assert check_entry_text("  Finanzierung\ndes Projekts ") == "Finanzierung des Projekts"


def test_entry_text_of_280_characters_is_allowed_and_281_is_not() -> None:
    assert check_entry_text("x" * ENTRY_MAX) == "x" * ENTRY_MAX
    with pytest.raises(Invalid) as caught:
        check_entry_text("x" * (ENTRY_MAX + 1))
    assert caught.value.params == {"max": ENTRY_MAX}


def test_empty_entry_text_and_section_title_are_invalid() -> None:
    with pytest.raises(Invalid) as entry:
        check_entry_text(" \n ")
    assert entry.value.params == {"label": "einen Text für den Beitrag"}
    with pytest.raises(Invalid) as section:
        check_section_title("")
    assert section.value.params == {"label": "einen Namen für den Abschnitt"}


# check_can_change


def test_a_participant_may_change_their_own_entry() -> None:
    assert check_can_change(board(), "e1", "p1", facilitator=False) == board().entries["e1"]


def test_a_participant_may_not_change_someone_elses_entry() -> None:
    with pytest.raises(Forbidden) as caught:
        check_can_change(board(), "e2", "p1", facilitator=False)
    assert caught.value.message == "Nur eigene Beiträge lassen sich ändern."


def test_a_participant_may_not_change_the_facilitators_entry() -> None:
    with pytest.raises(Forbidden):
        check_can_change(board(), "e3", "p1", facilitator=False)


def test_someone_without_an_id_may_not_change_the_facilitators_entry() -> None:
    """The facilitator's own entries have the author "": a browser without an id is not their author."""
    with pytest.raises(Forbidden):
        check_can_change(board(), "e3", None, facilitator=False)


def test_the_facilitator_may_change_any_entry() -> None:
    for entry in ("e1", "e2", "e3"):
        assert check_can_change(board(), entry, None, facilitator=True).id == entry


def test_changing_an_entry_that_is_gone_is_not_found() -> None:
    for facilitator in (True, False):
        with pytest.raises(NotFound) as caught:
            check_can_change(board(), "e9", "p1", facilitator=facilitator)
        assert caught.value.message == "Diesen Beitrag gibt es nicht mehr."


# Board.place_of, section, live_estimate, estimates


def test_place_of_names_the_section_an_entry_is_in() -> None:
    assert [board().place_of(e) for e in ("e1", "e2", "e3")] == ["s1", "s1", "s2"]


def test_place_of_an_entry_that_is_gone_is_not_found() -> None:
    with pytest.raises(NotFound):
        board().place_of("e9")


def test_section_by_id() -> None:
    assert board().section("s2").title == "Herausforderung"
    assert board().section("s1").entries == ("e1", "e2")


def test_an_unknown_section_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        board().section("s9")
    assert caught.value.message == "Diesen Abschnitt gibt es nicht mehr."


def test_no_live_estimate_while_nothing_is_estimated() -> None:
    assert board().live_estimate is None


def test_the_live_estimate_is_that_of_the_section_being_estimated() -> None:
    assert board(estimating="s3").live_estimate == "q1"
    assert board(estimating="s4").live_estimate == "q2"


def test_a_section_without_an_estimate_has_no_live_estimate() -> None:
    assert board(estimating="s1").live_estimate is None


def test_a_deleted_section_has_no_live_estimate() -> None:
    assert board(estimating="s9").live_estimate is None


def test_estimates_lists_the_sections_estimates_in_board_order() -> None:
    assert board().estimates == ("q1", "q2")
    assert Board("b2", "Leer").estimates == ()


# check_can_estimate


def test_a_section_can_estimate_while_nothing_runs() -> None:
    assert check_can_estimate(board(), "s3").id == "s3"
    assert check_can_estimate(board(), "s1").id == "s1"  # a section without an estimate gets a new one


def test_the_running_section_can_be_opened_again() -> None:
    assert check_can_estimate(board(estimating="s3"), "s3").id == "s3"


def test_a_second_section_cannot_estimate_while_one_runs() -> None:
    with pytest.raises(Conflict) as caught:
        check_can_estimate(board(estimating="s3"), "s4")
    assert "läuft schon eine Schnellabschätzung" in caught.value.message
    with pytest.raises(Conflict):
        check_can_estimate(board(estimating="s3"), "s1")


def test_estimating_in_an_unknown_section_is_not_found() -> None:
    with pytest.raises(NotFound):
        check_can_estimate(board(), "s9")


# to_data, from_data


def test_a_board_survives_the_archive() -> None:
    original = board(estimating="s3")
    assert from_data(to_data(original)) == original


def test_an_archive_with_an_entry_in_two_sections_is_refused() -> None:
    data = to_data(board())
    data["sections"][1]["entries"].append(data["sections"][0]["entries"][0])
    with pytest.raises(ValueError):
        from_data(data)


# order.neighbour


ORDER = ("a", "b", "c", "d")


def moved(order: tuple[str, ...], item: str, step: int) -> tuple[str, ...]:
    """The order after the move neighbour() describes: before the id it returns, or at the end."""
    before = neighbour(order, item, step)
    rest = [x for x in order if x != item]
    rest.insert(rest.index(before) if before is not None else len(rest), item)
    return tuple(rest)


def test_moving_up_goes_before_the_previous_one() -> None:
    assert neighbour(ORDER, "c", -1) == "b"
    assert moved(ORDER, "c", -1) == ("a", "c", "b", "d")


def test_moving_the_second_up_makes_it_first() -> None:
    assert neighbour(ORDER, "b", -1) == "a"
    assert moved(ORDER, "b", -1) == ("b", "a", "c", "d")


def test_moving_down_goes_before_the_one_after_next() -> None:
    assert neighbour(ORDER, "b", 1) == "d"
    assert moved(ORDER, "b", 1) == ("a", "c", "b", "d")


def test_moving_the_last_but_one_down_makes_it_last() -> None:
    assert neighbour(ORDER, "c", 1) is None
    assert moved(ORDER, "c", 1) == ("a", "b", "d", "c")


def test_moving_the_first_up_is_a_conflict() -> None:
    with pytest.raises(Conflict) as caught:
        neighbour(ORDER, "a", -1)
    assert caught.value.message == "Das steht schon ganz am Rand."


def test_moving_the_last_down_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        neighbour(ORDER, "d", 1)


def test_a_single_item_cannot_move_at_all() -> None:
    for step in (-1, 1):
        with pytest.raises(Conflict):
            neighbour(("a",), "a", step)


def test_two_items_swap() -> None:
    assert moved(("a", "b"), "a", 1) == ("b", "a")
    assert moved(("a", "b"), "b", -1) == ("b", "a")


# timer.check_minutes


@pytest.mark.parametrize(
    ("typed", "ms"),
    [
        ("5", 5 * MINUTE),
        ("2,5", 150_000),
        ("2.5", 150_000),
        ("1:30", 90_000),
        (" 10 ", 10 * MINUTE),
        ("0:01", 1000),
        (":45", 45_000),
        ("180", 180 * MINUTE),
        ("180:00", 180 * MINUTE),
    ],
)
def test_check_minutes_reads_what_a_facilitator_types(typed: str, ms: int) -> None:
    assert timer.check_minutes(typed) == ms


@pytest.mark.parametrize("typed", ["abc", "", None, "5 Minuten", "1:3x", "1:30:00", "nan"])
def test_check_minutes_refuses_what_is_no_duration(typed: object) -> None:
    with pytest.raises(Invalid) as caught:
        timer.check_minutes(typed)
    assert caught.value.message == "Bitte eine Dauer in Minuten eingeben, z. B. 5 oder 2:30."


@pytest.mark.parametrize("typed", ["0", "0:00", "0,01", "-5", "181", "180:01", "1e9"])
def test_check_minutes_refuses_durations_out_of_range(typed: str) -> None:
    with pytest.raises(Invalid) as caught:
        timer.check_minutes(typed)
    assert caught.value.params == {"max": 180}


@pytest.mark.parametrize("typed", ["inf", "1e400"])
def test_check_minutes_refuses_infinity(typed: str) -> None:
    with pytest.raises(Invalid):
        timer.check_minutes(typed)


# timer: start, pause, resume, stop, remaining


def test_a_started_timer_counts_down_from_the_servers_clock() -> None:
    started = timer.start(5 * MINUTE, now_ms=1_000_000)
    assert started == timer.Timer("running", 5 * MINUTE, 1_000_000 + 5 * MINUTE, 0)
    assert started.remaining(1_000_000) == 5 * MINUTE
    assert started.remaining(1_000_000 + MINUTE) == 4 * MINUTE


def test_a_running_timer_never_goes_below_zero() -> None:
    started = timer.start(MINUTE, now_ms=0)
    assert started.remaining(MINUTE) == 0
    assert started.remaining(10 * MINUTE) == 0


def test_a_paused_timer_keeps_what_was_left() -> None:
    paused = timer.pause(timer.start(5 * MINUTE, now_ms=0), now_ms=90_000)
    assert paused == timer.Timer("paused", 5 * MINUTE, 0, 210_000)
    assert paused.remaining(90_000) == paused.remaining(10 * 60 * MINUTE) == 210_000


def test_a_resumed_timer_runs_on_from_what_was_left() -> None:
    paused = timer.pause(timer.start(5 * MINUTE, now_ms=0), now_ms=90_000)
    resumed = timer.resume(paused, now_ms=1_000_000)
    assert resumed == timer.Timer("running", 5 * MINUTE, 1_210_000, 0)
    assert resumed.remaining(1_010_000) == 200_000


def test_stop_turns_the_timer_off() -> None:
    stopped = timer.stop()
    assert stopped == timer.Timer() and stopped.state == "off"
    assert stopped.remaining(123) == 0


def test_an_off_timer_has_nothing_left() -> None:
    assert timer.Timer().remaining(0) == 0


def test_only_a_running_timer_can_be_paused() -> None:
    paused = timer.pause(timer.start(MINUTE, 0), 1000)
    for idle in (timer.Timer(), paused):
        with pytest.raises(Conflict) as caught:
            timer.pause(idle, 2000)
        assert caught.value.message == "Der Timer läuft gerade nicht."


def test_only_a_paused_timer_can_be_resumed() -> None:
    for idle in (timer.Timer(), timer.start(MINUTE, 0)):
        with pytest.raises(Conflict) as caught:
            timer.resume(idle, 2000)
        assert caught.value.message == "Der Timer ist nicht angehalten."
