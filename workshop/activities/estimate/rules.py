"""Estimates (planning poker, "Schnellabschätzung"): decks, votes, rounds and their results.

An estimate is on a group's agenda, or it is a board section's quick estimate (the board's child). Either way it is
what the group votes on while it is live (`GroupView.live`); hidden votes stay on the server until the reveal.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, ClassVar

from ...domain.errors import N_, Conflict, Invalid
from ...domain.ids import check_id
from ...domain.markdown import Language, heading, text
from ...domain.rooms import Childless, GroupView, Participant, Room
from ...domain.text import CARD_MAX, CARDS_MAX, QUESTION_MAX, REASON_MAX, clean_line, distinct_items

COFFEE = "Kaffeepause"
UNSURE = "?"
UNRANKED = frozenset({COFFEE, UNSURE})  # cards that say something, but no size
HISTORY_SHOWN = 5  # earlier rounds a stage lists (the minutes have every one)
ROUND_MOVED_ON = N_("Diese Runde ist schon aufgedeckt oder neu gestartet. Bitte in der aktuellen Runde abstimmen.")


@dataclass(frozen=True)
class Deck:
    kind: str
    cards: tuple[str, ...]

    @functools.cached_property  # a deck does not change
    def ranked(self) -> tuple[str, ...]:
        return tuple(card for card in self.cards if card not in UNRANKED)

    @functools.cached_property
    def numeric(self) -> bool:
        return bool(self.ranked) and all(_number(card) is not None for card in self.ranked)

    @functools.cached_property
    def _ranks(self) -> dict[str, int]:
        return {card: n for n, card in enumerate(self.ranked)}

    def rank(self, card: str) -> int | None:
        return self._ranks.get(card)


DECKS: dict[str, Deck] = {
    "fibonacci": Deck("fibonacci", ("0", "1", "2", "3", "5", "8", "13", "20", "40", "100", UNSURE, COFFEE)),
    "qualitative": Deck("qualitative", (N_("Gering"), N_("Mittel"), N_("Hoch"))),
    "tshirt": Deck("tshirt", ("XS", "S", "M", "L", "XL")),
}
TRANSLATED_CARDS = frozenset({"Gering", "Mittel", "Hoch", COFFEE})  # the built-in cards that are words
DECK_NAMES = {
    "fibonacci": N_("Fibonacci"),
    "qualitative": N_("Gering / Mittel / Hoch"),
    "tshirt": N_("T-Shirt-Größen"),
    "custom": N_("Eigene Karten"),
}


def make_deck(kind: str, custom: str = "") -> Deck:
    """The deck the facilitator picked; a custom deck comes from a comma- or line-separated list."""
    if kind in DECKS:
        return DECKS[kind]
    if kind != "custom":
        raise Invalid(N_("Dieses Kartenset gibt es nicht."))
    cards = distinct_items(custom, label=N_("Karte"), max_length=CARD_MAX)
    if not 2 <= len(cards) <= CARDS_MAX:
        raise Invalid(
            N_("Ein eigenes Kartenset braucht 2 bis {max} verschiedene Karten, getrennt durch Kommas."), max=CARDS_MAX
        )
    return Deck("custom", cards)


@dataclass(frozen=True)
class Vote:
    card: str | None  # None: hidden, the value has not left the server
    reason: str = ""


@dataclass(frozen=True)
class Round:
    number: int
    revealed: bool
    votes: Mapping[str, Vote] = field(default_factory=dict)  # participant id -> vote
    # its results, worked out once for the room it was read with (see `results`)
    _results: dict[Deck, tuple[Mapping[str, str], Results]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Estimate(Childless):
    """An estimation question. Only the rounds of an estimate on screen are loaded with their votes."""

    kind: ClassVar[str] = "estimate"
    id: str
    question: str
    deck: Deck
    revealed_rounds: tuple[bool, ...] = (False,)  # one flag per round; the last round is the current one
    rounds: tuple[Round, ...] = ()

    @property
    def title(self) -> str:
        return self.question

    @property
    def round(self) -> int:
        return len(self.revealed_rounds)

    @property
    def revealed(self) -> bool:
        return self.revealed_rounds[-1]

    @property
    def current_round(self) -> Round:
        at = self.round - 1  # rounds are kept in order, numbered from 1
        if at < len(self.rounds) and self.rounds[at].number == self.round:
            return self.rounds[at]
        return next((r for r in self.rounds if r.number == self.round), Round(self.round, self.revealed))

    @property
    def earlier_rounds(self) -> tuple[Round, ...]:
        """Rounds before this one that were revealed; a round restarted unrevealed keeps its votes hidden."""
        return tuple(r for r in self.rounds if r.number < self.round and r.revealed and r.votes)


def check_question(question: object) -> str:
    return clean_line(question, label=N_("eine Frage"), max_length=QUESTION_MAX)


def check_vote(estimate: Estimate, round_number: int, card: str, reason: str = "") -> Vote:
    """A valid vote for the round that is open now, or why not."""
    if round_number != estimate.round or estimate.revealed:
        raise Conflict(ROUND_MOVED_ON)
    if card not in estimate.deck.cards:
        raise Invalid(N_("Diese Karte gibt es in diesem Kartenset nicht."))
    return Vote(card, clean_line(reason, label=N_("Begründung"), max_length=REASON_MAX, required=False))


@dataclass(frozen=True)
class Stats:
    low: float
    median: float
    high: float
    mean: float


@dataclass(frozen=True)
class Reason:
    name: str
    text: str


@dataclass(frozen=True)
class Results:
    counts: tuple[tuple[str, int], ...]  # every card of the deck, in deck order
    total: int
    stats: Stats | None  # numeric decks only, over the ranked cards
    consensus: str | None  # "unanimous", "close" or "apart"; None without ranked votes
    reasons: tuple[tuple[str, tuple[Reason, ...]], ...]  # by card: lowest and highest first

    @property
    def most(self) -> int:
        return max((n for _, n in self.counts), default=0)


def results(deck: Deck, r: Round, names: Mapping[str, str]) -> Results:
    """The tally of a round, worked out once: a round read from Redis (the same object while its votes are not
    written) and the names of the people in the room do not change, however many screens show it."""
    known = r._results.get(deck)
    if known is None or (known[0] is not names and known[0] != names):
        known = r._results[deck] = (names, tally(deck, r.votes, names))
    return known[1]


def tally(deck: Deck, votes: Mapping[str, Vote], names: Mapping[str, str]) -> Results:
    """The distribution, statistics, consensus and justifications of revealed votes."""
    cards = [v.card for v in votes.values() if v.card is not None]
    counts = tuple((card, cards.count(card)) for card in deck.cards)
    ranks = sorted({r for c in cards if (r := deck.rank(c)) is not None})
    return Results(
        counts=counts,
        total=len(cards),
        stats=_stats(deck, cards),
        consensus=_consensus(deck, ranks),
        reasons=_reasons(deck, votes, names, ranks),
    )


def _number(card: str) -> Decimal | None:
    """The card as a number ("13", "0,5", "2.5"), or None: "NaN" or "Infinity" are words on a card, not sizes."""
    if not re.fullmatch(r"-?\d+(?:[.,]\d+)?", card):
        return None
    return Decimal(card.replace(",", "."))


def _stats(deck: Deck, cards: list[str]) -> Stats | None:
    if not deck.numeric:
        return None
    numbers = [float(n) for c in cards if c not in UNRANKED and (n := _number(c)) is not None]
    if not numbers:
        return None
    return Stats(min(numbers), statistics.median(numbers), max(numbers), statistics.fmean(numbers))


def _consensus(deck: Deck, ranks: list[int]) -> str | None:
    """Unanimous: one card. Close: neighbouring cards, whose sizes, on a deck of numbers, are at most twice each other
    or one apart (40 and 100 are neighbours on the Fibonacci deck, but far apart). Else apart."""
    if not ranks:
        return None
    spread = ranks[-1] - ranks[0]
    if spread == 0:
        return "unanimous"
    if spread == 1 and deck.numeric:
        low, high = (_number(deck.ranked[r]) or Decimal(0) for r in (ranks[0], ranks[-1]))
        return "close" if high <= 2 * low or high - low <= 1 else "apart"
    return "close" if spread == 1 else "apart"


def _reasons(
    deck: Deck, votes: Mapping[str, Vote], names: Mapping[str, str], ranks: list[int]
) -> tuple[tuple[str, tuple[Reason, ...]], ...]:
    by_card: dict[str, list[Reason]] = {}
    joined = {pid: n for n, pid in enumerate(names)}  # within a card, in the order people joined
    for pid, vote in sorted(votes.items(), key=lambda pv: joined.get(pv[0], len(joined))):
        if vote.card is not None and vote.reason:
            by_card.setdefault(vote.card, []).append(Reason(names.get(pid, "?"), vote.reason))
    # The people to ask first are at the edges: lowest card, then highest, then the middle, then "?" and the coffee.
    edges = [deck.ranked[r] for r in (ranks[:1] + ranks[-1:])] if ranks else []
    order = list(dict.fromkeys(edges + list(deck.ranked) + sorted(UNRANKED)))
    return tuple((card, tuple(by_card[card])) for card in order if card in by_card)


# Labels of the minutes; constants, so that gettext's extractor finds them (it does not look inside f-strings).
LABEL = N_("Schnellabschätzung")
DECK = N_("Karten")
ROUND = N_("Runde")
CARD = N_("Karte")
VOTES = N_("Stimmen")
MINIMUM = N_("Minimum")
MEDIAN = N_("Median")
MAXIMUM = N_("Maximum")
MEAN = N_("Mittelwert")
REASONS = N_("Begründungen")


def minutes(estimate: Estimate, room: Room, language: Language, depth: int) -> list[str]:
    """An estimate in the minutes: the question, the deck, every round with its distribution, statistics and
    justifications; rounds never revealed are only counted."""
    _, n = language.gettext, language.number
    deck = _(DECK_NAMES.get(estimate.deck.kind, estimate.deck.kind))
    if estimate.deck.kind != "qualitative":  # its name already lists its cards
        deck += f" ({', '.join(text(_card(c, _)) for c in estimate.deck.cards)})"
    out = [f"{_(LABEL)}: {text(estimate.question)}", f"{_(DECK)}: {deck}", ""]
    rounds = [r for r in estimate.rounds if r.votes]
    for r in rounds:
        if len(rounds) > 1:
            out += heading(depth + 1, f"{_(ROUND)} {r.number}")
        if not r.revealed:
            out += [
                language.ngettext(
                    "%(num)s Stimme, nicht aufgedeckt.", "%(num)s Stimmen, nicht aufgedeckt.", len(r.votes)
                )
                % {"num": len(r.votes)},
                "",
            ]
            continue
        result = tally(estimate.deck, r.votes, room.names)
        out += [f"| {_(CARD)} | {_(VOTES)} |", "| --- | ---: |"]
        out += [f"| {text(_card(card, _))} | {count} |" for card, count in result.counts if count]
        out.append("")
        summary = []
        if result.stats:
            s = result.stats
            summary.append(
                f"{_(MINIMUM)} {n(s.low)} · {_(MEDIAN)} {n(s.median)} · "
                f"{_(MAXIMUM)} {n(s.high)} · {_(MEAN)} {n(s.mean)}"
            )
        if result.consensus:
            summary.append(
                {"unanimous": _(N_("Einig")), "close": _(N_("Fast einig")), "apart": _(N_("Weit auseinander"))}[
                    result.consensus
                ]
            )
        if summary:
            out += [" · ".join(summary), ""]
        if result.reasons:
            out += [f"{_(REASONS)}:", ""]
            for card, reasons in result.reasons:
                out += [f"- **{text(_card(card, _))}** – {text(r.text)} ({text(r.name)})" for r in reasons]
            out.append("")
    return out if rounds else out[:2] + [""]


def tables(estimate: Estimate, room: Room, language: Language) -> dict[str, list[list[str]]]:
    """Every vote of every revealed round: question, round, person, organisation, card, justification. A round not
    revealed gives no row: its values stay on the server."""
    orgs = {p.id: p.org for p in room.participants.values()}
    rows = [
        [estimate.question, str(r.number), room.names.get(pid, ""), orgs.get(pid, ""), card, vote.reason]
        for r in estimate.rounds
        if r.revealed
        for pid, vote in r.votes.items()
        if (card := _card(vote.card or "", language.gettext))
    ]
    return {"votes": sorted(rows, key=lambda row: (int(row[1]), row[2]))}  # round by round, by name


def _card(card: str, _: Callable[[str], str]) -> str:
    """A card in the words of the minutes' language (a vote keeps the card itself, whatever the voter's language)."""
    return _(card) if card in TRANSLATED_CARDS else card


def to_data(estimate: Estimate) -> dict[str, Any]:
    """An estimate in the JSON archive: every round, with its votes once revealed. A round not revealed keeps its
    votes secret here too (a restored room starts it anew)."""
    return {
        "kind": Estimate.kind,
        "id": estimate.id,
        "question": estimate.question,
        "deck": estimate.deck.kind,
        "cards": list(estimate.deck.cards),
        "rounds": [
            {
                "revealed": revealed,
                "votes": {pid: {"card": v.card, "reason": v.reason} for pid, v in _round(estimate, n).votes.items()}
                if revealed
                else {},
            }
            for n, revealed in enumerate(estimate.revealed_rounds, start=1)
        ],
    }


def _round(estimate: Estimate, number: int) -> Round:
    return next((r for r in estimate.rounds if r.number == number), Round(number, False))


def from_data(data: dict[str, Any]) -> Estimate:
    rounds = tuple(
        Round(
            n,
            bool(r["revealed"]),
            {pid: Vote(str(v["card"]), str(v.get("reason", ""))) for pid, v in r["votes"].items()},
        )
        for n, r in enumerate(data["rounds"], start=1)
    )
    if not rounds:
        raise ValueError("an estimate has at least one round")
    return Estimate(
        check_id(data["id"]),
        str(data["question"]),
        Deck(str(data["deck"]), tuple(map(str, data["cards"]))),
        tuple(r.revealed for r in rounds),
        rounds,
    )


def mine(estimate: Estimate, view: GroupView, pid: str) -> Vote | None:
    """A participant's own part of an estimate: their vote in the open round, the one value they see before the
    reveal."""
    return estimate.current_round.votes.get(pid)


def mine_key(estimate: Estimate, view: GroupView, own: object) -> object:
    """Everything a participant's own region of an estimate shows: while it is equal, it need not be rendered."""
    return (own, estimate.id, estimate.revealed_rounds, estimate.deck)


# -- an estimate in a room -------------------------------------------------------------------------------------------

MISSING = N_("Diese Frage gibt es in diesem Workshop nicht.")


def find(room: Room, estimate_id: str) -> Estimate:
    """The estimate with this id (an activity of another kind with that id does not count)."""
    return room.activity_as(estimate_id, Estimate, MISSING)


def open_estimate(view: GroupView) -> Estimate | None:
    """What the group votes on now, if anything: its current estimate, or its board's running quick estimate."""
    live = view.live
    return live if isinstance(live, Estimate) else None


def voters(view: GroupView, estimate: Estimate) -> tuple[Participant, ...]:
    """Who is expected to vote in the open round: here now, or voted already (GroupView.expected)."""
    return view.expected(estimate.current_round.votes)


def progress(estimate: Estimate, view: GroupView) -> tuple[int, int]:
    """How many of those expected to vote in the open round have voted, of how many."""
    expected = voters(view, estimate)
    votes = estimate.current_round.votes
    return sum(1 for p in expected if p.id in votes), len(expected)


def voted(view: GroupView, estimate: Estimate) -> frozenset[str]:
    """The group's voters with a card in the estimate's open round (hidden or not)."""
    votes = estimate.current_round.votes
    return frozenset(p.id for p in view.voters if p.id in votes)


def everyone_voted(view: GroupView) -> bool:
    """All who are expected to vote (not observers) have a card in the open round of what the group votes on now."""
    estimate = open_estimate(view)
    if estimate is None or estimate.revealed:
        return False
    expected = voters(view, estimate)
    votes = estimate.current_round.votes
    return bool(expected) and all(p.id in votes for p in expected)


def with_vote(room: Room, estimate: Estimate, pid: str, vote: Vote) -> Room:
    """The room after `pid` cast `vote` in the open round of `estimate`."""
    votes = {**estimate.current_round.votes, pid: vote}
    rounds = tuple(r for r in estimate.rounds if r.number != estimate.round) + (Round(estimate.round, False, votes),)
    changed = replace(estimate, rounds=tuple(sorted(rounds, key=lambda r: r.number)))
    return replace(room, activities={**room.activities, estimate.id: changed})


def masked(estimate: Estimate, facilitator: bool = False) -> Estimate:
    """What every screen may show, the facilitator's too: the values of unrevealed rounds stay on the server."""
    return replace(estimate, rounds=tuple(_hidden(r) for r in estimate.rounds))


def _hidden(r: Round) -> Round:
    return r if r.revealed else replace(r, votes={pid: Vote(None) for pid in r.votes})


def context(estimate: Estimate, view: GroupView) -> dict[str, Any]:
    """What the stage of an estimate shows beside the question: who voted, and once revealed, the results and the
    earlier rounds."""
    names = view.room.names
    shown = results(estimate.deck, estimate.current_round, names) if estimate.revealed else None
    earlier = estimate.earlier_rounds
    history = [(r.number, results(estimate.deck, r, names)) for r in earlier[-HISTORY_SHOWN:]]
    return {
        "estimate": estimate,
        "voters": voters(view, estimate),
        "voted": voted(view, estimate),
        "results": shown,
        "history": history,
        "older": len(earlier) - len(history),  # earlier still: in the minutes
    }


def deck_name(kind: str) -> str:
    """The name of a deck, to translate."""
    return DECK_NAMES.get(kind, kind)


def blank(estimate: Estimate) -> Estimate:
    """The estimate as prepared for a template: its question and deck, no rounds and no votes."""
    return Estimate(estimate.id, estimate.question, estimate.deck)
