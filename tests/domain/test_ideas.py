from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from workshop.activities.ideas.rules import (
    LOOSE,
    Card,
    Ideas,
    Mine,
    Theme,
    Voting,
    author_label,
    check_can_edit,
    check_can_post,
    check_can_sort,
    check_card_text,
    check_dot,
    check_move,
    check_prompt,
    check_theme_title,
    check_undot,
    check_voting_settings,
    masked_for,
    mine,
    ranking,
)
from workshop.domain.errors import Conflict, Forbidden, Invalid, NotFound

NAMES = {"p1": "Anna", "p2": "Ben"}
ORGS = {"p1": "Stadtwerke", "p2": "Kita Sonnenschein"}


def card(cid: str, author: str = "p1", text: str = "", **changes: Any) -> Card:
    return Card(cid, text or f"Karte {cid}", author, **changes)


def board(**changes: Any) -> Ideas:
    """Theme t1 holds c1 (by p1) and c2 (by p2); theme t2 is empty; c3 (by p1) is loose."""
    ideas = Ideas(
        "i1",
        "Was wünschen wir uns?",
        cards={"c1": card("c1", "p1"), "c2": card("c2", "p2"), "c3": card("c3", "p1")},
        loose=("c3",),
        themes=(Theme("t1", "Arbeitsweise", ("c1", "c2")), Theme("t2", "Räume")),
    )
    return replace(ideas, **changes)


def voting(**changes: Any) -> Voting:
    return replace(Voting("open"), **changes)


# check_prompt, check_card_text, check_theme_title


def test_check_prompt_trims_whitespace() -> None:
    assert check_prompt("  Was  wünschen wir uns?\n") == "Was wünschen wir uns?"


def test_check_prompt_empty_is_invalid() -> None:
    with pytest.raises(Invalid):
        check_prompt("   ")


def test_check_prompt_of_300_characters_is_allowed() -> None:
    assert check_prompt("x" * 300) == "x" * 300


def test_check_prompt_longer_than_300_characters_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        check_prompt("x" * 301)
    assert caught.value.params["max"] == 300


def test_check_card_text_trims_whitespace() -> None:
    assert check_card_text("  Mehr\nPausen  ") == "Mehr Pausen"


def test_check_card_text_empty_is_invalid() -> None:
    with pytest.raises(Invalid):
        check_card_text("")


def test_check_card_text_that_is_not_a_string_is_invalid() -> None:
    with pytest.raises(Invalid):
        check_card_text(None)


def test_check_card_text_of_280_characters_is_allowed() -> None:
    assert check_card_text("x" * 280) == "x" * 280


def test_check_card_text_longer_than_280_characters_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        check_card_text("x" * 281)
    assert caught.value.params["max"] == 280


def test_check_card_text_counts_length_after_trimming() -> None:
    assert check_card_text("  " + "x" * 280 + "  ") == "x" * 280


def test_check_theme_title_trims_whitespace() -> None:
    assert check_theme_title("\tArbeitsweise ") == "Arbeitsweise"


def test_check_theme_title_empty_is_invalid() -> None:
    with pytest.raises(Invalid):
        check_theme_title(" \n ")


def test_check_theme_title_of_80_characters_is_allowed() -> None:
    assert check_theme_title("x" * 80) == "x" * 80


def test_check_theme_title_longer_than_80_characters_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        check_theme_title("x" * 81)
    assert caught.value.params["max"] == 80


# check_can_post


def test_posting_is_allowed_while_open() -> None:
    check_can_post(board(posting_open=True))


def test_posting_while_closed_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_can_post(board(posting_open=False))


# check_can_sort


def test_participant_may_not_sort_unless_participants_cluster() -> None:
    with pytest.raises(Forbidden):
        check_can_sort(board(participants_cluster=False), facilitator=False)


def test_facilitator_may_sort() -> None:
    check_can_sort(board(participants_cluster=False), facilitator=True)


def test_participant_may_sort_when_participants_cluster() -> None:
    check_can_sort(board(participants_cluster=True), facilitator=False)


def test_facilitator_may_not_sort_while_voting_is_open() -> None:
    with pytest.raises(Conflict):
        check_can_sort(board(voting=voting()), facilitator=True)


def test_participant_may_not_sort_while_voting_is_open() -> None:
    with pytest.raises(Conflict):
        check_can_sort(board(participants_cluster=True, voting=voting()), facilitator=False)


def test_sorting_is_allowed_again_after_voting_closed() -> None:
    check_can_sort(board(voting=voting(state="closed")), facilitator=True)


# check_can_edit


def test_editing_an_unknown_card_is_not_found() -> None:
    with pytest.raises(NotFound):
        check_can_edit(board(), "c9", "p1", facilitator=False)


def test_participant_may_not_edit_someone_elses_card() -> None:
    with pytest.raises(Forbidden):
        check_can_edit(board(), "c2", "p1", facilitator=False)


def test_viewer_without_participant_id_may_not_edit_a_card() -> None:
    with pytest.raises(Forbidden):
        check_can_edit(board(), "c1", None, facilitator=False)


def test_facilitator_may_edit_someone_elses_card() -> None:
    assert check_can_edit(board(), "c2", "p1", facilitator=True) == card("c2", "p2")


def test_participant_may_edit_own_card() -> None:
    assert check_can_edit(board(), "c1", "p1", facilitator=False) == card("c1", "p1")


# check_move


def test_moving_an_unknown_card_is_not_found() -> None:
    with pytest.raises(NotFound):
        check_move(board(), "c9", "t1", None)


def test_moving_to_an_unknown_theme_is_not_found() -> None:
    with pytest.raises(NotFound):
        check_move(board(), "c3", "t9", None)


def test_moving_before_a_card_in_another_place_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_move(board(), "c1", LOOSE, "c2")


def test_moving_before_an_unknown_card_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_move(board(), "c3", "t1", "c9")


def test_moving_a_card_before_itself_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_move(board(), "c1", "t1", "c1")


def test_moving_before_a_card_in_the_target_theme_is_allowed() -> None:
    check_move(board(), "c3", "t1", "c2")


def test_moving_within_a_theme_before_another_card_is_allowed() -> None:
    check_move(board(), "c2", "t1", "c1")


def test_moving_to_the_end_of_a_theme_is_allowed() -> None:
    check_move(board(), "c3", "t2", None)


def test_moving_back_to_loose_cards_is_allowed() -> None:
    check_move(board(), "c1", LOOSE, None)


def test_moving_to_loose_cards_before_a_loose_card_is_allowed() -> None:
    check_move(board(), "c1", LOOSE, "c3")


# place_of, theme, cards_in


def test_place_of_a_card_in_a_theme_is_the_theme() -> None:
    assert board().place_of("c2") == "t1"


def test_place_of_a_loose_card_is_loose() -> None:
    assert board().place_of("c3") == LOOSE == ""


def test_place_of_an_unknown_card_is_not_found() -> None:
    with pytest.raises(NotFound):
        board().place_of("c9")


def test_theme_finds_a_theme_by_id() -> None:
    assert board().theme("t2") == Theme("t2", "Räume")


def test_unknown_theme_is_not_found() -> None:
    with pytest.raises(NotFound):
        board().theme("t9")


def test_cards_in_a_theme_keep_their_order() -> None:
    assert board().cards_in("t1") == ("c1", "c2")


def test_cards_in_loose_are_the_loose_cards() -> None:
    assert board().cards_in(LOOSE) == ("c3",)


def test_cards_in_an_unknown_theme_is_not_found() -> None:
    with pytest.raises(NotFound):
        board().cards_in("t9")


def test_title_of_ideas_is_the_prompt() -> None:
    assert board().title == "Was wünschen wir uns?"


# check_voting_settings


def test_voting_settings_open_the_vote_with_the_given_dots() -> None:
    assert check_voting_settings("3", False, "themes") == Voting("open", 3, False, "themes")


def test_voting_settings_keep_stack_and_target() -> None:
    assert check_voting_settings(5, True, "cards") == Voting("open", 5, True, "cards")


def test_voting_settings_allow_one_to_twenty_dots() -> None:
    assert check_voting_settings("1", False, "themes").dots == 1
    assert check_voting_settings("20", False, "themes").dots == 20


def test_voting_settings_with_zero_dots_are_invalid() -> None:
    with pytest.raises(Invalid):
        check_voting_settings(0, False, "themes")


def test_voting_settings_with_twenty_one_dots_are_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        check_voting_settings(21, False, "themes")
    assert caught.value.params["max"] == 20


def test_voting_settings_with_a_word_for_dots_are_invalid() -> None:
    with pytest.raises(Invalid):
        check_voting_settings("drei", False, "themes")


def test_voting_settings_on_something_else_are_invalid() -> None:
    with pytest.raises(Invalid):
        check_voting_settings("3", False, "people")


# check_dot


def test_dot_while_voting_is_not_open_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_dot(board(voting=voting(state="closed")), "p1", "t1")


def test_dot_before_voting_started_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_dot(board(), "p1", "t1")


def test_dot_on_a_theme_is_allowed_when_voting_on_themes() -> None:
    check_dot(board(voting=voting(on="themes")), "p1", "t2")


def test_dot_on_a_card_when_voting_on_themes_is_not_found() -> None:
    with pytest.raises(NotFound):
        check_dot(board(voting=voting(on="themes")), "p1", "c1")


def test_dot_on_a_card_is_allowed_when_voting_on_cards() -> None:
    check_dot(board(voting=voting(on="cards")), "p1", "c3")


def test_dot_on_a_theme_when_voting_on_cards_is_not_found() -> None:
    with pytest.raises(NotFound):
        check_dot(board(voting=voting(on="cards")), "p1", "t1")


def test_dot_on_an_unknown_target_is_not_found() -> None:
    with pytest.raises(NotFound):
        check_dot(board(voting=voting()), "p1", "t9")


def test_dot_after_all_dots_are_spent_is_a_conflict() -> None:
    ideas = board(voting=voting(dots=2, on="cards"), dots={"c1": {"p1": 1}, "c2": {"p1": 1}})
    with pytest.raises(Conflict):
        check_dot(ideas, "p1", "c3")


def test_dot_after_all_dots_are_stacked_on_one_target_is_a_conflict() -> None:
    ideas = board(voting=voting(dots=2, stack=True), dots={"t1": {"p1": 2}})
    with pytest.raises(Conflict):
        check_dot(ideas, "p1", "t1")


def test_dot_with_dots_left_is_allowed_while_others_spent_theirs() -> None:
    ideas = board(voting=voting(dots=2), dots={"t1": {"p1": 1, "p2": 1}, "t2": {"p2": 1}})
    check_dot(ideas, "p1", "t2")


def test_second_dot_on_the_same_target_without_stack_is_a_conflict() -> None:
    ideas = board(voting=voting(dots=3, stack=False), dots={"t1": {"p1": 1}})
    with pytest.raises(Conflict):
        check_dot(ideas, "p1", "t1")


def test_second_dot_on_the_same_target_with_stack_is_allowed() -> None:
    check_dot(board(voting=voting(dots=3, stack=True), dots={"t1": {"p1": 1}}), "p1", "t1")


def test_dot_on_a_target_someone_else_dotted_is_allowed_without_stack() -> None:
    check_dot(board(voting=voting(stack=False), dots={"t1": {"p2": 1}}), "p1", "t1")


# check_undot


def test_undot_without_own_dot_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_undot(board(voting=voting(), dots={"t1": {"p2": 1}}), "p1", "t1")


def test_undot_on_an_undotted_target_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_undot(board(voting=voting()), "p1", "t2")


def test_undot_while_voting_is_not_open_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_undot(board(voting=voting(state="closed"), dots={"t1": {"p1": 1}}), "p1", "t1")


def test_undot_returns_the_own_count_on_the_target() -> None:
    ideas = board(voting=voting(stack=True), dots={"t1": {"p1": 2, "p2": 3}})
    assert check_undot(ideas, "p1", "t1") == 2


# spent, tally


def test_spent_counts_own_dots_on_all_targets() -> None:
    assert board(dots={"t1": {"p1": 2, "p2": 1}, "t2": {"p1": 1}}).spent("p1") == 3


def test_spent_of_someone_without_dots_is_zero() -> None:
    assert board(dots={"t1": {"p2": 1}}).spent("p1") == 0


def test_tally_counts_all_dots_on_a_target() -> None:
    assert board(dots={"t1": {"p1": 2, "p2": 1}, "t2": {"p1": 1}}).tally("t1") == 3


def test_tally_of_an_undotted_target_is_zero() -> None:
    assert board(dots={"t1": {"p1": 1}}).tally("t2") == 0


# ranking


def test_ranking_of_a_theme_counts_its_own_dots_and_its_cards_dots() -> None:
    themes, _ = ranking(board(dots={"t1": {"p1": 1}, "c1": {"p1": 2}, "c2": {"p2": 1}, "c3": {"p2": 5}}))
    assert [(r.id, r.dots) for r in themes] == [("t1", 4), ("t2", 0)]


def test_ranking_of_themes_puts_most_dots_first() -> None:
    themes, _ = ranking(board(dots={"t1": {"p1": 1}, "t2": {"p1": 2}}))
    assert [(r.rank, r.id, r.title, r.dots) for r in themes] == [(1, "t2", "Räume", 2), (2, "t1", "Arbeitsweise", 1)]


def test_ranking_of_cards_puts_most_dots_first() -> None:
    _, cards = ranking(board(dots={"c1": {"p1": 1}, "c3": {"p1": 1, "p2": 1}}))
    assert [(r.rank, r.id, r.title, r.dots) for r in cards] == [
        (1, "c3", "Karte c3", 2),
        (2, "c1", "Karte c1", 1),
        (3, "c2", "Karte c2", 0),
    ]


def test_ranking_gives_equal_dots_equal_rank_and_skips_the_next() -> None:
    _, cards = ranking(board(dots={"c1": {"p1": 2}, "c2": {"p2": 2}, "c3": {"p1": 1}}))
    assert [r.rank for r in cards] == [1, 1, 3]


def test_ranking_keeps_board_order_for_equal_dots() -> None:
    written = {"c3": card("c3", "p1"), "c1": card("c1", "p1"), "c2": card("c2", "p2")}
    _, cards = ranking(board(cards=written, dots={"c2": {"p1": 1}, "c3": {"p2": 1}, "c1": {"p2": 1}}))
    assert [r.id for r in cards] == ["c3", "c1", "c2"]


def test_ranking_keeps_theme_order_for_equal_dots() -> None:
    themes = (Theme("t2", "Räume"), Theme("t1", "Arbeitsweise", ("c1", "c2")))
    ranked, _ = ranking(board(themes=themes, dots={"t1": {"p1": 1}, "t2": {"p2": 1}}))
    assert [(r.rank, r.id) for r in ranked] == [(1, "t2"), (1, "t1")]


def test_ranking_leaves_hidden_cards_out_of_the_card_ranking() -> None:
    hidden = board(cards={"c1": card("c1", "p1"), "c2": card("c2", "p2", hidden=True), "c3": card("c3", "p1")})
    _, cards = ranking(hidden)
    assert [r.id for r in cards] == ["c1", "c3"]


# masked_for


def hidden_board(**changes: Any) -> Ideas:
    return board(collect_hidden=True, cards_revealed=False, **changes)


def test_participant_sees_own_cards_while_collecting_hidden() -> None:
    seen = masked_for(hidden_board(), "p1", facilitator=False)
    assert seen.cards["c1"] == card("c1", "p1")
    assert seen.cards["c3"] == card("c3", "p1")


def test_participant_sees_no_text_of_others_cards_while_collecting_hidden() -> None:
    seen = masked_for(hidden_board(), "p1", facilitator=False)
    assert seen.cards["c2"].text == ""
    assert seen.cards["c2"].hidden


def test_projector_sees_no_card_text_while_collecting_hidden() -> None:
    seen = masked_for(hidden_board(), None, facilitator=False)
    assert [(c.text, c.hidden) for c in seen.cards.values()] == [("", True), ("", True), ("", True)]


def test_facilitator_sees_all_cards_while_collecting_hidden() -> None:
    assert masked_for(hidden_board(), "p1", facilitator=True).cards == hidden_board().cards


def test_everyone_sees_all_cards_after_they_are_revealed() -> None:
    revealed = board(collect_hidden=True, cards_revealed=True)
    assert masked_for(revealed, "p1", facilitator=False).cards == revealed.cards
    assert masked_for(revealed, None, facilitator=False).cards == revealed.cards


def test_everyone_sees_all_cards_when_not_collecting_hidden() -> None:
    assert masked_for(board(), None, facilitator=False).cards == board().cards


def test_masked_cards_keep_their_place_on_the_board() -> None:
    seen = masked_for(hidden_board(), None, facilitator=False)
    assert list(seen.cards) == ["c1", "c2", "c3"]
    assert seen.themes == board().themes
    assert seen.loose == board().loose


def test_hidden_tally_shows_only_own_dots_while_voting_is_open() -> None:
    ideas = board(voting=voting(hide_tally=True), dots={"t1": {"p1": 1, "p2": 2}, "t2": {"p2": 1}})
    seen = masked_for(ideas, "p1", facilitator=False)
    assert seen.tally("t1") == 1
    assert seen.tally("t2") == 0
    assert seen.spent("p1") == 1


def test_hidden_tally_shows_the_projector_no_dots_while_voting_is_open() -> None:
    ideas = board(voting=voting(hide_tally=True), dots={"t1": {"p1": 1, "p2": 2}})
    assert masked_for(ideas, None, facilitator=False).tally("t1") == 0


def test_hidden_tally_shows_all_dots_after_voting_closed() -> None:
    ideas = board(voting=voting(state="closed", hide_tally=True), dots={"t1": {"p1": 1, "p2": 2}})
    assert masked_for(ideas, "p1", facilitator=False).tally("t1") == 3


def test_open_tally_shows_all_dots_while_voting_is_open() -> None:
    ideas = board(voting=voting(hide_tally=False), dots={"t1": {"p1": 1, "p2": 2}})
    assert masked_for(ideas, "p1", facilitator=False).tally("t1") == 3


def test_masking_leaves_the_original_unchanged() -> None:
    ideas = hidden_board(voting=voting(hide_tally=True), dots={"t1": {"p1": 1, "p2": 2}})
    before = hidden_board(voting=voting(hide_tally=True), dots={"t1": {"p1": 1, "p2": 2}})
    masked_for(ideas, "p1", facilitator=False)
    assert ideas == before
    assert ideas.cards["c2"].text == "Karte c2"
    assert ideas.tally("t1") == 3


# author_label


def test_author_label_shows_the_name() -> None:
    assert author_label(card("c1", "p1"), "name", NAMES, ORGS) == "Anna"


def test_author_label_shows_the_organisation() -> None:
    assert author_label(card("c2", "p2"), "org", NAMES, ORGS) == "Kita Sonnenschein"


def test_author_label_shows_nothing_when_set_to_none() -> None:
    assert author_label(card("c1", "p1"), "none", NAMES, ORGS) == ""


def test_author_label_of_an_anonymous_card_is_empty() -> None:
    assert author_label(card("c1", "p1", anonymous=True), "name", NAMES, ORGS) == ""


def test_author_label_of_a_hidden_card_is_empty() -> None:
    assert author_label(card("c1", "p1", hidden=True), "name", NAMES, ORGS) == ""


def test_author_label_of_an_unknown_author_is_empty() -> None:
    assert author_label(card("c1", "p9"), "name", NAMES, ORGS) == ""


# mine


def test_mine_has_only_own_cards_in_order_of_writing() -> None:
    assert mine(board(), None, "p1").cards == (card("c1", "p1"), card("c3", "p1"))


def test_mine_has_own_dots_per_target() -> None:
    ideas = board(voting=voting(stack=True), dots={"t1": {"p1": 2, "p2": 1}, "t2": {"p2": 1}})
    assert mine(ideas, None, "p1").dots == (("t1", 2),)


def test_mine_on_a_target_gives_own_dots_there() -> None:
    ideas = board(voting=voting(stack=True), dots={"t1": {"p1": 2, "p2": 1}, "t2": {"p2": 1}})
    assert mine(ideas, None, "p1").on("t1") == 2
    assert mine(ideas, None, "p1").on("t2") == 0


def test_mine_left_is_dots_minus_spent() -> None:
    ideas = board(voting=voting(dots=5), dots={"t1": {"p1": 1}, "t2": {"p1": 1}})
    assert mine(ideas, None, "p1").left == 3


def test_mine_left_is_never_negative() -> None:
    ideas = board(voting=voting(dots=1), dots={"t1": {"p1": 1}, "t2": {"p1": 1}})
    assert mine(ideas, None, "p1").left == 0


def test_mine_of_someone_without_cards_or_dots_is_empty_with_all_dots_left() -> None:
    assert mine(board(voting=voting(dots=4)), None, "p3") == Mine((), (), 4)
