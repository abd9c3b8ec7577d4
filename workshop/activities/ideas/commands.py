"""What people can do in an idea collection: write cards, sort them into themes, dot-vote.

Each command checks its rules (and who asks) on the room as it is now with the pure functions of rules.py and
hands the store one conditional change; a change that lost a race (the card moved, a dot was spent meanwhile) is
planned again on the fresh state, where the rule names the reason, or it goes through.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...change import Change
from ...commands import Call, Command, Said, command, flag, new_id, optional, text
from ...domain import lists
from ...domain.errors import N_, Conflict, Forbidden
from ...domain.rooms import Room
from ...domain.visibility import Access, access
from ...room_commands import add_activity
from . import rules, storage
from .rules import LOOSE, SHOW_AUTHOR, Card, Ideas

MOVED = N_("Die Karten haben sich inzwischen bewegt. Bitte noch einmal versuchen.")
SORTING_IS_THE_FACILITATORS = N_("Sortieren darf gerade nur die Moderation.")
NEW_THEME = "new"  # the place a card is dropped on to make a theme of it
NEW_THEME_TITLE = N_("Neues Thema")  # only when a form sends no title; the pages send the translated default


def _in_group(room: Room, call: Call, activity: str) -> tuple[Access, Ideas]:
    rules.find(room, activity)  # an unknown collection says so, before anything else
    member = access(room, call.actor, activity)
    return member, rules.find(member.view.room, activity)


def _facilitating(room: Room, call: Call, activity: str) -> Ideas:
    member, ideas = _in_group(room, call, activity)
    member.require_facilitator()
    return ideas


def _check_sorter(member: Access, ideas: Ideas) -> None:
    """Sorting is the facilitator's, and the participants' when allowed: people who joined, not observers."""
    if not member.facilitator:
        if member.person is None:
            raise Forbidden(SORTING_IS_THE_FACILITATORS)
        member.participant(SORTING_IS_THE_FACILITATORS)
    rules.check_can_sort(ideas, facilitator=member.facilitator)


def _show(show: str) -> str:
    return show if show in SHOW_AUTHOR else "name"


async def open_collection(
    call: Call,
    *,
    prompt: str,
    show: str = "name",
    hidden: bool = False,
    participants_cluster: bool = False,
    start: bool = True,
    group: str = "",
    cards: Sequence[str] = (),
) -> Ideas:
    """A new idea collection on a group's agenda; with `cards` (checked texts) it starts with those cards, written by
    the facilitator, in the same change."""
    written = [Card(new_id(), entry, call.actor.pid or "") for entry in cards]
    ideas = Ideas(
        new_id(),
        rules.check_prompt(prompt),
        show=_show(show),
        collect_hidden=hidden,
        participants_cluster=participants_cluster,
        cards={card.id: card for card in written},
        loose=tuple(card.id for card in written),
    )
    await add_activity(call, group, ideas, start=start)
    return ideas


async def open_with_list(
    call: Call, *, listing: str = "", file: str = "", header: bool = False, **options: Any
) -> Said:
    """The console's form: a new idea collection, and with a list (pasted, one card per line, or a CSV file's first
    column) its first cards. The answer names the lines left out (empty, too long, repeated)."""
    lines = lists.lines_from(listing, file, header=header)
    if not file.strip() and not any(line and line.strip() for _, line in lines):  # no list, just the empty box
        await open_collection(call, **options)
        return Said("")
    label = N_("einen Text für die Karte")
    checked = lists.check(lines, max_length=rules.CARD_MAX, label=label, translate=call.translate)
    await open_collection(call, cards=checked.entries, **options)
    return Said(lists.report(checked, call.translate))


async def set_options(call: Call, *, activity: str, posting_open: bool, participants_cluster: bool, show: str) -> None:
    def plan(room: Room) -> Change:
        _facilitating(room, call, activity)
        fields = {"open": int(posting_open), "pcluster": int(participants_cluster), "show": _show(show)}
        return storage.settings(call.code, activity, **fields)

    await call.change(plan)


async def reveal_cards(call: Call, *, activity: str) -> None:
    def plan(room: Room) -> Change:
        _facilitating(room, call, activity)
        return storage.settings(call.code, activity, revealed=1)

    await call.change(plan)


async def add_card(call: Call, *, activity: str, text: str, anonymous: bool) -> Card:
    card_id = new_id()
    written: list[Card] = []

    def plan(room: Room) -> Change:
        member, ideas = _in_group(room, call, activity)
        if not member.facilitator:
            member.participant(N_("Karten schreiben alle, die mitmachen; wer nur zuschaut, nicht."))
        rules.check_can_post(ideas)
        written[:] = [Card(card_id, rules.check_card_text(text), call.actor.pid or "", anonymous)]
        return storage.add_card(call.code, activity, written[0])

    await call.change(plan, once=True)
    return written[0]


async def edit_card(call: Call, *, activity: str, card: str, text: str) -> None:
    def plan(room: Room) -> Change:
        member, ideas = _in_group(room, call, activity)
        old = rules.check_can_edit(ideas, card, call.actor.pid, facilitator=member.facilitator)
        return storage.edit_card(
            call.code, activity, Card(old.id, rules.check_card_text(text), old.author, old.anonymous)
        )

    await call.change(plan, conflict=MOVED)


async def delete_card(call: Call, *, activity: str, card: str) -> None:
    def plan(room: Room) -> Change:
        member, ideas = _in_group(room, call, activity)
        rules.check_can_edit(ideas, card, call.actor.pid, facilitator=member.facilitator)
        if ideas.voting.state == "open":
            raise Conflict(N_("Während der Punktabfrage werden keine Karten gelöscht."))
        return storage.delete_card(call.code, ideas, card)

    await call.change(plan, conflict=MOVED)


async def move_card(
    call: Call, *, activity: str, card: str, to: str, before: str | None = None, title: str = ""
) -> None:
    """Put a card into a theme (or back among the loose cards), before another card or at the end; dropped on "new
    theme", it starts one."""
    if to == NEW_THEME:
        await new_theme(call, activity=activity, title=title, card=card)
        return

    def plan(room: Room) -> Change:
        member, ideas = _in_group(room, call, activity)
        _check_sorter(member, ideas)
        rules.check_move(ideas, card, to, before)
        return storage.move(call.code, ideas, card, to, before)

    await call.change(plan, conflict=MOVED)


async def new_theme(call: Call, *, activity: str, title: str = "", card: str = "") -> str:
    """A new theme; a card given (one dropped on "new theme") moves into it."""
    theme_id, name = new_id(), rules.check_theme_title(title or call.translate(NEW_THEME_TITLE))
    cards = (card,) if card else ()

    def plan(room: Room) -> Change:
        member, ideas = _in_group(room, call, activity)
        _check_sorter(member, ideas)
        for card_id in cards:
            ideas.place_of(card_id)
        return storage.new_theme(call.code, ideas, theme_id, name, cards)

    await call.change(plan, once=True, conflict=MOVED)
    return theme_id


async def rename_theme(call: Call, *, activity: str, theme: str, title: str) -> None:
    # Participants move cards and start themes; naming and merging stays with the facilitator.
    def plan(room: Room) -> Change:
        ideas = _facilitating(room, call, activity)
        rules.check_can_sort(ideas, facilitator=True)
        ideas.theme(theme)
        return storage.rename_theme(call.code, activity, theme, rules.check_theme_title(title))

    await call.change(plan, conflict=MOVED)


async def move_theme(call: Call, *, activity: str, theme: str, before: str | None = None) -> None:
    def plan(room: Room) -> Change:
        ideas = _facilitating(room, call, activity)
        rules.check_can_sort(ideas, facilitator=True)
        ideas.theme(theme)
        if before is not None:
            ideas.theme(before)
        return storage.move_theme(call.code, activity, theme, before)

    await call.change(plan, conflict=MOVED)


async def merge_theme(call: Call, *, activity: str, theme: str, into: str) -> None:
    """Merge a theme into another (duplicates), or dissolve it: its cards go back to the loose cards."""

    def plan(room: Room) -> Change:
        ideas = _facilitating(room, call, activity)
        rules.check_can_sort(ideas, facilitator=True)
        ideas.theme(theme)
        if into != LOOSE:
            ideas.theme(into)
        if into == theme:
            raise Conflict(MOVED)
        return storage.merge_theme(call.code, ideas, theme, into)

    await call.change(plan, conflict=MOVED)


async def start_voting(call: Call, *, activity: str, dots: str, stack: bool, on: str, hide_tally: bool) -> None:
    def plan(room: Room) -> Change:
        ideas = _facilitating(room, call, activity)
        settings = rules.check_voting_settings(dots, stack, on)
        voting = rules.Voting("open", settings.dots, settings.stack, settings.on, hide_tally)
        if ideas.voting.state == "open":
            raise Conflict(N_("Die Punktabfrage wurde gerade schon gestartet."))
        return storage.start_voting(call.code, ideas, voting)

    await call.change(plan)


async def close_voting(call: Call, *, activity: str) -> None:
    def plan(room: Room) -> Change | None:
        ideas = _facilitating(room, call, activity)
        if ideas.voting.state != "open":
            return None  # closed already (two tabs): nothing left to do
        return storage.close_voting(call.code, activity)

    await call.change(plan)


async def dot(call: Call, *, activity: str, target: str) -> None:
    """One of the participant's dots on a theme or card; the budget is checked atomically where it is spent."""

    def plan(room: Room) -> Change:
        member, ideas = _in_group(room, call, activity)
        person = member.participant(N_("Punkte vergeben alle, die mitmachen; wer nur zuschaut, nicht."))
        rules.check_dot(ideas, person.id, target)
        return storage.dot(call.code, ideas, person.id, target)

    await call.change(plan, conflict=MOVED)


async def undot(call: Call, *, activity: str, target: str) -> None:
    def plan(room: Room) -> Change:
        _, ideas = _in_group(room, call, activity)
        mine = rules.check_undot(ideas, call.actor.pid or "", target)
        return storage.undot(call.code, ideas, call.actor.pid or "", target, mine)

    await call.change(plan, conflict=MOVED)


COMMANDS: dict[str, Command] = {
    "ideas": command(
        open_with_list,
        prompt=text(),
        show=text(default="name"),
        hidden=flag(),
        participants_cluster=flag(),
        start=flag(),
        group=text(),
        listing=text(),
        file=text(),
        header=flag(),
    ),
    "ideas/options": command(
        set_options, activity=text(), posting_open=flag(), participants_cluster=flag(), show=text(default="name")
    ),
    "ideas/reveal": command(reveal_cards, activity=text()),
    "cards": command(add_card, activity=text(), text=text(), anonymous=flag()),
    "cards/edit": command(edit_card, activity=text(), card=text(), text=text()),
    "cards/delete": command(delete_card, activity=text(), card=text()),
    "cards/move": command(move_card, activity=text(), card=text(), to=text(), before=optional(), title=text()),
    "themes": command(new_theme, activity=text(), title=text(), card=text()),
    "themes/rename": command(rename_theme, activity=text(), theme=text(), title=text()),
    "themes/move": command(move_theme, activity=text(), theme=text(), before=optional()),
    "themes/merge": command(merge_theme, activity=text(), theme=text(), into=text()),
    "dots/start": command(
        start_voting,
        activity=text(),
        dots=text(default="3"),
        stack=flag(),
        on=text(default="themes"),
        hide_tally=flag(),
    ),
    "dots/close": command(close_voting, activity=text()),
    "dots/add": command(dot, activity=text(), target=text()),
    "dots/remove": command(undot, activity=text(), target=text()),
}
