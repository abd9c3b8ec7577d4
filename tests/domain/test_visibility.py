"""Who may see and do what in which working group: the one module that decides it, as pure rules."""

from __future__ import annotations

import pytest

from workshop.activities.estimate.rules import DECKS, Estimate
from workshop.domain.errors import Forbidden, NotFound
from workshop.domain.rooms import Group, Participant, Role, Room
from workshop.domain.visibility import (
    OVERVIEW,
    Actor,
    Claims,
    Generations,
    Viewer,
    access,
    access_to_group,
    actor_of,
    answer_viewer,
    console,
    projector,
    require_export,
    require_main_facilitator,
    scope,
    socket_viewer,
    still_allowed,
)

ANNA = Participant("a", "Anna", group="g1")
BERND = Participant("b", "Bernd", group="g2")
OLGA = Participant("o", "Olga", role=Role.OBSERVER, group="g2")
MAIN = Actor(facilitator=True)
G2_FACILITATOR = Actor(groups=frozenset({"g2"}))


def room(*, projected: str = "", one_group: bool = False) -> Room:
    q1, q2 = (Estimate(q, f"Frage {q}", DECKS["fibonacci"]) for q in ("q1", "q2"))
    groups = (Group("g1", "Klimaschutz", ("q1",), "q1"), Group("g2", "Mobilität", ("q2",), "q2"))
    return Room(
        "ABCDEFGH",
        "Test",
        "2025-06-12",
        participants={p.id: p for p in (ANNA, BERND, OLGA)},
        activities={"q1": q1, "q2": q2},
        groups=groups[:1] if one_group else groups,
        projected=projected,
    )


# acting


def test_a_participant_acts_in_their_own_groups_activities() -> None:
    member = access(room(), Actor("a"), "q1")
    assert member.person == ANNA and not member.facilitator and member.view.group.id == "g1"


def test_a_participant_of_another_group_is_refused() -> None:
    with pytest.raises(Forbidden):
        access(room(), Actor("a"), "q2")


def test_a_groups_facilitator_facilitates_that_group_only() -> None:
    assert access(room(), G2_FACILITATOR, "q2").facilitator
    member = access_to_group(room(), G2_FACILITATOR, "g1")
    assert not member.facilitator
    with pytest.raises(Forbidden):
        member.require_facilitator()


def test_the_main_facilitator_facilitates_every_group_and_is_no_member_of_another() -> None:
    mixed = Actor("a", facilitator=True)
    member = access(room(), mixed, "q2")
    assert member.facilitator and member.person is None


def test_observers_watch_and_strangers_must_join_first() -> None:
    with pytest.raises(Forbidden) as observer:
        access(room(), Actor("o"), "q2").participant("Wer nur zuschaut, stimmt nicht ab.")
    assert observer.value.message == "Wer nur zuschaut, stimmt nicht ab."
    with pytest.raises(Forbidden) as stranger:
        access(room(), Actor("nobody"), "q1").participant("…")
    assert stranger.value.message == "Bitte tritt dem Workshop zuerst bei."


def test_an_unknown_activity_or_group_is_not_found() -> None:
    with pytest.raises(NotFound):
        access(room(), MAIN, "q9")
    with pytest.raises(NotFound):
        access_to_group(room(), MAIN, "g9")


def test_room_wide_actions_and_the_whole_export_are_the_main_facilitators() -> None:
    require_main_facilitator(MAIN)
    require_export(MAIN, "")
    require_export(G2_FACILITATOR, "g2")
    for actor, group in ((G2_FACILITATOR, ""), (G2_FACILITATOR, "g1"), (Actor("a"), "g1")):
        with pytest.raises(Forbidden):
            require_export(actor, group)
    with pytest.raises(Forbidden):
        require_main_facilitator(G2_FACILITATOR)


# screens


def test_a_phone_shows_its_persons_group_as_the_room_says_now() -> None:
    assert scope(room(), Viewer("participant", "a")) == "g1"
    assert scope(room(), Viewer("observer", "o")) == "g2"


def test_the_main_projector_shows_the_overview_or_the_group_put_on_it() -> None:
    assert scope(room(), Viewer("projector")) == OVERVIEW
    assert scope(room(projected="g2"), Viewer("projector")) == "g2"
    assert scope(room(one_group=True), Viewer("projector")) == "g1"
    assert scope(room(), Viewer("projector", group="g1")) == "g1"


def test_a_groups_projector_is_for_that_groups_facilitators() -> None:
    assert projector(room(), Actor(), "") == Viewer("projector")
    assert projector(room(), G2_FACILITATOR, "g2") == Viewer("projector", group="g2")
    with pytest.raises(Forbidden):
        projector(room(), Actor("b"), "g2")


def test_a_console_opens_on_a_group_its_facilitator_facilitates() -> None:
    assert console(room(), MAIN, "g2") == Viewer("facilitator", group="g2", everywhere=True)
    assert console(room(), G2_FACILITATOR, "g1") == Viewer("facilitator", group="g2")  # not theirs: their own
    with pytest.raises(Forbidden):
        console(room(), Actor("a"), "g1")


def test_a_socket_gets_only_the_screen_its_cookie_allows() -> None:
    assert socket_viewer(room(), Actor("a"), "participant") == Viewer("participant", "a")
    assert socket_viewer(room(), Actor("a"), "facilitator") is None
    assert socket_viewer(room(), Actor("o"), "participant") is None  # an observer's role is theirs, not asked
    assert socket_viewer(room(), Actor(), "projector", "g2") is None
    assert socket_viewer(room(), G2_FACILITATOR, "facilitator", "g2") == Viewer("facilitator", group="g2")
    assert socket_viewer(room(), G2_FACILITATOR, "facilitator") is None


def test_an_answer_is_rendered_for_the_screen_it_came_from() -> None:
    mixed = Actor("a", facilitator=True)
    assert answer_viewer(room(), mixed, on_console=True, group="g2").kind == "facilitator"
    assert answer_viewer(room(), mixed, on_console=False) == Viewer("participant", "a")


def test_a_groups_console_closes_when_its_group_is_deleted() -> None:
    assert still_allowed(room(), Viewer("facilitator", group="g2"))
    assert not still_allowed(room(one_group=True), Viewer("facilitator", group="g2"))
    assert still_allowed(room(one_group=True), Viewer("facilitator", group="g2", everywhere=True))


# rights that can be taken back


def test_a_facilitator_right_counts_while_its_link_is_of_the_current_generation() -> None:
    claims = Claims("a", main=7, groups={"g2": 3})
    assert actor_of(claims, Generations(7, {"g1": 1, "g2": 3})) == Actor("a", True, frozenset({"g2"}))
    assert actor_of(claims, Generations(8, {"g1": 1, "g2": 3})) == Actor("a", False, frozenset({"g2"}))
    assert actor_of(claims, Generations(7, {"g1": 1, "g2": 4})) == Actor("a", True, frozenset())
    assert actor_of(claims, Generations(7, {"g1": 1})) == Actor("a", True, frozenset())  # the group is gone
    assert actor_of(Claims("a"), Generations(0)) == Actor("a")  # a participant's id is no facilitator right


def test_an_open_console_ends_with_its_holders_rights() -> None:
    main, group_two = Viewer("facilitator", group="g2", everywhere=True), Viewer("facilitator", group="g2")
    assert still_allowed(room(), main, MAIN) and not still_allowed(room(), main, G2_FACILITATOR)
    assert still_allowed(room(), group_two, G2_FACILITATOR) and not still_allowed(room(), group_two, Actor())
    assert not still_allowed(room(), Viewer("projector", group="g2"), Actor())
    assert still_allowed(room(), Viewer("projector"), Actor())  # the main projector is everyone's
    assert still_allowed(room(), Viewer("participant", "a"), Actor("a"))
