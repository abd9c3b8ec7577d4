"""What people can do with a deep-dive board: add entries from phones; the facilitator shapes the board and runs
a quick estimate in one of its sections (usually "Machbarkeit")."""

from __future__ import annotations

from ...change import Change
from ...commands import Call, Command, command, flag, new_id, number, text
from ...domain.errors import N_, Conflict
from ...domain.order import neighbour
from ...domain.rooms import Room
from ...domain.visibility import Access, access
from ...room_commands import add_activity
from ..estimate import commands as estimates
from ..estimate import rules as estimate_rules
from ..estimate.rules import Estimate
from ..ideas import rules as ideas_rules
from . import rules, storage
from .rules import Board, Entry, Section

CHANGED = N_("Das Board hat sich inzwischen verändert. Bitte noch einmal versuchen.")
NOT_ON_SCREEN = N_("Dieses Board ist gerade nicht auf dem Bildschirm.")
TOO_MANY_SECTIONS = N_("Ein Board hat 1 bis {max} Abschnitte, getrennt durch Kommas.")
LAST_SECTION = N_("Ein Board braucht mindestens einen Abschnitt.")


def _in_group(room: Room, call: Call, board_id: str) -> tuple[Access, Board]:
    rules.find(room, board_id)  # an unknown board says so, before anything else
    member = access(room, call.actor, board_id)
    if member.view.current_id != board_id:  # a form left open on a phone: that board is no longer on screen
        raise Conflict(NOT_ON_SCREEN)
    return member, rules.find(room, board_id)


def _facilitating(room: Room, call: Call, board_id: str) -> Board:
    member, board = _in_group(room, call, board_id)
    member.require_facilitator()
    return board


def new_board(title: object, sections: tuple[str, ...], entries: tuple[tuple[str, str], ...] = ()) -> Board:
    """A board with these sections; `entries` (text, author) start in the first one."""
    made = tuple(Section(new_id(), rules.check_section_title(title)) for title in sections)
    written = {(entry := Entry(new_id(), text, author)).id: entry for text, author in entries}
    if made and written:
        made = (Section(made[0].id, made[0].title, tuple(written)), *made[1:])
    return Board(new_id(), rules.check_title(title), made, written)


async def add_board(
    call: Call, *, title: str, template: str = "deep-dive", sections: str = "", start: bool = True, group: str = ""
) -> Board:
    """A board on a group's agenda, from a template ("Vertiefung", "Herausforderung & Lösungsansätze") or with the
    facilitator's own sections."""
    board = new_board(title, rules.sections_for(template, sections, call.translate))
    await add_activity(call, group, board, start=start)
    return board


async def board_from_theme(call: Call, *, activity: str, theme: str, template: str = "deep-dive") -> Board:
    """Deepen a theme of an idea collection (the winner of the dot vote, usually): a new board with the theme's
    title, its cards as the first section's entries, on the same group's agenda and on screen at once."""
    room = await call.room()
    ideas_rules.find(room, activity)
    member = access(room, call.actor, activity)
    member.require_facilitator()
    ideas = ideas_rules.find(room, activity)
    if ideas.hidden_now:  # the board would show cards only their authors have seen
        raise Conflict(N_("Die Karten sind noch verdeckt. Bitte erst alle Karten aufdecken."))
    chosen = ideas.theme(theme)
    cards = tuple((ideas.cards[c].text, ideas.cards[c].author) for c in chosen.cards if c in ideas.cards)
    board = new_board(chosen.title, rules.sections_for(template, "", call.translate), cards)
    await add_activity(call, member.view.group.id, board, start=True)
    return board


async def add_entry(call: Call, *, board: str, section: str, text: str) -> Entry:
    entry_id = new_id()
    written: list[Entry] = []

    def plan(room: Room) -> Change:
        member, found = _in_group(room, call, board)
        if not member.facilitator:
            member.participant(N_("Beiträge schreiben alle, die mitmachen; wer nur zuschaut, nicht."))
        found.section(section)
        written[:] = [Entry(entry_id, rules.check_entry_text(text), call.actor.pid or "")]
        return storage.add_entry(call.code, board, section, written[0])

    await call.change(plan, once=True, conflict=CHANGED)
    return written[0]


async def edit_entry(call: Call, *, board: str, entry: str, text: str) -> None:
    def plan(room: Room) -> Change:
        member, found = _in_group(room, call, board)
        old = rules.check_can_change(found, entry, call.actor.pid, facilitator=member.facilitator)
        return storage.edit_entry(call.code, board, Entry(old.id, rules.check_entry_text(text), old.author))

    await call.change(plan, conflict=CHANGED)


async def delete_entry(call: Call, *, board: str, entry: str) -> None:
    def plan(room: Room) -> Change:
        member, found = _in_group(room, call, board)
        rules.check_can_change(found, entry, call.actor.pid, facilitator=member.facilitator)
        return storage.delete_entry(call.code, found, entry)

    await call.change(plan, conflict=CHANGED)


async def move_entry(call: Call, *, board: str, entry: str, step: int = 0, to: str = "") -> None:
    """One place up (-1) or down (+1) in its section, or (`to`) to the end of another section."""

    def plan(room: Room) -> Change | None:
        found = _facilitating(room, call, board)
        place = found.place_of(entry)
        if to:
            found.section(to)
            return storage.move_entry(call.code, found, entry, to, None) if to != place else None  # stays put
        before = neighbour(found.section(place).entries, entry, step)
        return storage.move_entry(call.code, found, entry, place, before)

    await call.change(plan, conflict=CHANGED)


async def add_section(call: Call, *, board: str, title: str) -> None:
    section_id = new_id()

    def plan(room: Room) -> Change:
        found = _facilitating(room, call, board)
        if len(found.sections) >= rules.SECTIONS_MAX:
            raise Conflict(TOO_MANY_SECTIONS, max=rules.SECTIONS_MAX)
        return storage.add_section(call.code, found, Section(section_id, rules.check_section_title(title)))

    await call.change(plan, once=True, conflict=CHANGED)


async def rename_section(call: Call, *, board: str, section: str, title: str) -> None:
    def plan(room: Room) -> Change:
        _facilitating(room, call, board).section(section)
        return storage.rename_section(call.code, board, section, rules.check_section_title(title))

    await call.change(plan, conflict=CHANGED)


async def move_section(call: Call, *, board: str, section: str, step: int) -> None:
    def plan(room: Room) -> Change:
        found = _facilitating(room, call, board)
        found.section(section)
        before = neighbour(tuple(s.id for s in found.sections), section, step)
        return storage.move_section(call.code, board, section, before)

    await call.change(plan, conflict=CHANGED)


async def delete_section(call: Call, *, board: str, section: str) -> None:
    """A section with its entries (and its estimate); a board keeps at least one section."""

    def plan(room: Room) -> Change:
        found = _facilitating(room, call, board)
        doomed = found.section(section)
        if len(found.sections) == 1:
            raise Conflict(LAST_SECTION)
        estimate = estimate_rules.find(room, doomed.estimate) if doomed.estimate else None
        return storage.delete_section(call.code, found, section, estimate)

    await call.change(plan, conflict=CHANGED)


async def start_estimate(
    call: Call, *, board: str, section: str, question: str = "", deck: str = "qualitative", cards: str = ""
) -> None:
    """Run a quick estimate in a section: the phones of the group vote on it while the board is on screen.
    A section that has one already opens it again (its rounds are kept; "vote again" starts a new one)."""
    made: list[Estimate] = []  # made once, kept across retries

    def plan(room: Room) -> Change:
        found = _facilitating(room, call, board)
        if rules.check_can_estimate(found, section).estimate:
            return storage.start_estimate(call.code, found, section, None)
        made[:] = made or [estimates.new(question, deck, cards)]
        return storage.start_estimate(call.code, found, section, made[0])

    await call.change(plan, conflict=CHANGED)


async def stop_estimate(call: Call, *, board: str) -> None:
    """Take the quick estimate off the phones; its results stay in its section."""

    def plan(room: Room) -> Change | None:
        found = _facilitating(room, call, board)
        return storage.stop_estimate(call.code, found) if found.estimating else None  # stopped already (two tabs)

    await call.change(plan, conflict=CHANGED)


COMMANDS: dict[str, Command] = {
    "boards": command(
        add_board, title=text(), template=text(default="deep-dive"), sections=text(), start=flag(), group=text()
    ),
    "boards/from-theme": command(board_from_theme, activity=text(), theme=text(), template=text(default="deep-dive")),
    "entries": command(add_entry, board=text(), section=text(), text=text()),
    "entries/edit": command(edit_entry, board=text(), entry=text(), text=text()),
    "entries/delete": command(delete_entry, board=text(), entry=text()),
    "entries/move": command(move_entry, board=text(), entry=text(), step=number(default=0), to=text()),
    "sections": command(add_section, board=text(), title=text()),
    "sections/rename": command(rename_section, board=text(), section=text(), title=text()),
    "sections/move": command(move_section, board=text(), section=text(), step=number()),
    "sections/delete": command(delete_section, board=text(), section=text()),
    "estimate/start": command(
        start_estimate, board=text(), section=text(), question=text(), deck=text(default="qualitative"), cards=text()
    ),
    "estimate/stop": command(stop_estimate, board=text()),
}
