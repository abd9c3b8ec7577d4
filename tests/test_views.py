"""Rendering per kind of view, not per browser: a participant's own region is rendered only when it changes."""

from __future__ import annotations

from dataclasses import replace

from workshop.activities.estimate.rules import DECKS, Estimate, Round, Vote
from workshop.domain.rooms import Group, Participant, Room
from workshop.domain.visibility import Viewer
from workshop.web.templating import Languages
from workshop.web.views import Snapshot

TEMPLATES = Languages()


def room(votes: dict[str, Vote]) -> Room:
    item = Estimate("q1", "Wie hoch ist der Aufwand?", DECKS["fibonacci"], (False,), (Round(1, False, votes),))
    people = {pid: Participant(pid, name) for pid, name in (("p1", "Anna"), ("p2", "Bernd"))}
    return Room(
        "ABCDEFGH",
        "Test",
        "2026-11-21",
        participants=people,
        activities={"q1": item},
        groups=(Group("main", "Arbeitsgruppe 1", ("q1",), "q1"),),
    )


def test_a_change_elsewhere_does_not_render_a_participants_own_region_again() -> None:
    anna, known = Viewer("participant", "p1"), {}
    first = Snapshot(room({}), TEMPLATES).regions(anna, "de", known)
    assert "mine" in first
    bernd_voted = Snapshot(room({"p2": Vote("8")}), TEMPLATES).regions(anna, "de", known)
    assert "mine" not in bernd_voted and "stage" in bernd_voted  # the count changed, Anna's cards did not


def test_ones_own_vote_renders_ones_own_region_again() -> None:
    anna, known = Viewer("participant", "p1"), {}
    Snapshot(room({}), TEMPLATES).regions(anna, "de", known)
    again = Snapshot(room({"p1": Vote("13")}), TEMPLATES).regions(anna, "de", known)
    assert 'aria-pressed="true">13<' in again["mine"]


def test_a_new_round_renders_the_deck_again_for_everyone() -> None:
    anna, known = Viewer("participant", "p1"), {}
    before = room({})
    Snapshot(before, TEMPLATES).regions(anna, "de", known)
    item = before.view().items[0]
    assert isinstance(item, Estimate)
    next_round = replace(before, activities={"q1": replace(item, revealed_rounds=(True, False))})
    assert "mine" in Snapshot(next_round, TEMPLATES).regions(anna, "de", known)
