"""What people can do with a deep-dive board: add entries from phones; the facilitator shapes the board and runs
a quick estimate in one of its sections (usually "Machbarkeit")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .boards_store import BoardsStore
from .commands import Access, Actor, access, add_activity, load, new_id
from .domain import boards as rules
from .domain.boards import Board, Entry, Section
from .domain.errors import N_, Conflict
from .domain.order import neighbour
from .estimate_commands import new_item
from .store import Rejected, Store

CHANGED = N_("Das Board hat sich inzwischen verändert. Bitte noch einmal versuchen.")
NOT_ON_SCREEN = N_("Dieses Board ist gerade nicht auf dem Bildschirm.")
TOO_MANY_SECTIONS = N_("Ein Board hat 1 bis {max} Abschnitte, getrennt durch Kommas.")
LAST_SECTION = N_("Ein Board braucht mindestens einen Abschnitt.")


async def _in_group(store: Store, actor: Actor, code: str, board_id: str) -> tuple[Access, Board]:
    room = await load(store, code)
    room.board(board_id)  # an unknown board says so, before anything else
    group = access(room, actor, board_id)
    if group.room.current_id != board_id:  # a form left open on a phone: that board is no longer on screen
        raise Conflict(NOT_ON_SCREEN)
    return group, group.room.board(board_id)


async def _facilitating(store: Store, actor: Actor, code: str, board_id: str) -> Board:
    group, board = await _in_group(store, actor, code, board_id)
    group.require_facilitator()
    return board


async def _written(change: Awaitable[None]) -> None:
    """Await a conditional write; if the board moved on meanwhile, say so."""
    try:
        await change
    except Rejected as error:
        raise Conflict(CHANGED) from error


def new_board(title: object, sections: tuple[str, ...], entries: tuple[tuple[str, str], ...] = ()) -> Board:
    """A board with these sections; `entries` (text, author) start in the first one."""
    made = tuple(Section(new_id(), rules.check_section_title(title)) for title in sections)
    written = {(entry := Entry(new_id(), text, author)).id: entry for text, author in entries}
    if made and written:
        made = (Section(made[0].id, made[0].title, tuple(written)), *made[1:])
    return Board(new_id(), rules.check_title(title), made, written)


async def add_board(
    store: Store,
    actor: Actor,
    code: str,
    title: object,
    template: str,
    custom: str = "",
    *,
    translate: Callable[[str], str] = str,
    start: bool = True,
    group: str = "",
) -> Board:
    """A board on a group's agenda, from a template ("Vertiefung", "Herausforderung & Lösungsansätze") or with the
    facilitator's own sections."""
    board = new_board(title, rules.sections_for(template, custom, translate))
    await add_activity(store, actor, code, group, board, start)
    return board


async def board_from_theme(
    store: Store,
    actor: Actor,
    code: str,
    ideas_id: str,
    theme_id: str,
    template: str,
    *,
    translate: Callable[[str], str] = str,
) -> Board:
    """Deepen a theme of an idea collection (the winner of the dot vote, usually): a new board with the theme's
    title, its cards as the first section's entries, on the same group's agenda and on screen at once."""
    room = await load(store, code)
    room.ideas(ideas_id)
    group = access(room, actor, ideas_id)
    group.require_facilitator()
    ideas = group.room.ideas(ideas_id)
    if ideas.hidden_now:  # the board would show cards only their authors have seen
        raise Conflict(N_("Die Karten sind noch verdeckt. Bitte erst alle Karten aufdecken."))
    theme = ideas.theme(theme_id)
    cards = tuple((ideas.cards[c].text, ideas.cards[c].author) for c in theme.cards if c in ideas.cards)
    board = new_board(theme.title, rules.sections_for(template, "", translate), cards)
    await add_activity(store, actor, code, group.room.group.id, board, True)
    return board


async def add_entry(store: Store, actor: Actor, code: str, board_id: str, section: str, text: object) -> Entry:
    group, board = await _in_group(store, actor, code, board_id)
    if not group.facilitator:
        group.participant(N_("Beiträge schreiben alle, die mitmachen; wer nur zuschaut, nicht."))
    board.section(section)
    entry = Entry(new_id(), rules.check_entry_text(text), actor.pid or "")
    await _written(BoardsStore(store).add_entry(code, board_id, section, entry))
    return entry


async def edit_entry(store: Store, actor: Actor, code: str, board_id: str, entry_id: str, text: object) -> None:
    group, board = await _in_group(store, actor, code, board_id)
    entry = rules.check_can_change(board, entry_id, actor.pid, facilitator=group.facilitator)
    changed = Entry(entry.id, rules.check_entry_text(text), entry.author)
    await _written(BoardsStore(store).edit_entry(code, board_id, changed))


async def delete_entry(store: Store, actor: Actor, code: str, board_id: str, entry_id: str) -> None:
    group, board = await _in_group(store, actor, code, board_id)
    rules.check_can_change(board, entry_id, actor.pid, facilitator=group.facilitator)
    await _written(BoardsStore(store).delete_entry(code, board, entry_id))


async def move_entry(
    store: Store, actor: Actor, code: str, board_id: str, entry_id: str, *, step: int = 0, to: str = ""
) -> None:
    """One place up (-1) or down (+1) in its section, or (`to`) to the end of another section."""
    board = await _facilitating(store, actor, code, board_id)
    place = board.place_of(entry_id)
    if to:
        board.section(to)
        if to != place:
            await _written(BoardsStore(store).move_entry(code, board, entry_id, to, None))
        return  # "to" its own section: it stays where it is
    before = neighbour(board.section(place).entries, entry_id, step)
    await _written(BoardsStore(store).move_entry(code, board, entry_id, place, before))


async def add_section(store: Store, actor: Actor, code: str, board_id: str, title: object) -> None:
    board = await _facilitating(store, actor, code, board_id)
    if len(board.sections) >= rules.SECTIONS_MAX:
        raise Conflict(TOO_MANY_SECTIONS, max=rules.SECTIONS_MAX)
    section = Section(new_id(), rules.check_section_title(title))
    try:
        await BoardsStore(store).add_section(code, board, section)
    except Rejected as error:  # sections added meanwhile reached the limit
        raise Conflict(TOO_MANY_SECTIONS, max=rules.SECTIONS_MAX) from error


async def rename_section(store: Store, actor: Actor, code: str, board_id: str, section: str, title: object) -> None:
    board = await _facilitating(store, actor, code, board_id)
    board.section(section)
    await _written(BoardsStore(store).rename_section(code, board_id, section, rules.check_section_title(title)))


async def move_section(store: Store, actor: Actor, code: str, board_id: str, section: str, step: int) -> None:
    board = await _facilitating(store, actor, code, board_id)
    board.section(section)
    before = neighbour(tuple(s.id for s in board.sections), section, step)
    await _written(BoardsStore(store).move_section(code, board_id, section, before))


async def delete_section(store: Store, actor: Actor, code: str, board_id: str, section: str) -> None:
    """A section with its entries (and its estimate); a board keeps at least one section."""
    group, board = await _in_group(store, actor, code, board_id)
    group.require_facilitator()
    doomed = board.section(section)
    if len(board.sections) == 1:
        raise Conflict(LAST_SECTION)
    estimate = group.room.item(doomed.estimate) if doomed.estimate else None
    try:
        await BoardsStore(store).delete_section(code, board, section, estimate)
    except Rejected as error:  # another section was deleted meanwhile (two tabs), or this one changed
        raise Conflict(LAST_SECTION if error.check and error.check[0] == "longer" else CHANGED) from error


async def start_estimate(
    store: Store,
    actor: Actor,
    code: str,
    board_id: str,
    section: str,
    question: object = "",
    deck: str = "qualitative",
    custom_cards: str = "",
) -> None:
    """Run a quick estimate in a section: the phones of the group vote on it while the board is on screen.
    A section that has one already opens it again (its rounds are kept; "vote again" starts a new one)."""
    board = await _facilitating(store, actor, code, board_id)
    chosen = rules.check_can_estimate(board, section)
    item = None if chosen.estimate else new_item(question, deck, custom_cards)
    await _written(BoardsStore(store).start_estimate(code, board, section, item))


async def stop_estimate(store: Store, actor: Actor, code: str, board_id: str) -> None:
    """Take the quick estimate off the phones; its results stay in its section."""
    board = await _facilitating(store, actor, code, board_id)
    if not board.estimating:
        return  # stopped already (two tabs)
    await _written(BoardsStore(store).stop_estimate(code, board))
