from __future__ import annotations

import re

import pytest

from workshop.activities.estimate.rules import DECKS, Estimate, Round, Vote, everyone_voted, find, mine, open_estimate
from workshop.domain.errors import Invalid, NotFound
from workshop.domain.rooms import (
    Group,
    GroupView,
    Participant,
    Role,
    Room,
    check_title,
    guest_name,
    new_participant,
)
from workshop.web import views

FIBONACCI = DECKS["fibonacci"]
ANNA = Participant("a", "Anna")
BERND = Participant("b", "Bernd")
OLGA = Participant("o", "Olga", role=Role.OBSERVER)


def agenda_item(item_id: str, revealed_rounds: tuple[bool, ...] = (False,), rounds: tuple[Round, ...] = ()) -> Estimate:
    return Estimate(item_id, f"Frage {item_id}", FIBONACCI, revealed_rounds, rounds)


def room(
    *people: Participant, items: tuple[Estimate, ...] = (), current_id: str | None = None, title: str = "Workshop"
) -> GroupView:
    """A room with one group, as that group sees it."""
    return Room(
        code="KXR7MPQH",
        title=title,
        created="2025-03-14",
        participants={p.id: p for p in people},
        activities={i.id: i for i in items},
        groups=(Group("main", "Arbeitsgruppe 1", tuple(i.id for i in items), current_id),),
        around=frozenset(p.id for p in people),  # everyone's phone is open
    ).view()


def masked(view: GroupView) -> GroupView:
    """What every screen is shown of the room."""
    return views.masked(view.room, facilitator=False).view()


def own_vote(view: GroupView, pid: str) -> Vote | None:
    """A participant's own vote in what the group votes on now."""
    estimate = open_estimate(view)
    return mine(estimate, view, pid) if estimate is not None else None


def voting_room(votes: dict[str, Vote], *people: Participant, revealed: bool = False) -> GroupView:
    current = agenda_item("q1", (revealed,), (Round(1, revealed, votes),))
    return room(*people, items=(current,), current_id="q1")


# Participants


def test_new_participant_keeps_the_name_given() -> None:
    assert new_participant("a", "Anna", "", observer=False).name == "Anna"


def test_new_participant_trims_name_and_org() -> None:
    person = new_participant("a", "  Anna  Maria ", " Stadtwerke\n", observer=False)
    assert (person.name, person.org) == ("Anna Maria", "Stadtwerke")


def test_new_participant_without_name_is_a_guest() -> None:
    assert re.fullmatch(r"Gast [0-9A-F]{3}", new_participant("a", "", "", observer=False).name)


def test_new_participant_with_blank_or_missing_name_is_a_guest() -> None:
    assert new_participant("a", "   ", "", observer=False).name == guest_name("a")
    assert new_participant("a", None, None, observer=False).name == guest_name("a")


def test_guest_name_is_stable_for_the_same_participant() -> None:
    assert guest_name("pid-123") == guest_name("pid-123")
    assert new_participant("pid-123", "", "", False).name == new_participant("pid-123", "", "", False).name


def test_guest_names_tell_participants_apart() -> None:
    names = {guest_name(f"pid-{n}") for n in range(20)}
    assert len(names) > 1


def test_new_participant_name_of_40_characters_is_allowed() -> None:
    assert new_participant("a", "x" * 40, "", observer=False).name == "x" * 40


def test_new_participant_name_over_40_characters_is_invalid() -> None:
    with pytest.raises(Invalid):
        new_participant("a", "x" * 41, "", observer=False)


def test_new_participant_org_of_60_characters_is_allowed() -> None:
    assert new_participant("a", "Anna", "x" * 60, observer=False).org == "x" * 60


def test_new_participant_org_over_60_characters_is_invalid() -> None:
    with pytest.raises(Invalid):
        new_participant("a", "Anna", "x" * 61, observer=False)


def test_new_participant_without_org_has_empty_org() -> None:
    assert new_participant("a", "Anna", None, observer=False).org == ""


def test_new_participant_votes_by_default() -> None:
    assert new_participant("a", "Anna", "", observer=False).role is Role.PARTICIPANT


def test_new_participant_can_join_as_observer() -> None:
    assert new_participant("o", "Olga", "", observer=True).role is Role.OBSERVER


def test_new_participant_entered_by_facilitator_is_marked() -> None:
    assert new_participant("a", "Anna", "", observer=False, by_facilitator=True).by_facilitator
    assert not new_participant("b", "Bernd", "", observer=False).by_facilitator


def test_check_title_trims() -> None:
    assert check_title("  Arbeitsgruppe 1 ") == "Arbeitsgruppe 1"


def test_check_title_empty_is_invalid() -> None:
    with pytest.raises(Invalid):
        check_title("  ")


def test_check_title_over_120_characters_is_invalid() -> None:
    assert check_title("x" * 120) == "x" * 120
    with pytest.raises(Invalid):
        check_title("x" * 121)


# Room


def test_voters_exclude_observers() -> None:
    assert room(ANNA, OLGA, BERND).voters == (ANNA, BERND)


def test_observers_are_listed_separately() -> None:
    assert room(ANNA, OLGA, BERND).observers == (OLGA,)


def test_names_map_ids_to_names_including_observers() -> None:
    assert room(ANNA, OLGA).room.names == {"a": "Anna", "o": "Olga"}


def test_current_is_the_item_with_current_id() -> None:
    q1, q2 = agenda_item("q1"), agenda_item("q2")
    assert room(items=(q1, q2), current_id="q2").current == q2


def test_current_is_none_before_the_first_item() -> None:
    assert room(items=(agenda_item("q1"),)).current is None


def test_item_finds_item_by_id() -> None:
    q1, q2 = agenda_item("q1"), agenda_item("q2")
    assert find(room(items=(q1, q2)).room, "q2") == q2


def test_item_with_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        find(room(items=(agenda_item("q1"),)).room, "q9")
    assert caught.value.status == 404


def test_next_item_before_start_is_the_first() -> None:
    q1, q2 = agenda_item("q1"), agenda_item("q2")
    assert room(items=(q1, q2)).next_item() == q1


def test_next_item_follows_agenda_order() -> None:
    q1, q2, q3 = agenda_item("q1"), agenda_item("q2"), agenda_item("q3")
    assert room(items=(q1, q2, q3), current_id="q2").next_item() == q3


def test_next_item_after_the_last_is_none() -> None:
    q1, q2 = agenda_item("q1"), agenda_item("q2")
    assert room(items=(q1, q2), current_id="q2").next_item() is None


def test_next_item_without_items_is_none() -> None:
    assert room().next_item() is None


def test_everyone_voted_is_false_without_voters() -> None:
    assert not everyone_voted(voting_room({}))


def test_everyone_voted_is_false_with_only_observers() -> None:
    assert not everyone_voted(voting_room({}, OLGA))


def test_everyone_voted_is_false_without_current_item() -> None:
    assert not everyone_voted(room(ANNA, items=(agenda_item("q1"),)))


def test_everyone_voted_is_false_while_someone_is_missing() -> None:
    assert not everyone_voted(voting_room({"a": Vote("5")}, ANNA, BERND))


def test_everyone_voted_is_true_when_every_voter_has_a_vote() -> None:
    assert everyone_voted(voting_room({"a": Vote("5"), "b": Vote("?")}, ANNA, BERND))


def test_everyone_voted_ignores_observers() -> None:
    assert everyone_voted(voting_room({"a": Vote("5"), "b": Vote("8")}, ANNA, BERND, OLGA))


def test_everyone_voted_is_false_once_revealed() -> None:
    assert not everyone_voted(voting_room({"a": Vote("5"), "b": Vote("8")}, ANNA, BERND, revealed=True))


def test_everyone_voted_only_counts_the_current_round() -> None:
    first = Round(1, True, {"a": Vote("5"), "b": Vote("8")})
    second = Round(2, False, {"a": Vote("5")})
    current = agenda_item("q1", (True, False), (first, second))
    assert not everyone_voted(room(ANNA, BERND, items=(current,), current_id="q1"))


def test_everyone_voted_waits_for_no_one_without_a_phone_whose_vote_was_not_entered() -> None:
    paper = Participant("p", "Paula", by_facilitator=True)
    assert everyone_voted(voting_room({"a": Vote("5")}, ANNA, paper))  # Paula's vote is entered when she has one
    assert not everyone_voted(voting_room({"p": Vote("5")}, ANNA, paper))


# masked


def test_masked_hides_cards_of_unrevealed_round() -> None:
    hidden = masked(voting_room({"a": Vote("5"), "b": Vote("8")}, ANNA, BERND))
    assert hidden.items[0].current_round.votes == {"a": Vote(None), "b": Vote(None)}


def test_masked_hides_reasons_of_unrevealed_round() -> None:
    hidden = masked(voting_room({"a": Vote("5", "geheim")}, ANNA))
    assert hidden.items[0].current_round.votes["a"].reason == ""


def test_masked_keeps_who_has_voted() -> None:
    hidden = masked(voting_room({"a": Vote("5")}, ANNA, BERND))
    assert set(hidden.items[0].current_round.votes) == {"a"}


def test_masked_still_knows_everyone_voted() -> None:
    assert everyone_voted(masked(voting_room({"a": Vote("5"), "b": Vote("8")}, ANNA, BERND)))


def test_masked_leaves_revealed_round_intact() -> None:
    votes = {"a": Vote("5", "klein"), "b": Vote("8")}
    hidden = masked(voting_room(votes, ANNA, BERND, revealed=True))
    assert hidden.items[0].current_round.votes == votes


def test_masked_hides_only_the_unrevealed_rounds_of_an_item() -> None:
    first = Round(1, True, {"a": Vote("5", "klein")})
    second = Round(2, False, {"a": Vote("8", "doch mehr")})
    current = agenda_item("q1", (True, False), (first, second))
    hidden = masked(room(ANNA, items=(current,), current_id="q1")).items[0]
    assert hidden.rounds == (first, Round(2, False, {"a": Vote(None)}))


def test_masked_hides_votes_of_other_items_too() -> None:
    q1 = agenda_item("q1", (False,), (Round(1, False, {"a": Vote("5")}),))
    q2 = agenda_item("q2")
    hidden = masked(room(ANNA, items=(q1, q2), current_id="q2"))
    assert hidden.items[0].rounds[0].votes == {"a": Vote(None)}


def test_masked_does_not_change_the_original_room() -> None:
    original = voting_room({"a": Vote("5", "klein")}, ANNA)
    masked(original)
    assert original.items[0].current_round.votes == {"a": Vote("5", "klein")}


def test_masked_keeps_everything_but_the_votes() -> None:
    original = voting_room({"a": Vote("5")}, ANNA, OLGA)
    hidden = masked(original)
    assert (hidden.room.code, hidden.room.title, hidden.room.participants, hidden.current_id) == (
        original.room.code,
        original.room.title,
        original.room.participants,
        original.current_id,
    )
    assert [i.question for i in hidden.items] == [i.question for i in original.items]


# own_vote


def test_own_vote_returns_the_participants_vote() -> None:
    assert own_vote(voting_room({"a": Vote("5", "klein"), "b": Vote("8")}, ANNA, BERND), "a") == Vote("5", "klein")


def test_own_vote_is_none_before_voting() -> None:
    assert own_vote(voting_room({"a": Vote("5")}, ANNA, BERND), "b") is None


def test_own_vote_is_none_without_current_item() -> None:
    assert own_vote(room(ANNA, items=(agenda_item("q1"),)), "a") is None


def test_own_vote_is_from_the_current_round() -> None:
    first = Round(1, True, {"a": Vote("5")})
    second = Round(2, False, {})
    current = agenda_item("q1", (True, False), (first, second))
    assert own_vote(room(ANNA, items=(current,), current_id="q1"), "a") is None


# who is expected to take part in a round


def test_expected_are_the_participants_here_now_not_observers() -> None:
    view = Room(
        "KXR7MPQH",
        "Workshop",
        "2025-03-14",
        participants={p.id: p for p in (ANNA, BERND, OLGA)},
        around=frozenset({"a", "o"}),
    ).view()
    assert view.expected(()) == (ANNA,)


def test_who_acted_counts_even_after_leaving() -> None:
    view = Room("KXR7MPQH", "Workshop", "2025-03-14", participants={p.id: p for p in (ANNA, BERND)}).view()
    assert view.expected({"b"}) == (BERND,)


def test_someone_without_a_phone_counts_once_their_vote_was_entered() -> None:
    paper = Participant("p", "Paula", by_facilitator=True)
    room_ = Room(
        "KXR7MPQH",
        "Workshop",
        "2025-03-14",
        participants={p.id: p for p in (ANNA, paper)},
        around=frozenset({"a", "p"}),
    )
    assert room_.view().expected(()) == (ANNA,)
    assert room_.view().expected({"p"}) == (ANNA, paper)


def test_everyone_voted_waits_for_everyone_here_and_ignores_who_left() -> None:
    here = frozenset({"a", "b"})
    current = agenda_item("q1", (False,), (Round(1, False, {"a": Vote("5")}),))
    people = {p.id: p for p in (ANNA, BERND)}
    groups = (Group("main", "Arbeitsgruppe 1", ("q1",), "q1"),)
    waiting = Room(
        "KXR7MPQH", "W", "2025-03-14", participants=people, activities={"q1": current}, groups=groups, around=here
    ).view()
    assert not everyone_voted(waiting)
    left = Room(
        "KXR7MPQH",
        "W",
        "2025-03-14",
        participants=people,
        activities={"q1": current},
        groups=groups,
        around=frozenset({"a"}),
    ).view()
    assert everyone_voted(left)
