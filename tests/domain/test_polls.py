"""Live polls: setting one up, answering, the result and the word cloud, what a screen may see, minutes, archive."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workshop.activities.poll.rules import (
    MOOD_QUESTION,
    MOODS,
    SCALES,
    Answer,
    Poll,
    check_answer,
    context,
    everyone_answered,
    from_data,
    masked,
    minutes,
    new_poll,
    results,
    to_data,
    word_cloud,
)
from workshop.domain.errors import Conflict, Invalid
from workshop.domain.markdown import Language
from workshop.domain.rooms import Group, Participant, Role, Room

GERMAN = Language(lambda s: s, lambda one, many, n: one if n == 1 else many, lambda x: f"{x:g}")
ANNA, BERND, CEM = Participant("a", "Anna"), Participant("b", "Bernd"), Participant("c", "Cem")
OLGA = Participant("o", "Olga", role=Role.OBSERVER)


def choice(options: str = "Ja, Eher ja, Nein", **flags: bool) -> Poll:
    return new_poll("p1", "Gemeinsames Portal?", "single", options, live=flags.get("live", False), named=False)


def with_answers(poll: Poll, **answers: Answer) -> Poll:
    return replace(poll, answers=answers)


def room_with(poll: Poll, *people: Participant) -> Room:
    return Room(
        "ABCDEFGH",
        "Test",
        "2025-06-12",
        participants={p.id: p for p in people},
        activities={poll.id: poll},
        groups=(Group("g", "Arbeitsgruppe 1", (poll.id,), poll.id),),
        around=frozenset(p.id for p in people),  # everyone's phone is open
    )


# setting up


def test_a_single_choice_poll_takes_the_typed_answers_in_order_without_repeats() -> None:
    assert choice("Ja\nEher ja, Nein; Ja").options == ("Ja", "Eher ja", "Nein")


@pytest.mark.parametrize("options", ["", "Nur eine", ", ".join(f"A{n}" for n in range(11))])
def test_a_choice_poll_needs_two_to_ten_answers(options: str) -> None:
    with pytest.raises(Invalid):
        new_poll("p1", "Frage?", "multiple", options, live=False, named=False)


def test_a_scale_uses_one_of_the_label_sets_with_five_levels() -> None:
    poll = new_poll("p1", "Wie wichtig?", "scale", scale="importance", live=False, named=False)
    assert poll.labels == SCALES["importance"] and len(poll.labels) == 5 and poll.translated
    assert all(len(levels) == 5 for levels in SCALES.values())
    with pytest.raises(Invalid):
        new_poll("p1", "Wie wichtig?", "scale", scale="laune", live=False, named=False)


def test_a_mood_check_in_has_four_faces_and_a_question_of_its_own() -> None:
    poll = new_poll("p1", "", "mood", live=False, named=False)
    assert poll.question == MOOD_QUESTION and poll.labels == MOODS and len(MOODS) == 4


def test_an_unknown_kind_of_poll_or_a_missing_question_is_refused() -> None:
    with pytest.raises(Invalid):
        new_poll("p1", "Frage?", "ranking", live=False, named=False)
    with pytest.raises(Invalid):
        new_poll("p1", "  ", "single", "Ja, Nein", live=False, named=False)


# answering


def test_an_answer_is_stored_as_positions_not_as_words() -> None:
    assert check_answer(choice(), [1], "") == Answer((1,))


def test_a_single_choice_takes_one_answer_a_multiple_choice_several() -> None:
    with pytest.raises(Invalid):
        check_answer(choice(), [0, 2], "")
    multiple = new_poll("p1", "Was passt?", "multiple", "A, B, C", live=False, named=False)
    assert check_answer(multiple, [2, 0, 2], "") == Answer((0, 2))


@pytest.mark.parametrize("picked", [[], [3], [-1]])
def test_no_answer_or_one_the_poll_does_not_have_is_refused(picked: list[int]) -> None:
    with pytest.raises(Invalid):
        check_answer(choice(), picked, "")


def test_an_open_answer_is_a_short_line() -> None:
    words = new_poll("p1", "Ein Wort?", "words", live=False, named=False)
    assert check_answer(words, [], "  mehr   Austausch ") == Answer(text="mehr Austausch")
    for bad in ("", "x" * 81):
        with pytest.raises(Invalid):
            check_answer(words, [], bad)


def test_a_closed_poll_takes_no_answers() -> None:
    with pytest.raises(Conflict):
        check_answer(replace(choice(), open=False), [0], "")


def test_everyone_answered_counts_participants_not_observers() -> None:
    poll = with_answers(choice(), a=Answer((0,)))
    assert not everyone_answered(room_with(poll, ANNA, BERND, OLGA).view(), poll)
    poll = with_answers(choice(), a=Answer((0,)), b=Answer((2,)))
    assert everyone_answered(room_with(poll, ANNA, BERND, OLGA).view(), poll)


# results


def test_the_result_counts_each_choice_in_the_polls_order() -> None:
    poll = with_answers(choice(), a=Answer((0,)), b=Answer((2,)), c=Answer((0,)))
    result = results(poll, {"a": "Anna", "b": "Bernd", "c": "Cem"})
    assert [(c.position, c.count) for c in result.counts] == [(0, 2), (1, 0), (2, 1)]
    assert result.total == 3 and result.most == 2
    assert all(not c.names for c in result.counts)  # anonymous by default


def test_a_named_poll_says_who_chose_what_in_the_order_people_joined() -> None:
    poll = replace(with_answers(choice(), c=Answer((0,)), a=Answer((0,))), named=True)
    assert results(poll, {"a": "Anna", "c": "Cem"}).counts[0].names == ("Anna", "Cem")


def test_the_word_cloud_counts_words_regardless_of_case_without_stop_words() -> None:
    cloud = word_cloud(
        ["Mehr Austausch", "bessere vernetzung und Austausch", "Austausch!", "the Austausch of Vernetzung"]
    )
    assert [(w.word, w.count) for w in cloud] == [("Austausch", 4), ("Vernetzung", 2), ("bessere", 1)]
    assert not {w.word.casefold() for w in cloud} & {"mehr", "und", "the", "of"}
    assert cloud[0].size == 6 and cloud[-1].size == 1


def test_the_word_cloud_keeps_the_most_frequent_spelling_and_words_with_hyphens() -> None:
    cloud = word_cloud(["E-Akte", "e-akte", "E-Akte einführen"])
    assert (cloud[0].word, cloud[0].count) == ("E-Akte", 3)


def test_a_word_cloud_of_nothing_is_empty_and_of_equals_is_middle_sized() -> None:
    assert word_cloud([]) == () and word_cloud(["und oder"]) == ()
    assert {w.size for w in word_cloud(["Tempo Klarheit"])} == {3}


# what screens may see


def test_until_shown_no_screen_gets_an_answer_only_who_answered() -> None:
    poll = with_answers(choice(), a=Answer((0,)), b=Answer(text="geheim"))
    for facilitator in (False, True):
        hidden = masked(poll, facilitator)
        assert set(hidden.answers) == {"a", "b"}
        assert all(a.hidden and not a.choices and not a.text for a in hidden.answers.values())
    view = room_with(masked(poll, False), ANNA, BERND).view()
    assert context(view.room.activities["p1"], view)["results"] is None  # type: ignore[arg-type]


def test_a_live_or_revealed_poll_shows_its_result() -> None:
    poll = with_answers(choice(), a=Answer((0,)))
    assert masked(replace(poll, live=True), False) == replace(poll, live=True)
    shown = replace(poll, revealed=True, open=False)
    assert masked(shown, False) == shown
    view = room_with(shown, ANNA).view()
    assert context(shown, view)["results"].counts[0].count == 1


# minutes and archive


def test_the_minutes_show_the_result_once_shown_and_only_a_count_before() -> None:
    poll = with_answers(choice(), a=Answer((0,)), b=Answer((2,)))
    room = room_with(poll, ANNA, BERND)
    assert minutes(poll, room, GERMAN, 2)[3] == "2 Antworten, nicht gezeigt."
    shown = replace(poll, revealed=True)
    assert "| Ja | 1 |" in minutes(shown, room_with(shown, ANNA, BERND), GERMAN, 2)


def test_the_minutes_of_open_answers_list_the_words_and_every_answer() -> None:
    poll = replace(
        new_poll("p1", "Ein Wort?", "words", live=True, named=True),
        answers={"a": Answer(text="Austausch | <b>"), "b": Answer(text="bessere Austausch")},
    )
    lines = minutes(poll, room_with(poll, ANNA, BERND), GERMAN, 2)
    assert "Häufigste Wörter: Austausch (2), bessere (1)" in lines
    assert "- Austausch \\| \\<b\\> – Anna" in lines  # typed text stays text


def test_an_archived_poll_comes_back_with_its_answers_once_shown() -> None:
    poll = replace(with_answers(choice(), a=Answer((1,))), revealed=True, open=False)
    assert from_data(to_data(poll)) == poll


def test_an_archive_keeps_the_answers_of_a_poll_not_yet_shown_secret() -> None:
    poll = with_answers(choice(), a=Answer((1,)))
    assert to_data(poll)["answers"] == {} and from_data(to_data(poll)).answers == {}


@pytest.mark.parametrize(
    "broken",
    [{"form": "ranking"}, {"form": "scale", "scale": "laune"}, {"id": "a b"}, {"answers": {"a": {"choices": [7]}}}],
)
def test_a_broken_poll_in_an_archive_is_refused(broken: dict[str, object]) -> None:
    data = {**to_data(replace(choice(), revealed=True)), **broken}
    with pytest.raises((ValueError, KeyError, TypeError)):
        from_data(data)
