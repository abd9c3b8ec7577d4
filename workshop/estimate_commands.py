"""Estimates (planning poker, "Schnellabschätzung"): ask a question, vote, reveal, vote again.

The same commands serve an estimate on a group's agenda and a board's quick estimate: both are what the group
votes on now (`room.current_estimate`).
"""

from __future__ import annotations

from .commands import Actor, access, add_activity, load, new_id
from .domain import codes
from .domain.errors import N_, Conflict, Invalid
from .domain.poker import ROUND_MOVED_ON, Item, check_question, check_vote, make_deck
from .domain.rooms import Participant, Room, everyone_voted, new_participant, with_vote
from .domain.text import NAME_MAX, clean_line
from .estimates_store import EstimatesStore
from .store import Rejected, Store


def new_item(question: object, deck: str, custom_cards: str = "") -> Item:
    return Item(new_id(), check_question(question), make_deck(deck, custom_cards))


async def add_item(
    store: Store,
    actor: Actor,
    code: str,
    question: object,
    deck: str,
    custom_cards: str = "",
    *,
    start: bool = True,
    group: str = "",
) -> Item:
    """A new estimation question on a group's agenda; with `start` (the quick estimate) it is open at once."""
    item = new_item(question, deck, custom_cards)
    await add_activity(store, actor, code, group, item, start)
    return item


async def vote(
    store: Store, actor: Actor, code: str, item_id: str, round_number: int, card: str, reason: str = ""
) -> Room:
    """Cast or change one's vote; returns the room as this vote left it (others may have voted meanwhile)."""
    room = await load(store, code)
    member = access(room, actor, item_id)
    person = member.participant(N_("Wer nur zuschaut, stimmt nicht ab."))
    return await _save_vote(store, member.room, person.id, item_id, round_number, card, reason)


async def vote_for(
    store: Store, actor: Actor, code: str, name: object, item_id: str, round_number: int, card: str, reason: str = ""
) -> Participant:
    """The facilitator enters the vote of someone in the group without a phone, by name."""
    room = await load(store, code)
    group = access(room, actor, item_id)
    group.require_facilitator()
    room = group.room
    if not clean_line(name, label=N_("Name"), max_length=NAME_MAX, required=False):
        raise Invalid(N_("Bitte den Namen der Person eingeben."))
    person = new_participant(codes.new_id(), name, "", observer=False, by_facilitator=True, group=room.group.id)
    known = next(
        (p for p in room.members if p.by_facilitator and p.name.casefold() == person.name.casefold()),
        None,
    )
    if known:
        person = known
    else:
        await store.join(code, person)
        room = (await load(store, code)).for_group(room.group.id)
    await _save_vote(store, room, person.id, item_id, round_number, card, reason)
    return person


async def _save_vote(
    store: Store, room: Room, pid: str, item_id: str, round_number: int, card: str, reason: str
) -> Room:
    item = room.item(item_id)
    live = room.current_estimate
    if live is None or item.id != live.id:  # a stale form: that question is no longer on screen
        raise Conflict(ROUND_MOVED_ON)
    checked = check_vote(item, round_number, card, reason)
    try:
        await EstimatesStore(store).save_vote(room.code, item, pid, checked)
    except Rejected as error:  # revealed or restarted between our read and our write
        raise Conflict(ROUND_MOVED_ON) from error
    if room.auto_reveal:  # the round may have revealed itself: answer from the room as it is now
        await reveal_if_everyone_voted(store, (await load(store, room.code)).for_group(room.group.id))
        return (await load(store, room.code)).for_group(room.group.id)
    return with_vote(room, pid, checked)


async def reveal_if_everyone_voted(store: Store, room: Room) -> None:
    """With auto-reveal: reveal the group's open round once everyone of the group who votes has voted."""
    if everyone_voted(room) and room.current_estimate:
        await EstimatesStore(store).reveal(room.code, room.current_estimate)


async def reveal(store: Store, actor: Actor, code: str, item_id: str, round_number: int) -> None:
    """Show the votes of the open round. Twice (two facilitator tabs) is once."""
    room = await load(store, code)
    access(room, actor, item_id).require_facilitator()
    item = room.item(item_id)
    if item.round != round_number or item.revealed:
        return  # already revealed or moved on: nothing left to do
    await EstimatesStore(store).reveal(code, item)


async def new_round(store: Store, actor: Actor, code: str, item_id: str, round_number: int) -> None:
    """Vote again on the same question; earlier rounds are kept. Twice (two tabs) is once."""
    room = await load(store, code)
    access(room, actor, item_id).require_facilitator()
    item = room.item(item_id)
    if item.round != round_number:
        return  # someone already started the next round
    await EstimatesStore(store).new_round(code, item)
