"""What people can do with a poll: the facilitator asks, everyone in the group answers from their phone (and may
change their answer while it is open), the facilitator shows the result and may open the poll again."""

from __future__ import annotations

from collections.abc import Mapping

from ...change import Change
from ...commands import Call, Command, Field, command, flag, new_id, text
from ...domain.errors import N_, Conflict
from ...domain.rooms import GroupView, Room
from ...domain.visibility import access
from ...room_commands import add_activity, settle
from . import rules, storage
from .rules import Answer, Poll

OBSERVERS_DONT_ANSWER = N_("Wer nur zuschaut, antwortet nicht.")
NOT_ON_SCREEN = N_("Diese Umfrage ist gerade nicht auf dem Bildschirm.")


def choices() -> Field:
    """The choices ticked in a poll's form: a radio button `choice`, or checkboxes `choice_<n>`."""

    def read(data: Mapping[str, str], name: str) -> tuple[int, ...]:
        ticked = [data[name]] if data.get(name) else []
        ticked += [key.removeprefix(name + "_") for key in data if key.startswith(name + "_")]
        return tuple(int(t) for t in ticked if t.isdigit())

    return Field(read)


async def add(
    call: Call,
    *,
    question: str,
    form: str,
    options: str = "",
    scale: str = "",
    live: bool = False,
    named: bool = False,
    start: bool = True,
    group: str = "",
) -> Poll:
    """A new poll on a group's agenda; with `start` it is on the phones at once."""
    poll = rules.new_poll(new_id(), question, form, options, scale, live=live, named=named)
    await add_activity(call, group, poll, start=start)
    return poll


async def answer(call: Call, *, poll: str, choice: tuple[int, ...] = (), text: str = "") -> Room:
    """Answer, or change one's answer while the poll is open; returns the room as this answer left it."""
    given: list[tuple[GroupView, Poll, str, Answer]] = []

    def plan(room: Room) -> Change:
        found = rules.find(room, poll)  # an unknown poll says so, before anything else
        member = access(room, call.actor, poll)
        person = member.participant(OBSERVERS_DONT_ANSWER)
        if member.view.current_id != poll:  # a form left open on a phone: that poll is no longer on screen
            raise Conflict(NOT_ON_SCREEN)
        checked = rules.check_answer(found, choice, text)
        given[:] = [(member.view, found, person.id, checked)]
        return storage.answer(call.code, found, person.id, checked)

    room = await call.change(plan)
    view, found, pid, checked = given[0]
    if room.auto_reveal:  # the poll may show itself now: answer from the room as it is then
        await settle(call, view.group.id)
        return await call.room()
    return rules.with_answer(room, found, pid, checked)


async def reveal(call: Call, *, poll: str) -> None:
    """Show the result; answering ends. Twice (two tabs) is once."""

    def plan(room: Room) -> Change | None:
        found = rules.find(room, poll)
        access(room, call.actor, poll).require_facilitator()
        return storage.reveal(call.code, found) if not found.revealed else None

    await call.change(plan)


async def reopen(call: Call, *, poll: str) -> None:
    """Take answers again (the result hides again, unless it shows live). Twice is once."""

    def plan(room: Room) -> Change | None:
        found = rules.find(room, poll)
        access(room, call.actor, poll).require_facilitator()
        return storage.reopen(call.code, found) if not found.open else None

    await call.change(plan)


def settle_view(code: str, view: GroupView) -> Change | None:
    """With auto-reveal: a poll shows its result once everyone in the group who takes part has answered."""
    poll = view.live
    if not view.room.auto_reveal or not isinstance(poll, Poll) or poll.revealed:
        return None
    return storage.reveal(code, poll) if rules.everyone_answered(view, poll) else None


COMMANDS: dict[str, Command] = {
    "polls": command(
        add,
        question=text(),
        form=text(default="single"),
        options=text(),
        scale=text(default="agreement"),
        live=flag(),
        named=flag(),
        start=flag(),
        group=text(),
    ),
    "polls/answer": command(answer, answer=("mine",), poll=text(), choice=choices(), text=text()),
    "polls/reveal": command(reveal, poll=text()),
    "polls/reopen": command(reopen, poll=text()),
}
