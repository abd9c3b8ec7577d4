"""What people can do with an estimate: ask a question, vote, reveal, vote again.

The same commands serve an estimate on a group's agenda and a board's quick estimate: both are what the group
votes on while they are live (`rules.open_estimate`).
"""

from __future__ import annotations

from ... import store as changes
from ...change import Change
from ...commands import Call, Command, Said, command, flag, new_id, number, text
from ...domain import codes, lists
from ...domain.errors import N_, Conflict, Invalid
from ...domain.rooms import GroupView, Participant, Room, new_participant
from ...domain.text import NAME_MAX, QUESTION_MAX, clean_line
from ...domain.visibility import access
from ...room_commands import add_activities, add_activity, settle
from . import rules, storage
from .rules import ROUND_MOVED_ON, Estimate, Vote

OBSERVERS_DONT_VOTE = N_("Wer nur zuschaut, stimmt nicht ab.")


def new(question: object, deck: str, custom_cards: str = "") -> Estimate:
    return Estimate(new_id(), rules.check_question(question), rules.make_deck(deck, custom_cards))


async def add(
    call: Call, *, question: str, deck: str, cards: str = "", start: bool = True, group: str = ""
) -> Estimate:
    """A new estimation question on a group's agenda; with `start` (the quick estimate) it is open at once."""
    estimate = new(question, deck, cards)
    await add_activity(call, group, estimate, start=start)
    return estimate


async def add_list(
    call: Call, *, listing: str, file: str = "", header: bool = False, deck: str, cards: str = "", group: str = ""
) -> Said:
    """Many questions at once, each an estimate with the same deck at the end of the group's agenda: one per line of
    a pasted list, or from a CSV file's first column. Lines that are empty, too long or there already are left out
    and named in the answer; the rest go on the agenda together, or nothing does."""
    made = rules.make_deck(deck, cards)
    lines = lists.lines_from(listing, file, header=header)
    checked: list[lists.Checked] = []

    def make(view: GroupView) -> list[Estimate]:
        there = [a.title for a in view.items if a.kind == Estimate.kind]
        label = N_("eine Frage")
        checked[:] = [lists.check(lines, max_length=QUESTION_MAX, label=label, translate=call.translate, there=there)]
        return [Estimate(new_id(), question, made) for question in checked[0].entries]

    await add_activities(call, group, make)
    return Said(lists.report(checked[0], call.translate))


def _live(view: GroupView, estimate_id: str) -> Estimate:
    """The estimate, if it is what the group votes on now (a form left open may name one that is gone)."""
    estimate = rules.find(view.room, estimate_id)
    live = rules.open_estimate(view)
    if live is None or live.id != estimate.id:
        raise Conflict(ROUND_MOVED_ON)
    return estimate


async def vote(call: Call, *, estimate: str, round_number: int, card: str, reason: str = "") -> Room:
    """Cast or change one's vote; returns the room as this vote left it (others may have voted meanwhile)."""
    cast: list[tuple[GroupView, Estimate, Participant, Vote]] = []

    def plan(room: Room) -> Change:
        member = access(room, call.actor, estimate)
        person = member.participant(OBSERVERS_DONT_VOTE)
        live = _live(member.view, estimate)
        ballot = rules.check_vote(live, round_number, card, reason)
        cast[:] = [(member.view, live, person, ballot)]
        return storage.save_vote(call.code, live, person.id, ballot)

    room = await call.change(plan)
    view, live, person, ballot = cast[0]
    if room.auto_reveal:  # the round may have revealed itself: answer from the room as it is now
        await settle(call, view.group.id)
        return await call.room()
    return rules.with_vote(room, live, person.id, ballot)


async def vote_for(
    call: Call, *, name: str, estimate: str, round_number: int, card: str, reason: str = ""
) -> Participant:
    """The facilitator enters the vote of someone in the group without a phone, by name."""
    pid = codes.new_id()
    voter: list[Participant] = []

    def plan(room: Room) -> Change:
        member = access(room, call.actor, estimate)
        member.require_facilitator()
        if not clean_line(name, label=N_("Name"), max_length=NAME_MAX, required=False):
            raise Invalid(N_("Bitte den Namen der Person eingeben."))
        live = _live(member.view, estimate)
        ballot = rules.check_vote(live, round_number, card, reason)
        person = new_participant(pid, name, "", observer=False, by_facilitator=True, group=member.view.group.id)
        same_name = [p for p in member.view.members if p.name.casefold() == person.name.casefold()]
        if any(not p.by_facilitator for p in same_name):  # a name is never listed twice
            raise Conflict(N_("{name} ist schon im Workshop und stimmt selbst ab."), name=person.name)
        known = same_name[0] if same_name else None
        voter[:] = [known or person]
        joining = changes.join(call.code, person) if known is None else Change()
        return joining + storage.save_vote(call.code, live, voter[0].id, ballot, joining=known is None)

    await call.change(plan)
    return voter[0]


async def reveal(call: Call, *, estimate: str, round_number: int) -> None:
    """Show the votes of the open round. Twice (two facilitator tabs) is once."""

    def plan(room: Room) -> Change | None:
        access(room, call.actor, estimate).require_facilitator()
        found = rules.find(room, estimate)
        if found.round != round_number or found.revealed:
            return None  # already revealed or moved on: nothing left to do
        return storage.reveal(call.code, found)

    await call.change(plan)


async def new_round(call: Call, *, estimate: str, round_number: int) -> None:
    """Vote again on the same question; earlier rounds are kept. Twice (two tabs) is once."""

    def plan(room: Room) -> Change | None:
        access(room, call.actor, estimate).require_facilitator()
        found = rules.find(room, estimate)
        if found.round != round_number:
            return None  # someone already started the next round
        return storage.new_round(call.code, found)

    await call.change(plan)


def settle_view(code: str, view: GroupView) -> Change | None:
    """With auto-reveal: the group's open round reveals itself once everyone of the group who votes has voted."""
    estimate = rules.open_estimate(view)
    if not view.room.auto_reveal or estimate is None or not rules.everyone_voted(view):
        return None
    return storage.reveal(code, estimate)


COMMANDS: dict[str, Command] = {
    "items": command(add, question=text(), deck=text(), cards=text(), start=flag(), group=text()),
    "items/list": command(
        add_list, listing=text(), file=text(), header=flag(), deck=text(), cards=text(), group=text()
    ),
    "reveal": command(reveal, estimate=text("item"), round_number=number("round")),
    "round": command(new_round, estimate=text("item"), round_number=number("round")),
    "vote": command(
        vote, answer=("mine",), estimate=text("item"), round_number=number("round"), card=text(), reason=text()
    ),
    "vote-for": command(
        vote_for, name=text(), estimate=text("item"), round_number=number("round"), card=text(), reason=text()
    ),
}
