"""What people can do in an idea collection: write cards, sort them into themes, dot-vote.

Each command loads the room, checks the rules (and who asks) with the pure functions of domain/ideas.py and
writes through IdeasStore, whose changes are atomic and conditional. A change that lost a race (the card moved,
a dot was spent meanwhile) is tried again on the fresh state, a few times, then answered with a clear message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .commands import Access, Actor, access, add_activity, load, new_id
from .domain import ideas as rules
from .domain.errors import N_, Conflict, Forbidden
from .domain.ideas import LOOSE, SHOW_AUTHOR, Card, Ideas
from .ideas_store import IdeasStore
from .store import Rejected, Store

ATTEMPTS = 4
MOVED = N_("Die Karten haben sich inzwischen bewegt. Bitte noch einmal versuchen.")


SORTING_IS_THE_FACILITATORS = N_("Sortieren darf gerade nur die Moderation.")


def _check_sorter(group: Access, ideas: Ideas) -> None:
    """Sorting is the facilitator's, and the participants' when allowed: people who joined, not observers."""
    if not group.facilitator:
        if group.person is None:
            raise Forbidden(SORTING_IS_THE_FACILITATORS)
        group.participant(SORTING_IS_THE_FACILITATORS)
    rules.check_can_sort(ideas, facilitator=group.facilitator)


async def _in_group(store: Store, actor: Actor, code: str, activity: str) -> tuple[Access, Ideas]:
    room = await load(store, code)
    room.ideas(activity)  # an unknown collection says so, before anything else
    group = access(room, actor, activity)
    return group, group.room.ideas(activity)


async def _facilitating(store: Store, actor: Actor, code: str, activity: str) -> Ideas:
    group, ideas = await _in_group(store, actor, code, activity)
    group.require_facilitator()
    return ideas


async def _retrying(
    store: Store, actor: Actor, code: str, activity: str, change: Callable[[Access, Ideas], Awaitable[None]]
) -> None:
    """Run `change` on the current state; if its preconditions no longer hold, look again and retry."""
    for _ in range(ATTEMPTS):
        group, ideas = await _in_group(store, actor, code, activity)
        try:
            await change(group, ideas)
            return
        except Rejected:
            continue
    raise Conflict(MOVED)


async def open_collection(
    store: Store,
    actor: Actor,
    code: str,
    prompt: object,
    *,
    show: str = "name",
    hidden: bool = False,
    participants_cluster: bool = False,
    start: bool = True,
    group: str = "",
) -> Ideas:
    ideas = Ideas(
        new_id(),
        rules.check_prompt(prompt),
        show=show if show in SHOW_AUTHOR else "name",
        collect_hidden=hidden,
        participants_cluster=participants_cluster,
    )
    await add_activity(store, actor, code, group, ideas, start)
    return ideas


async def set_options(
    store: Store, actor: Actor, code: str, activity: str, *, posting_open: bool, participants_cluster: bool, show: str
) -> None:
    await _facilitating(store, actor, code, activity)
    await IdeasStore(store).set(
        code,
        activity,
        open=int(posting_open),
        pcluster=int(participants_cluster),
        show=show if show in SHOW_AUTHOR else "name",
    )


async def reveal_cards(store: Store, actor: Actor, code: str, activity: str) -> None:
    await _facilitating(store, actor, code, activity)
    await IdeasStore(store).set(code, activity, revealed=1)


async def add_card(store: Store, actor: Actor, code: str, activity: str, text: object, anonymous: bool) -> Card:
    group, ideas = await _in_group(store, actor, code, activity)
    if not group.facilitator:
        group.participant(N_("Karten schreiben alle, die mitmachen; wer nur zuschaut, nicht."))
    rules.check_can_post(ideas)
    card = Card(new_id(), rules.check_card_text(text), actor.pid or "", anonymous)
    try:
        await IdeasStore(store).add_card(code, activity, card)
    except Rejected as error:
        raise Conflict(N_("Die Moderation hat das Schreiben von Karten gerade gesperrt.")) from error
    return card


async def edit_card(store: Store, actor: Actor, code: str, activity: str, card_id: str, text: object) -> None:
    group, ideas = await _in_group(store, actor, code, activity)
    card = rules.check_can_edit(ideas, card_id, actor.pid, facilitator=group.facilitator)
    await IdeasStore(store).edit_card(
        code, activity, Card(card.id, rules.check_card_text(text), card.author, card.anonymous)
    )


async def delete_card(store: Store, actor: Actor, code: str, activity: str, card_id: str) -> None:
    async def change(group: Access, ideas: Ideas) -> None:
        rules.check_can_edit(ideas, card_id, actor.pid, facilitator=group.facilitator)
        if ideas.voting.state == "open":
            raise Conflict(N_("Während der Punktabfrage werden keine Karten gelöscht."))
        await IdeasStore(store).delete_card(code, ideas, card_id)

    await _retrying(store, actor, code, activity, change)


async def move_card(
    store: Store, actor: Actor, code: str, activity: str, card_id: str, to: str, before: str | None = None
) -> None:
    """Put a card into a theme (or back among the loose cards), before another card or at the end."""

    async def change(group: Access, ideas: Ideas) -> None:
        _check_sorter(group, ideas)
        rules.check_move(ideas, card_id, to, before)
        await IdeasStore(store).move(code, ideas, card_id, to, before)

    await _retrying(store, actor, code, activity, change)


async def new_theme(
    store: Store, actor: Actor, code: str, activity: str, title: object, cards: tuple[str, ...] = ()
) -> str:
    """A new theme; given cards (one dragged onto another, or one dropped on "new theme") move into it."""
    theme_id, name = new_id(), rules.check_theme_title(title)

    async def change(group: Access, ideas: Ideas) -> None:
        _check_sorter(group, ideas)
        for card_id in cards:
            ideas.place_of(card_id)
        await IdeasStore(store).new_theme(code, ideas, theme_id, name, cards)

    await _retrying(store, actor, code, activity, change)
    return theme_id


async def rename_theme(store: Store, actor: Actor, code: str, activity: str, theme_id: str, title: object) -> None:
    # Participants move cards and start themes; naming and merging stays with the facilitator.
    ideas = await _facilitating(store, actor, code, activity)
    rules.check_can_sort(ideas, facilitator=True)
    ideas.theme(theme_id)
    try:
        await IdeasStore(store).rename_theme(code, activity, theme_id, rules.check_theme_title(title))
    except Rejected as error:
        raise Conflict(MOVED) from error


async def move_theme(store: Store, actor: Actor, code: str, activity: str, theme_id: str, before: str | None) -> None:
    async def change(group: Access, ideas: Ideas) -> None:
        group.require_facilitator()
        rules.check_can_sort(ideas, facilitator=True)
        ideas.theme(theme_id)
        if before is not None:
            ideas.theme(before)
        await IdeasStore(store).move_theme(code, activity, theme_id, before)

    await _retrying(store, actor, code, activity, change)


async def merge_theme(store: Store, actor: Actor, code: str, activity: str, theme_id: str, into: str) -> None:
    """Merge a theme into another (duplicates), or dissolve it: its cards go back to the loose cards."""

    async def change(group: Access, ideas: Ideas) -> None:
        group.require_facilitator()
        rules.check_can_sort(ideas, facilitator=True)
        ideas.theme(theme_id)
        if into != LOOSE:
            ideas.theme(into)
        if into == theme_id:
            raise Conflict(MOVED)
        await IdeasStore(store).merge_theme(code, ideas, theme_id, into)

    await _retrying(store, actor, code, activity, change)


async def start_voting(
    store: Store, actor: Actor, code: str, activity: str, dots: object, *, stack: bool, on: str, hide_tally: bool
) -> None:
    ideas = await _facilitating(store, actor, code, activity)
    settings = rules.check_voting_settings(dots, stack, on)
    voting = rules.Voting("open", settings.dots, settings.stack, settings.on, hide_tally)
    try:
        await IdeasStore(store).start_voting(code, ideas, voting)
    except Rejected as error:
        raise Conflict(N_("Die Punktabfrage wurde gerade schon gestartet.")) from error


async def close_voting(store: Store, actor: Actor, code: str, activity: str) -> None:
    await _facilitating(store, actor, code, activity)
    try:
        await IdeasStore(store).close_voting(code, activity)
    except Rejected:
        return  # closed already (two tabs): nothing left to do


async def dot(store: Store, actor: Actor, code: str, activity: str, target: str) -> None:
    """One of the participant's dots on a theme or card; the budget is checked atomically where it is spent."""

    async def change(group: Access, ideas: Ideas) -> None:
        person = group.participant(N_("Punkte vergeben alle, die mitmachen; wer nur zuschaut, nicht."))
        rules.check_dot(ideas, person.id, target)
        await IdeasStore(store).dot(code, ideas, person.id, target)

    await _retrying(store, actor, code, activity, change)


async def undot(store: Store, actor: Actor, code: str, activity: str, target: str) -> None:
    async def change(group: Access, ideas: Ideas) -> None:
        mine = rules.check_undot(ideas, actor.pid or "", target)
        await IdeasStore(store).undot(code, ideas, actor.pid or "", target, mine)

    await _retrying(store, actor, code, activity, change)
