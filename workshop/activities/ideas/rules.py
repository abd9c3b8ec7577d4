"""Idea collections: cards, themes (clusters) and dot voting ("Ideen, Anliegen & Maßnahmen")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from ...domain.errors import N_, Conflict, Forbidden, Invalid, NotFound
from ...domain.ids import check_id
from ...domain.markdown import Language, heading, text
from ...domain.rooms import Childless, GroupView, Room
from ...domain.text import clean_line
from ..actions import rules as action_rules

CARD_MAX = 280
PROMPT_MAX = 300
THEME_MAX = 80
DOTS_MAX = 20
SHOW_AUTHOR = ("name", "org", "none")  # what cards show of their author, as the facilitator decides
LOOSE = ""  # the place of a card in no theme


@dataclass(frozen=True)
class Card:
    id: str
    text: str
    author: str  # participant id; never rendered, only compared
    anonymous: bool = False
    hidden: bool = False  # masked: collected hidden, and not this viewer's own card


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    cards: tuple[str, ...] = ()  # card ids, in order


@dataclass(frozen=True)
class Voting:
    state: str = "off"  # "off", "open", "closed"
    dots: int = 3
    stack: bool = False  # several dots on the same item
    on: str = "themes"  # "themes" or "cards"
    hide_tally: bool = False


@dataclass(frozen=True)
class Ideas(Childless):
    """An idea collection: a prompt, cards, the themes they are sorted into, and a dot vote."""

    kind: ClassVar[str] = "ideas"
    id: str
    prompt: str
    show: str = "name"
    collect_hidden: bool = False
    cards_revealed: bool = False
    posting_open: bool = True
    participants_cluster: bool = False
    voting: Voting = field(default_factory=Voting)
    cards: Mapping[str, Card] = field(default_factory=dict)  # in order of writing
    loose: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    dots: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # target id -> participant id -> dots
    actions: tuple[action_rules.Action, ...] = ()  # action items agreed on its themes

    @property
    def title(self) -> str:
        return self.prompt

    @property
    def hidden_now(self) -> bool:
        return self.collect_hidden and not self.cards_revealed

    def place_of(self, card_id: str) -> str:
        for theme in self.themes:
            if card_id in theme.cards:
                return theme.id
        if card_id in self.loose:
            return LOOSE
        raise NotFound(N_("Diese Karte gibt es nicht mehr."))

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise NotFound(N_("Dieses Thema gibt es nicht mehr."))

    def cards_in(self, place: str) -> tuple[str, ...]:
        return self.loose if place == LOOSE else self.theme(place).cards

    def spent(self, pid: str) -> int:
        return sum(by.get(pid, 0) for by in self.dots.values())

    def tally(self, target: str) -> int:
        return sum(self.dots.get(target, {}).values())


def check_prompt(prompt: object) -> str:
    return clean_line(prompt, label=N_("eine Leitfrage"), max_length=PROMPT_MAX)


def check_card_text(text: object) -> str:
    return clean_line(text, label=N_("einen Text für die Karte"), max_length=CARD_MAX)


def check_theme_title(title: object) -> str:
    return clean_line(title, label=N_("einen Namen für das Thema"), max_length=THEME_MAX)


def check_can_post(ideas: Ideas) -> None:
    if not ideas.posting_open:
        raise Conflict(N_("Die Moderation hat das Schreiben von Karten gerade gesperrt."))


def check_can_sort(ideas: Ideas, *, facilitator: bool) -> None:
    if not facilitator and not ideas.participants_cluster:
        raise Forbidden(N_("Sortieren darf gerade nur die Moderation."))
    if ideas.voting.state == "open":
        raise Conflict(N_("Während der Punktabfrage wird nicht sortiert."))


def check_can_edit(ideas: Ideas, card_id: str, pid: str | None, *, facilitator: bool) -> Card:
    card = ideas.cards.get(card_id)
    if card is None:
        raise NotFound(N_("Diese Karte gibt es nicht mehr."))
    if not facilitator and card.author != pid:
        raise Forbidden(N_("Nur eigene Karten lassen sich ändern."))
    return card


def check_move(ideas: Ideas, card_id: str, to: str, before: str | None) -> None:
    """A card may go to a theme or back to the loose cards, optionally before another card there."""
    ideas.place_of(card_id)
    if to != LOOSE:
        ideas.theme(to)
    if before is not None and (before == card_id or before not in ideas.cards_in(to)):
        raise Conflict(N_("Die Karten haben sich inzwischen bewegt. Bitte noch einmal versuchen."))


def check_voting_settings(dots: object, stack: bool, on: str) -> Voting:
    try:
        count = int(str(dots))
    except ValueError:
        raise Invalid(N_("Bitte eine Zahl von Punkten eingeben.")) from None
    if not 1 <= count <= DOTS_MAX:
        raise Invalid(N_("Jede Person hat 1 bis {max} Punkte."), max=DOTS_MAX)
    if on not in ("themes", "cards"):
        raise Invalid(N_("Abgestimmt wird über Themen oder über Karten."))
    return Voting("open", count, stack, on)


def check_dot(ideas: Ideas, pid: str, target: str) -> None:
    """May this participant put one more dot on this target now?"""
    if ideas.voting.state != "open":
        raise Conflict(N_("Die Punktabfrage ist nicht geöffnet."))
    targets = [t.id for t in ideas.themes] if ideas.voting.on == "themes" else list(ideas.cards)
    if target not in targets:
        raise NotFound(N_("Darauf kann man gerade keine Punkte geben."))
    if ideas.spent(pid) >= ideas.voting.dots:
        raise Conflict(N_("Alle deine Punkte sind vergeben. Nimm einen zurück, um umzuverteilen."))
    if not ideas.voting.stack and ideas.dots.get(target, {}).get(pid, 0):
        raise Conflict(N_("Auf jedes Thema und jede Karte darf nur ein Punkt."))


def check_undot(ideas: Ideas, pid: str, target: str) -> int:
    if ideas.voting.state != "open":
        raise Conflict(N_("Die Punktabfrage ist nicht geöffnet."))
    mine = ideas.dots.get(target, {}).get(pid, 0)
    if not mine:
        raise Conflict(N_("Hier liegt kein Punkt von dir."))
    return mine


@dataclass(frozen=True)
class Ranked:
    rank: int  # equal dots, equal rank: ties are shown as ties
    id: str
    title: str
    dots: int


def ranking(ideas: Ideas) -> tuple[tuple[Ranked, ...], tuple[Ranked, ...]]:
    """Themes and cards by dots, most first; a theme counts its own dots and the dots of its cards."""
    themes = [Ranked(0, t.id, t.title, ideas.tally(t.id) + sum(ideas.tally(c) for c in t.cards)) for t in ideas.themes]
    cards = [Ranked(0, c.id, c.text, ideas.tally(c.id)) for c in ideas.cards.values() if not c.hidden]
    return _rank(themes), _rank(cards)


def _rank(items: list[Ranked]) -> tuple[Ranked, ...]:
    ordered = sorted(items, key=lambda r: -r.dots)  # stable: equal dots keep their board order
    ranked: list[Ranked] = []
    for position, item in enumerate(ordered, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].dots == item.dots else position
        ranked.append(replace(item, rank=rank))
    return tuple(ranked)


def masked_for(ideas: Ideas, pid: str | None, *, facilitator: bool) -> Ideas:
    """What a viewer may see: while collecting hidden, only their own cards' text (the facilitator sees all);
    while the tally is hidden, nobody's dots but their own until voting closes."""
    cards = ideas.cards
    if ideas.hidden_now and not facilitator:
        cards = {cid: c if c.author == pid else replace(c, text="", hidden=True) for cid, c in cards.items()}
    dots = ideas.dots
    if ideas.voting.hide_tally and ideas.voting.state == "open":
        dots = {t: {p: n for p, n in by.items() if p == pid} for t, by in dots.items()}
    return replace(ideas, cards=cards, dots=dots)


def author_label(card: Card, show: str, names: Mapping[str, str], orgs: Mapping[str, str]) -> str:
    if card.anonymous or card.hidden or show == "none":
        return ""
    return (orgs if show == "org" else names).get(card.author, "")


@dataclass(frozen=True)
class Mine:
    """One participant's own part of an idea collection: their cards and their dots."""

    cards: tuple[Card, ...]
    dots: tuple[tuple[str, int], ...]  # target id -> own dots
    left: int

    def on(self, target: str) -> int:
        return dict(self.dots).get(target, 0)


def mine(ideas: Ideas, view: GroupView | None, pid: str) -> Mine:
    cards = tuple(c for c in ideas.cards.values() if c.author == pid)
    dots = tuple((t, by[pid]) for t, by in ideas.dots.items() if by.get(pid))
    return Mine(cards, dots, max(0, ideas.voting.dots - ideas.spent(pid)))


LABEL = N_("Ideensammlung")
NO_THEME = N_("Ohne Thema")


def minutes(ideas: Ideas, room: Room, language: Language, depth: int) -> list[str]:
    """An idea collection in the minutes: its themes ranked by dots with their cards, then the cards without one."""
    _, ngettext = language.gettext, language.ngettext
    if not ideas.cards and not ideas.themes:
        return [f"{_(LABEL)}: {text(ideas.prompt)}"]
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

    out = [f"{_(LABEL)}: {text(ideas.prompt)}"]
    totals = {r.id: r.dots for r in themes_ranked}
    for theme_id in order:
        theme = ideas.theme(theme_id)
        if not theme.cards and not totals.get(theme_id):
            continue
        out += heading(depth + 1, f"{text(theme.title)}{dots(totals[theme_id])}")
        out += [card_line(c) for c in theme.cards] + [""]
    if ideas.loose:
        out += heading(depth + 1, _(NO_THEME)) + [card_line(c) for c in ideas.loose] + [""]
    return out


def tables(ideas: Ideas, room: Room, language: Language) -> dict[str, list[list[str]]]:
    """Every card: collection, theme, text, author (as the cards showed it), its dots, its theme's dots. Dots still
    hidden while the vote runs stay out."""
    orgs = {p.id: p.org for p in room.participants.values()}
    hidden = ideas.voting.hide_tally and ideas.voting.state == "open"
    counted = ideas.voting.state != "off" and not hidden
    totals = {r.id: r.dots for r in ranking(ideas)[0]}
    places = [(t.title, t.id, t.cards) for t in ideas.themes] + [(language.gettext(NO_THEME), LOOSE, ideas.loose)]
    return {
        "cards": [
            [
                ideas.prompt,
                title,
                ideas.cards[c].text,
                author_label(ideas.cards[c], ideas.show, room.names, orgs),
                str(ideas.tally(c)) if counted and ideas.voting.on == "cards" else "",
                str(totals[place]) if counted and place != LOOSE and ideas.voting.on == "themes" else "",
            ]
            for title, place, cards in places
            for c in cards
            if c in ideas.cards
        ]
    }


def to_data(ideas: Ideas) -> dict[str, Any]:
    """An idea collection in the JSON archive: cards, themes, dots and settings."""
    v = ideas.voting
    return {
        "kind": Ideas.kind,
        "id": ideas.id,
        "prompt": ideas.prompt,
        "show": ideas.show,
        "collect_hidden": ideas.collect_hidden,
        "cards_revealed": ideas.cards_revealed,
        "posting_open": ideas.posting_open,
        "participants_cluster": ideas.participants_cluster,
        "voting": {"state": v.state, "dots": v.dots, "stack": v.stack, "on": v.on, "hide_tally": v.hide_tally},
        "cards": [
            {"id": c.id, "text": c.text, "author": c.author, "anonymous": c.anonymous} for c in ideas.cards.values()
        ],
        "loose": list(ideas.loose),
        "themes": [{"id": t.id, "title": t.title, "cards": list(t.cards)} for t in ideas.themes],
        "dots": {target: dict(by) for target, by in ideas.dots.items()},
        "actions": action_rules.to_data(ideas.actions),
    }


def from_data(a: dict[str, Any]) -> Ideas:
    v = a["voting"]
    cards = {
        check_id(c["id"]): Card(str(c["id"]), str(c["text"]), str(c["author"]), bool(c["anonymous"]))
        for c in a["cards"]
    }
    themes = tuple(Theme(check_id(t["id"]), str(t["title"]), tuple(map(str, t["cards"]))) for t in a["themes"])
    placed = list(a["loose"]) + [c for t in themes for c in t.cards]
    if sorted(placed) != sorted(cards):
        raise ValueError("every card is in exactly one place")
    return Ideas(
        check_id(a["id"]),
        str(a["prompt"]),
        str(a["show"]),
        bool(a["collect_hidden"]),
        bool(a["cards_revealed"]),
        bool(a["posting_open"]),
        bool(a["participants_cluster"]),
        Voting(str(v["state"]), int(v["dots"]), bool(v["stack"]), str(v["on"]), bool(v["hide_tally"])),
        cards,
        tuple(map(str, a["loose"])),
        themes,
        {str(t): {str(p): int(n) for p, n in by.items()} for t, by in a["dots"].items()},
        action_rules.from_data(a.get("actions")),
    )


def mine_key(ideas: Ideas, view: GroupView, own: object) -> object:
    """Everything a participant's own region shows: while it is equal, it need not be rendered again."""
    voting = ideas.voting
    targets = (
        ()
        if voting.state != "open"
        else tuple((t.id, t.title) for t in ideas.themes)
        if voting.on == "themes"
        else tuple((c.id, c.text) for c in ideas.cards.values())
    )
    return (own, ideas.id, ideas.posting_open, voting, targets)


def places(ideas: Ideas) -> dict[str, str]:
    """Where action items may be agreed: its themes."""
    return {t.id: t.title for t in ideas.themes}


MISSING = N_("Diese Ideensammlung gibt es in diesem Workshop nicht.")


def find(room: Room, ideas_id: str) -> Ideas:
    return room.activity_as(ideas_id, Ideas, MISSING)


def masked(ideas: Ideas, facilitator: bool) -> Ideas:
    """What a shared screen shows: while collecting hidden, no card's text but to the facilitator; while the tally is
    hidden, no dots."""
    return masked_for(ideas, None, facilitator=facilitator)


def context(ideas: Ideas, view: GroupView) -> dict[str, Any]:
    """The ranking after the dot vote, and what each card shows of its author."""
    names = view.room.names
    orgs = {p.id: p.org for p in view.room.participants.values()}
    authors = {cid: author_label(c, ideas.show, names, orgs) for cid, c in ideas.cards.items()}
    return {"ranking": ranking(ideas), "author": authors}


def blank(ideas: Ideas) -> Ideas:
    """The collection as prepared for a template: its prompt, settings and (empty) themes; no cards, no dots."""
    return Ideas(
        ideas.id,
        ideas.prompt,
        show=ideas.show,
        collect_hidden=ideas.collect_hidden,
        participants_cluster=ideas.participants_cluster,
        voting=replace(ideas.voting, state="off"),
        themes=tuple(Theme(t.id, t.title) for t in ideas.themes),
    )
