"""What people can do in a room: load it, check the rules (and who is asking), write through the store.

Transport-free: the HTTP handlers call these with an `Actor` taken from the signed cookie, never from the request
body, so a participant cannot claim the facilitator's rights by crafting a form or a socket message.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from .domain import codes
from .domain.archive import from_archive
from .domain.errors import N_, ROOM_NOT_FOUND, Conflict, Forbidden, Invalid, NotFound
from .domain.poker import ROUND_MOVED_ON, Item, check_vote, make_deck
from .domain.rooms import Participant, Role, Room, check_title, everyone_voted, new_participant, with_vote
from .domain.text import NAME_MAX, QUESTION_MAX, clean_line
from .store import Rejected, Store


@dataclass(frozen=True)
class Actor:
    """Who is asking, as the server knows it: a participant id and whether they hold the facilitator link."""

    pid: str | None = None
    facilitator: bool = False


async def load(store: Store, code: str) -> Room:
    room = await store.load(code)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    return room


def facilitator_only(actor: Actor) -> None:
    if not actor.facilitator:
        raise Forbidden(N_("Das darf nur die Moderation."))


async def create_room(store: Store, title: object, *, ask_org: bool = False) -> tuple[Room, str]:
    """A new room with a fresh join code, and the secret of its facilitator link."""
    clean = check_title(title)
    token = codes.new_secret()
    while True:
        room = Room(codes.new_code(), clean, datetime.date.today().isoformat(), ask_org=ask_org)
        try:
            await store.create_room(room, token)
            return room, token
        except FileExistsError:  # a code already taken: draw again
            continue


async def join(store: Store, code: str, pid: str, name: object, org: object, observer: bool) -> Participant:
    """Let someone in. Joining twice with the same id (a double submit) yields the same participant."""
    room = await load(store, code)
    if pid in room.participants:
        return room.participants[pid]
    person = new_participant(pid, name, org if room.ask_org else "", observer)
    await store.join(code, person)
    return person


async def set_options(store: Store, actor: Actor, code: str, *, ask_org: bool, auto_reveal: bool) -> None:
    facilitator_only(actor)
    await store.set_options(code, ask_org=ask_org, auto_reveal=auto_reveal)
    if auto_reveal:
        await _reveal_if_everyone_voted(store, code)


async def add_item(
    store: Store, actor: Actor, code: str, question: object, deck: str, custom_cards: str = "", *, start: bool = True
) -> Item:
    """A new estimation question; with `start` (the quick estimate) it is on screen and open at once."""
    facilitator_only(actor)
    item = Item(
        secrets.token_urlsafe(6),
        clean_line(question, label=N_("eine Frage"), max_length=QUESTION_MAX),
        make_deck(deck, custom_cards),
    )
    room = await load(store, code)
    await store.add_item(code, item, make_current=start or room.current is None)
    return item


async def go_to(store: Store, actor: Actor, code: str, item_id: str) -> None:
    facilitator_only(actor)
    (await load(store, code)).activity(item_id)  # any kind: an estimate or an idea collection
    await store.set_current(code, item_id)


async def vote(
    store: Store, actor: Actor, code: str, item_id: str, round_number: int, card: str, reason: str = ""
) -> Room:
    """Cast or change one's vote; returns the room as this vote left it (others may have voted meanwhile)."""
    room = await load(store, code)
    person = room.participants.get(actor.pid or "")
    if person is None:
        raise Forbidden(N_("Bitte tritt dem Workshop zuerst bei."))
    if person.role is not Role.PARTICIPANT:
        raise Forbidden(N_("Wer nur zuschaut, stimmt nicht ab."))
    return await _save_vote(store, room, person.id, item_id, round_number, card, reason)


async def vote_for(
    store: Store, actor: Actor, code: str, name: object, item_id: str, round_number: int, card: str, reason: str = ""
) -> Participant:
    """The facilitator enters the vote of someone in the room without a phone, by name."""
    facilitator_only(actor)
    room = await load(store, code)
    if not clean_line(name, label=N_("Name"), max_length=NAME_MAX, required=False):
        raise Invalid(N_("Bitte den Namen der Person eingeben."))
    person = new_participant(codes.new_id(), name, "", observer=False, by_facilitator=True)
    known = next(
        (p for p in room.participants.values() if p.by_facilitator and p.name.casefold() == person.name.casefold()),
        None,
    )
    if known:
        person = known
    else:
        await store.join(code, person)
        room = await load(store, code)
    await _save_vote(store, room, person.id, item_id, round_number, card, reason)
    return person


async def _save_vote(
    store: Store, room: Room, pid: str, item_id: str, round_number: int, card: str, reason: str
) -> Room:
    item = room.item(item_id)
    if item.id != room.current_id:  # a stale form: that question is no longer on screen
        raise Conflict(ROUND_MOVED_ON)
    checked = check_vote(item, round_number, card, reason)
    try:
        await store.save_vote(room.code, item, pid, checked)
    except Rejected as error:  # revealed or restarted between our read and our write
        raise Conflict(ROUND_MOVED_ON) from error
    if room.auto_reveal:  # the round may have revealed itself: answer from the room as it is now
        await _reveal_if_everyone_voted(store, room.code)
        return await load(store, room.code)
    return with_vote(room, pid, checked)


async def _reveal_if_everyone_voted(store: Store, code: str) -> None:
    room = await load(store, code)
    if everyone_voted(room) and room.current_estimate:
        await store.reveal(code, room.current_estimate)


async def reveal(store: Store, actor: Actor, code: str, item_id: str, round_number: int) -> None:
    """Show the votes of the open round. Twice (two facilitator tabs) is once."""
    facilitator_only(actor)
    item = (await load(store, code)).item(item_id)
    if item.round != round_number or item.revealed:
        return  # already revealed or moved on: nothing left to do
    await store.reveal(code, item)


async def new_round(store: Store, actor: Actor, code: str, item_id: str, round_number: int) -> None:
    """Vote again on the same question; earlier rounds are kept. Twice (two tabs) is once."""
    facilitator_only(actor)
    item = (await load(store, code)).item(item_id)
    if item.round != round_number:
        return  # someone already started the next round
    await store.new_round(code, item)


async def delete_room(store: Store, actor: Actor, code: str, confirm: str) -> None:
    """Delete the room and everything in it, now. The facilitator confirms by typing the room's code."""
    facilitator_only(actor)
    await load(store, code)
    if codes.normalize(confirm or "") != code:
        raise Invalid(N_("Zum Löschen bitte den Code des Workshops eintippen."))
    await store.delete_room(code)


async def restore_room(store: Store, data: object) -> tuple[Room, str]:
    """A new room (new code, new facilitator link) with everything an archive holds."""
    token = codes.new_secret()
    while True:
        room = from_archive(data, codes.new_code())
        try:
            await store.restore(room, token)
            return room, token
        except FileExistsError:
            continue


async def new_facilitator_link(store: Store, actor: Actor, code: str) -> str:
    """A new secret for the facilitator link; the old link stops working (devices already in keep their rights)."""
    facilitator_only(actor)
    await load(store, code)
    token = codes.new_secret()
    await store.replace_facilitator_token(code, token)
    return token
