from __future__ import annotations

import pytest

from workshop.activities.estimate.rules import (
    COFFEE,
    DECK_NAMES,
    DECKS,
    UNSURE,
    Deck,
    Estimate,
    Reason,
    Round,
    Vote,
    check_vote,
    make_deck,
    tally,
)
from workshop.domain.errors import Conflict, Invalid

FIBONACCI = DECKS["fibonacci"]
QUALITATIVE = DECKS["qualitative"]
TSHIRT = DECKS["tshirt"]


def votes_of(*cards: str) -> dict[str, Vote]:
    return {f"p{i}": Vote(card) for i, card in enumerate(cards)}


def item(
    deck: Deck = FIBONACCI, revealed_rounds: tuple[bool, ...] = (False,), rounds: tuple[Round, ...] = ()
) -> Estimate:
    return Estimate("i1", "Wie groß ist das?", deck, revealed_rounds, rounds)


# Decks


def test_fibonacci_deck_has_numbers_in_order() -> None:
    assert make_deck("fibonacci").cards[:10] == ("0", "1", "2", "3", "5", "8", "13", "20", "40", "100")


def test_fibonacci_deck_has_question_mark_and_coffee() -> None:
    assert make_deck("fibonacci").cards[10:] == ("?", "Kaffeepause")
    assert (UNSURE, COFFEE) == ("?", "Kaffeepause")


def test_qualitative_deck_is_low_medium_high() -> None:
    assert make_deck("qualitative").cards == ("Gering", "Mittel", "Hoch")


def test_tshirt_deck_is_xs_to_xl() -> None:
    assert make_deck("tshirt").cards == ("XS", "S", "M", "L", "XL")


def test_every_deck_kind_has_a_name_to_show() -> None:
    assert set(DECK_NAMES) == {"fibonacci", "qualitative", "tshirt", "custom"}


def test_make_deck_reports_its_kind() -> None:
    assert make_deck("tshirt").kind == "tshirt"
    assert make_deck("custom", "A, B").kind == "custom"


def test_custom_deck_keeps_order_of_cards() -> None:
    assert make_deck("custom", "Ja, Eher ja, Eher nein, Nein").cards == ("Ja", "Eher ja", "Eher nein", "Nein")


def test_custom_deck_removes_duplicates_keeping_first() -> None:
    assert make_deck("custom", "Ja, Nein, Ja, Vielleicht, Nein").cards == ("Ja", "Nein", "Vielleicht")


def test_custom_deck_splits_on_semicolon() -> None:
    assert make_deck("custom", "Ja;Nein;Vielleicht").cards == ("Ja", "Nein", "Vielleicht")


def test_custom_deck_splits_on_newline() -> None:
    assert make_deck("custom", "Ja\nNein\r\nVielleicht\n").cards == ("Ja", "Nein", "Vielleicht")


def test_custom_deck_splits_on_mixed_separators() -> None:
    assert make_deck("custom", "A, B; C\nD").cards == ("A", "B", "C", "D")


def test_custom_deck_trims_cards_and_skips_empty_ones() -> None:
    assert make_deck("custom", "  Ja  ,, ;\n  Nein ").cards == ("Ja", "Nein")


def test_custom_deck_with_one_card_is_invalid() -> None:
    with pytest.raises(Invalid):
        make_deck("custom", "Ja")


def test_custom_deck_with_one_distinct_card_is_invalid() -> None:
    with pytest.raises(Invalid):
        make_deck("custom", "Ja, Ja, Ja")


def test_custom_deck_without_cards_is_invalid() -> None:
    with pytest.raises(Invalid):
        make_deck("custom", "")


def test_custom_deck_with_twenty_cards_is_allowed() -> None:
    assert len(make_deck("custom", ",".join(str(n) for n in range(20))).cards) == 20


def test_custom_deck_with_twenty_one_cards_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        make_deck("custom", ",".join(str(n) for n in range(21)))
    assert caught.value.params["max"] == 20


def test_custom_deck_counts_cards_after_removing_duplicates() -> None:
    text = ",".join(str(n) for n in range(20)) + ",0"
    assert len(make_deck("custom", text).cards) == 20


def test_custom_card_of_twenty_characters_is_allowed() -> None:
    assert make_deck("custom", "x" * 20 + ", y").cards == ("x" * 20, "y")


def test_custom_card_longer_than_twenty_characters_is_invalid() -> None:
    with pytest.raises(Invalid):
        make_deck("custom", "x" * 21 + ", y")


def test_unknown_deck_kind_is_invalid() -> None:
    with pytest.raises(Invalid):
        make_deck("poker")


def test_fibonacci_deck_is_numeric() -> None:
    assert FIBONACCI.numeric


def test_qualitative_deck_is_not_numeric() -> None:
    assert not QUALITATIVE.numeric


def test_tshirt_deck_is_not_numeric() -> None:
    assert not TSHIRT.numeric


def test_custom_deck_of_numbers_is_numeric() -> None:
    assert make_deck("custom", "1, 2, 4, ?").numeric


def test_custom_deck_with_a_word_is_not_numeric() -> None:
    assert not make_deck("custom", "1, 2, viel").numeric


def test_custom_deck_of_only_unranked_cards_is_not_numeric() -> None:
    assert not make_deck("custom", "?, Kaffeepause").numeric


def test_rank_follows_deck_order() -> None:
    assert FIBONACCI.rank("0") == 0
    assert FIBONACCI.rank("5") == 4
    assert FIBONACCI.rank("100") == 9


def test_rank_ignores_question_mark_and_coffee() -> None:
    assert FIBONACCI.rank("?") is None
    assert FIBONACCI.rank("Kaffeepause") is None


def test_rank_of_card_not_in_deck_is_none() -> None:
    assert TSHIRT.rank("XXL") is None


def test_ranked_cards_leave_out_question_mark_and_coffee() -> None:
    assert FIBONACCI.ranked == ("0", "1", "2", "3", "5", "8", "13", "20", "40", "100")


# check_vote


def test_check_vote_accepts_card_in_deck() -> None:
    assert check_vote(item(), 1, "13") == Vote("13", "")


def test_check_vote_accepts_question_mark_and_coffee() -> None:
    assert check_vote(item(), 1, "?").card == "?"
    assert check_vote(item(), 1, "Kaffeepause").card == "Kaffeepause"


def test_check_vote_rejects_card_not_in_deck() -> None:
    with pytest.raises(Invalid):
        check_vote(item(), 1, "21")


def test_check_vote_rejects_card_from_another_deck() -> None:
    with pytest.raises(Invalid):
        check_vote(item(TSHIRT), 1, "Mittel")


def test_check_vote_for_an_older_round_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_vote(item(revealed_rounds=(True, False)), 1, "5")


def test_check_vote_for_a_future_round_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        check_vote(item(), 2, "5")


def test_check_vote_in_the_current_restarted_round_is_accepted() -> None:
    assert check_vote(item(revealed_rounds=(True, False)), 2, "5").card == "5"


def test_check_vote_on_revealed_item_is_a_conflict() -> None:
    with pytest.raises(Conflict) as caught:
        check_vote(item(revealed_rounds=(True,)), 1, "5")
    assert caught.value.status == 409


def test_check_vote_keeps_reason_trimmed() -> None:
    assert check_vote(item(), 1, "8", "  Viele Schnittstellen  ").reason == "Viele Schnittstellen"


def test_check_vote_collapses_line_breaks_in_reason() -> None:
    assert check_vote(item(), 1, "8", "Viele\nSchnittstellen\r\nund Altlasten").reason == (
        "Viele Schnittstellen und Altlasten"
    )


def test_check_vote_allows_empty_reason() -> None:
    assert check_vote(item(), 1, "8", "").reason == ""
    assert check_vote(item(), 1, "8", "   ").reason == ""


def test_check_vote_allows_reason_of_200_characters() -> None:
    assert check_vote(item(), 1, "8", "x" * 200).reason == "x" * 200


def test_check_vote_rejects_reason_over_200_characters() -> None:
    with pytest.raises(Invalid) as caught:
        check_vote(item(), 1, "8", "x" * 201)
    assert caught.value.params["max"] == 200


# tally


def test_tally_workshop_example_counts_every_card_in_deck_order() -> None:
    results = tally(FIBONACCI, votes_of("20", "40", "40", "100", "20", "40", "100"), {})
    assert results.counts == (
        ("0", 0),
        ("1", 0),
        ("2", 0),
        ("3", 0),
        ("5", 0),
        ("8", 0),
        ("13", 0),
        ("20", 2),
        ("40", 3),
        ("100", 2),
        ("?", 0),
        ("Kaffeepause", 0),
    )


def test_tally_workshop_example_total() -> None:
    assert tally(FIBONACCI, votes_of("20", "40", "40", "100", "20", "40", "100"), {}).total == 7


def test_tally_workshop_example_stats() -> None:
    stats = tally(FIBONACCI, votes_of("20", "40", "40", "100", "20", "40", "100"), {}).stats
    assert stats is not None
    assert stats.low == 20
    assert stats.median == 40
    assert stats.high == 100
    assert stats.mean == pytest.approx(51.43, abs=0.005)


def test_tally_workshop_example_is_apart() -> None:
    assert tally(FIBONACCI, votes_of("20", "40", "40", "100", "20", "40", "100"), {}).consensus == "apart"


def test_tally_workshop_example_most() -> None:
    assert tally(FIBONACCI, votes_of("20", "40", "40", "100", "20", "40", "100"), {}).most == 3


def test_tally_median_of_even_number_of_votes_lies_between() -> None:
    stats = tally(FIBONACCI, votes_of("5", "8"), {}).stats
    assert stats is not None
    assert stats.median == 6.5


def test_tally_counts_question_mark_and_coffee() -> None:
    results = tally(FIBONACCI, votes_of("5", "?", "Kaffeepause", "?"), {})
    assert dict(results.counts)["?"] == 2
    assert dict(results.counts)["Kaffeepause"] == 1
    assert results.total == 4


def test_tally_stats_leave_out_question_mark_and_coffee() -> None:
    stats = tally(FIBONACCI, votes_of("5", "13", "?", "Kaffeepause"), {}).stats
    assert stats is not None
    assert (stats.low, stats.median, stats.high, stats.mean) == (5, 9, 13, 9)


def test_tally_consensus_leaves_out_question_mark_and_coffee() -> None:
    assert tally(FIBONACCI, votes_of("8", "8", "?", "Kaffeepause"), {}).consensus == "unanimous"


def test_tally_only_unranked_votes_has_no_stats_and_no_consensus() -> None:
    results = tally(FIBONACCI, votes_of("?", "Kaffeepause"), {})
    assert results.stats is None
    assert results.consensus is None
    assert results.total == 2


def test_tally_without_votes() -> None:
    results = tally(FIBONACCI, {}, {})
    assert results.total == 0
    assert results.stats is None
    assert results.consensus is None
    assert results.reasons == ()
    assert results.most == 0
    assert all(n == 0 for _, n in results.counts)


def test_tally_ignores_hidden_votes() -> None:
    results = tally(FIBONACCI, {"a": Vote(None), "b": Vote("5")}, {})
    assert results.total == 1


def test_tally_qualitative_has_no_stats() -> None:
    assert tally(QUALITATIVE, votes_of("Gering", "Mittel", "Gering", "Hoch"), {}).stats is None


def test_tally_qualitative_low_to_high_is_apart() -> None:
    results = tally(QUALITATIVE, votes_of("Gering", "Mittel", "Gering", "Hoch"), {})
    assert results.consensus == "apart"
    assert results.counts == (("Gering", 2), ("Mittel", 1), ("Hoch", 1))
    assert results.most == 2


def test_tally_all_same_card_is_unanimous() -> None:
    assert tally(FIBONACCI, votes_of("13", "13", "13"), {}).consensus == "unanimous"


def test_tally_single_vote_is_unanimous() -> None:
    assert tally(TSHIRT, votes_of("M"), {}).consensus == "unanimous"


def test_tally_adjacent_cards_are_close() -> None:
    assert tally(FIBONACCI, votes_of("5", "8", "5"), {}).consensus == "close"
    assert tally(FIBONACCI, votes_of("0", "1"), {}).consensus == "close"
    assert tally(FIBONACCI, votes_of("20", "40"), {}).consensus == "close"
    assert tally(TSHIRT, votes_of("S", "M"), {}).consensus == "close"


def test_tally_neighbouring_cards_far_apart_in_size_are_apart() -> None:
    assert tally(FIBONACCI, votes_of("40", "40", "100"), {}).consensus == "apart"  # 2.5 times: not "almost agreed"


def test_tally_adjacent_tshirt_sizes_are_close() -> None:
    assert tally(TSHIRT, votes_of("S", "M"), {}).consensus == "close"


def test_tally_cards_two_steps_apart_are_apart() -> None:
    assert tally(FIBONACCI, votes_of("5", "13"), {}).consensus == "apart"


def test_tally_custom_numeric_deck_has_stats() -> None:
    deck = make_deck("custom", "1, 2, 4, 8")
    stats = tally(deck, votes_of("2", "8"), {}).stats
    assert stats is not None
    assert (stats.low, stats.high, stats.mean) == (2, 8, 5)


def test_tally_custom_word_deck_has_no_stats() -> None:
    deck = make_deck("custom", "Ja, Eher ja, Eher nein, Nein")
    results = tally(deck, votes_of("Ja", "Eher ja"), {})
    assert results.stats is None
    assert results.consensus == "close"


def test_tally_lists_reasons_with_names() -> None:
    votes = {"a": Vote("8", "Viele Schnittstellen")}
    assert tally(FIBONACCI, votes, {"a": "Anna"}).reasons == (("8", (Reason("Anna", "Viele Schnittstellen"),)),)


def test_tally_leaves_out_votes_without_reason() -> None:
    votes = {"a": Vote("8", "Viele Schnittstellen"), "b": Vote("8"), "c": Vote("13")}
    reasons = tally(FIBONACCI, votes, {"a": "Anna", "b": "Bernd", "c": "Cem"}).reasons
    assert reasons == (("8", (Reason("Anna", "Viele Schnittstellen"),)),)


def test_tally_groups_reasons_by_card_in_voting_order() -> None:
    votes = {"a": Vote("8", "eins"), "b": Vote("8", "zwei")}
    reasons = tally(FIBONACCI, votes, {"a": "Anna", "b": "Bernd"}).reasons
    assert reasons == (("8", (Reason("Anna", "eins"), Reason("Bernd", "zwei"))),)


def test_tally_reasons_start_with_lowest_then_highest_then_middle() -> None:
    votes = {
        "a": Vote("Kaffeepause", "Pause!"),
        "b": Vote("13", "mittel"),
        "c": Vote("?", "keine Ahnung"),
        "d": Vote("40", "hoch"),
        "e": Vote("20", "auch mittel"),
        "f": Vote("3", "niedrig"),
    }
    reasons = tally(FIBONACCI, votes, {pid: pid.upper() for pid in votes}).reasons
    assert [card for card, _ in reasons] == ["3", "40", "13", "20", "?", "Kaffeepause"]


def test_tally_reasons_keep_edge_order_when_the_lowest_voter_gave_no_reason() -> None:
    votes = {"a": Vote("2"), "b": Vote("5", "mittel"), "c": Vote("40", "hoch"), "d": Vote("8", "auch mittel")}
    reasons = tally(FIBONACCI, votes, {}).reasons
    assert [card for card, _ in reasons] == ["40", "5", "8"]


def test_tally_reasons_for_qualitative_start_at_the_edges() -> None:
    votes = {"a": Vote("Mittel", "m"), "b": Vote("Hoch", "h"), "c": Vote("Gering", "g")}
    reasons = tally(QUALITATIVE, votes, {}).reasons
    assert [card for card, _ in reasons] == ["Gering", "Hoch", "Mittel"]


def test_tally_reasons_use_names_mapping() -> None:
    votes = {"p-1": Vote("5", "klein"), "p-2": Vote("40", "groß")}
    reasons = tally(FIBONACCI, votes, {"p-1": "Anna (Stadtwerke)", "p-2": "Bernd"}).reasons
    assert reasons == (
        ("5", (Reason("Anna (Stadtwerke)", "klein"),)),
        ("40", (Reason("Bernd", "groß"),)),
    )


def test_tally_reason_of_unknown_participant_is_not_dropped() -> None:
    reasons = tally(FIBONACCI, {"gone": Vote("5", "klein")}, {}).reasons
    assert [(card, [r.text for r in rs]) for card, rs in reasons] == [("5", ["klein"])]


# Estimate


def test_new_item_is_in_round_one_unrevealed() -> None:
    fresh = item()
    assert fresh.round == 1
    assert not fresh.revealed


def test_item_round_counts_restarts() -> None:
    assert item(revealed_rounds=(True, True, False)).round == 3


def test_item_revealed_follows_the_last_round() -> None:
    assert item(revealed_rounds=(False, True)).revealed
    assert not item(revealed_rounds=(True, False)).revealed


def test_current_round_without_loaded_rounds_is_empty() -> None:
    current = item(revealed_rounds=(True, False)).current_round
    assert current == Round(2, False)
    assert current.votes == {}


def test_current_round_without_loaded_rounds_reflects_reveal() -> None:
    assert item(revealed_rounds=(True,)).current_round.revealed


def test_current_round_is_the_loaded_round_with_the_current_number() -> None:
    first = Round(1, True, votes_of("5"))
    second = Round(2, False, votes_of("8", "13"))
    assert item(revealed_rounds=(True, False), rounds=(first, second)).current_round == second


def test_earlier_rounds_lists_revealed_earlier_rounds_with_votes() -> None:
    first = Round(1, True, votes_of("5"))
    second = Round(2, True, votes_of("8"))
    third = Round(3, False, votes_of("8"))
    assert item(revealed_rounds=(True, True, False), rounds=(first, second, third)).earlier_rounds == (first, second)


def test_earlier_rounds_leaves_out_round_restarted_without_reveal() -> None:
    first = Round(1, False, votes_of("5", "8"))
    second = Round(2, False, votes_of("8"))
    assert item(revealed_rounds=(False, False), rounds=(first, second)).earlier_rounds == ()


def test_earlier_rounds_leaves_out_revealed_round_without_votes() -> None:
    first = Round(1, True, {})
    second = Round(2, False, votes_of("8"))
    assert item(revealed_rounds=(True, False), rounds=(first, second)).earlier_rounds == ()


def test_earlier_rounds_leaves_out_the_current_round_even_if_revealed() -> None:
    first = Round(1, True, votes_of("5"))
    second = Round(2, True, votes_of("8"))
    assert item(revealed_rounds=(True, True), rounds=(first, second)).earlier_rounds == (first,)


def test_words_like_nan_or_infinity_are_not_numbers_on_a_card() -> None:
    deck = make_deck("custom", "1, 2, NaN, Infinity")
    assert not deck.numeric
    assert tally(deck, votes_of("1", "NaN"), {}).stats is None


def test_decimal_comma_cards_are_numbers() -> None:
    deck = make_deck("custom", "0,5; 1; 2,5")
    result = tally(deck, votes_of("0,5", "2,5"), {})
    assert result.stats is not None and result.stats.mean == 1.5


def test_reasons_for_one_card_follow_the_order_people_joined() -> None:
    names = {"p3": "Cem", "p1": "Anna", "p2": "Bernd"}  # joined in this order
    votes = {"p1": Vote("8", "a"), "p2": Vote("8", "b"), "p3": Vote("8", "c")}
    ((card, reasons),) = tally(FIBONACCI, votes, names).reasons
    assert card == "8" and [r.name for r in reasons] == ["Cem", "Anna", "Bernd"]
