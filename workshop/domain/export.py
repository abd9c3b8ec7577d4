"""The workshop as Markdown minutes: what the facilitator takes home.

Pure: the translator (`_`, `ngettext`) and the number format come from the caller. Everything a person typed goes
through `text()`, so a card that starts with "#" or contains "|", "<script>" or a link stays one line of text.
Empty parts are left out. Rounds that were never revealed are counted, never shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import N_
from .ideas import Ideas, author_label, ranking
from .poker import COFFEE, DECK_NAMES, Item, tally
from .rooms import Room

# Labels of the minutes; constants, so that gettext's extractor finds them (it does not look inside f-strings).
ESTIMATE = N_("Schnellabschätzung")
DECK = N_("Karten")
ROUND = N_("Runde")
CARD = N_("Karte")
VOTES = N_("Stimmen")
MINIMUM = N_("Minimum")
MEDIAN = N_("Median")
MAXIMUM = N_("Maximum")
MEAN = N_("Mittelwert")
REASONS = N_("Begründungen")
IDEAS = N_("Ideensammlung")
NO_THEME = N_("Ohne Thema")

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")  # emphasis, code, links, HTML, table cells, strike-through
_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" would be read as "&"
_LEADING = re.compile(r"^([#+-]|\d+(?=[.)]))")  # a heading or a list where a line starts


def text(value: str) -> str:
    """User text as literal Markdown on one line, escaped where Markdown could read it as syntax and nowhere else,
    so the file still reads like plain minutes."""
    escaped = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", " ".join(value.split())))
    return _LEADING.sub(lambda m: m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1], escaped)


@dataclass(frozen=True)
class Language:
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    number: Callable[[float], str]


def to_markdown(room: Room, language: Language) -> str:
    _ = language.gettext
    lines = [f"# {text(room.title)}", ""]
    if room.created:
        year, month, day = room.created.split("-")
        lines += [f"{day}.{month}.{year}", ""]
    for position, activity in enumerate(room.items, start=1):
        part = _estimate(activity, room, language) if isinstance(activity, Item) else _ideas(activity, room, language)
        if part:
            lines += [f"## {position}. {part[0]}", "", *part[1:]]
    return "\n".join(lines).rstrip() + "\n"


def _estimate(item: Item, room: Room, language: Language) -> list[str]:
    _, n = language.gettext, language.number
    deck = _(DECK_NAMES.get(item.deck.kind, item.deck.kind))
    if item.deck.kind != "qualitative":  # its name already lists its cards
        deck += f" ({', '.join(text(_card(c, _)) for c in item.deck.cards)})"
    out = [f"{_(ESTIMATE)}: {text(item.question)}", f"{_(DECK)}: {deck}", ""]
    rounds = [r for r in item.rounds if r.votes]
    for r in rounds:
        if len(rounds) > 1:
            out += [f"### {_(ROUND)} {r.number}", ""]
        if not r.revealed:
            out += [
                language.ngettext(
                    "%(num)s Stimme, nicht aufgedeckt.", "%(num)s Stimmen, nicht aufgedeckt.", len(r.votes)
                )
                % {"num": len(r.votes)},
                "",
            ]
            continue
        result = tally(item.deck, r.votes, room.names)
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


def _ideas(ideas: Ideas, room: Room, language: Language) -> list[str]:
    _, ngettext = language.gettext, language.ngettext
    if not ideas.cards and not ideas.themes:
        return [f"{_(IDEAS)}: {text(ideas.prompt)}"]
    voted = ideas.voting.state != "off"
    orgs = {p.id: p.org for p in room.participants.values()}
    themes_ranked, _cards_ranked = ranking(ideas)
    order = [r.id for r in themes_ranked] if voted else [t.id for t in ideas.themes]

    def dots(count: int) -> str:
        if not voted:
            return ""
        label = ngettext("%(num)s Punkt", "%(num)s Punkte", count) % {"num": count}  # outside an f-string: extracted
        return f" ({label})"

    def card_line(card_id: str) -> str:
        card = ideas.cards[card_id]
        author = author_label(card, ideas.show, room.names, orgs)
        return f"- {text(card.text)}{dots(ideas.tally(card_id)) if ideas.voting.on == 'cards' else ''}" + (
            f" – {text(author)}" if author else ""
        )

    out = [f"{_(IDEAS)}: {text(ideas.prompt)}"]
    totals = {r.id: r.dots for r in themes_ranked}
    for theme_id in order:
        theme = ideas.theme(theme_id)
        if not theme.cards and not totals.get(theme_id):
            continue
        out += [f"### {text(theme.title)}{dots(totals[theme_id])}", ""]
        out += [card_line(c) for c in theme.cards] + [""]
    if ideas.loose:
        out += [f"### {_(NO_THEME)}", ""] + [card_line(c) for c in ideas.loose] + [""]
    return out


def _card(card: str, _: Callable[[str], str]) -> str:
    return _(N_("Kaffeepause")) if card == COFFEE else card
