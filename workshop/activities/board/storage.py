"""Boards in Redis.

Per board B: a hash (``…:board:B``, which section's estimate is running), the section list and titles, each
section's estimate id, one list of entry ids per section, the entries, and each entry's section. Like idea cards,
a move checks that the entry is still where the mover saw it, so concurrent edits never lose or double an entry.
A section's quick estimate is an estimate of its own (stored as estimates are), attached here instead of to an
agenda.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from ...change import Change, Check, Op, absent, equals, length, longer, present, put, shorter
from ...keys import room_key
from ...mirror import RawRoom
from ..actions import storage as action_storage
from ..estimate import storage as estimate_storage
from ..estimate.rules import Estimate
from ..kind import Wanted
from .rules import SECTIONS_MAX, Board, Entry, Section


def _k(code: str, board: str, *parts: str) -> str:
    return room_key(code, "board", board, *parts)


def meta(board: Board) -> dict[str, Any]:
    return {"kind": Board.kind, "title": board.title}


def delete_ops(code: str, board: Board) -> list[Op]:
    """The writes that remove a board (loaded in detail) with its sections and entries; its quick estimates are
    estimates, removed as such."""
    b = board.id
    ops: list[Op] = [["HDEL", room_key(code, "items"), b], ["DEL", _k(code, b)]]
    ops += [["DEL", _k(code, b, part)] for part in ("sections", "titles", "est", "entries", "place")]
    ops += action_storage.delete_ops(code, Board.kind, b)
    return ops + [["DEL", _k(code, b, "s", section.id)] for section in board.sections]


def write_ops(code: str, board: Board) -> list[Op]:
    """Every write of a whole board (a new one, or one from an archive); its estimates are written as estimates."""
    b = board.id
    ops: list[Op] = [["HSET", _k(code, b), "estimating", board.estimating]]
    for section in board.sections:
        ops += [
            ["RPUSH", _k(code, b, "sections"), section.id],
            ["HSET", _k(code, b, "titles"), section.id, section.title],
        ]
        if section.estimate:
            ops.append(["HSET", _k(code, b, "est"), section.id, section.estimate])
        for entry_id in section.entries:
            entry = board.entries[entry_id]
            ops += [
                ["RPUSH", _k(code, b, "s", section.id), entry_id],
                ["HSET", _k(code, b, "entries"), entry_id, _dump(entry)],
                ["HSET", _k(code, b, "place"), entry_id, section.id],
            ]
    return ops + action_storage.write_ops(code, Board.kind, b, board.actions)


def read(raw: RawRoom, code: str, wanted: Wanted) -> dict[str, Board]:
    """Boards by id from the room's keys: in detail (sections, entries) where wanted; else their title."""
    return {
        board: _parse(raw, code, board, data["title"]) if full else Board(board, data["title"])
        for board, data, full in wanted
    }


def _parse(raw: RawRoom, code: str, board: str, title: str) -> Board:
    sections = raw.list(_k(code, board, "sections"))
    lists = [raw.list(_k(code, board, "s", s)) for s in sections]
    titles, estimates, entries = (raw.hash(_k(code, board, part)) for part in ("titles", "est", "entries"))
    loaded = {}
    for entry_id in (e for ids in lists for e in ids if e in entries):  # in board order, section by section
        loaded[entry_id] = _load(entry_id, entries[entry_id])
    return Board(
        board,
        title,
        tuple(
            Section(s, titles.get(s, ""), tuple(e for e in ids if e in loaded), estimates.get(s, ""))
            for s, ids in zip(sections, lists, strict=True)
        ),
        loaded,
        raw.hash(_k(code, board)).get("estimating", ""),
        action_storage.read(raw, code, Board.kind, board),
    )


@functools.lru_cache(maxsize=65536)
def _load(entry_id: str, text: str) -> Entry:
    """An entry as stored (each stored text parsed once per process: entries do not change in place)."""
    data = json.loads(text)
    return Entry(entry_id, data["text"], data["author"])


def add_entry(code: str, board: str, section: str, entry: Entry) -> Change:
    return Change.of(
        [
            ["RPUSH", _k(code, board, "s", section), entry.id],
            ["HSET", _k(code, board, "entries"), entry.id, _dump(entry)],
            ["HSET", _k(code, board, "place"), entry.id, section],
        ],
        [present(_k(code, board, "titles"), section)],
    )


def edit_entry(code: str, board: str, entry: Entry) -> Change:
    return Change.of(
        [["HSET", _k(code, board, "entries"), entry.id, _dump(entry)]],
        [present(_k(code, board, "entries"), entry.id)],
    )


def delete_entry(code: str, board: Board, entry_id: str) -> Change:
    b, place = board.id, board.place_of(entry_id)
    return Change.of(
        [
            ["LREM", _k(code, b, "s", place), 0, entry_id],
            ["HDEL", _k(code, b, "entries"), entry_id],
            ["HDEL", _k(code, b, "place"), entry_id],
        ],
        [equals(_k(code, b, "place"), entry_id, place)],
    )


def move_entry(code: str, board: Board, entry_id: str, to: str, before: str | None) -> Change:
    """Move an entry where the mover saw it, into a section (before an entry there, or at the end)."""
    b, frm = board.id, board.place_of(entry_id)
    checks: list[Check] = [equals(_k(code, b, "place"), entry_id, frm), present(_k(code, b, "titles"), to)]
    if before is not None:
        checks.append(equals(_k(code, b, "place"), before, to))
    ops = [
        ("LREM", _k(code, b, "s", frm), 0, entry_id),
        put(_k(code, b, "s", to), entry_id, before),
        ("HSET", _k(code, b, "place"), entry_id, to),
    ]
    return Change.of(ops, checks)


def add_section(code: str, board: Board, section: Section) -> Change:
    """A new section at the end, while the board has fewer than the most it may have."""
    return Change.of(
        [
            ["RPUSH", _k(code, board.id, "sections"), section.id],
            ["HSET", _k(code, board.id, "titles"), section.id, section.title],
        ],
        [
            absent(_k(code, board.id, "titles"), section.id),
            shorter(_k(code, board.id, "sections"), SECTIONS_MAX),
        ],
    )


def rename_section(code: str, board: str, section: str, title: str) -> Change:
    return Change.of(
        [["HSET", _k(code, board, "titles"), section, title]],
        [present(_k(code, board, "titles"), section)],
    )


def move_section(code: str, board: str, section: str, before: str | None) -> Change:
    sections, titles = _k(code, board, "sections"), _k(code, board, "titles")
    checks = [present(titles, section), *([present(titles, before)] if before is not None else [])]
    return Change.of([("LREM", sections, 0, section), put(sections, section, before)], checks)


def delete_section(code: str, board: Board, section_id: str, estimate: Estimate | None) -> Change:
    """A section with its entries and its estimate (rounds and votes), all at once."""
    b, section = board.id, board.section(section_id)
    checks: list[Check] = [
        present(_k(code, b, "titles"), section_id),
        length(_k(code, b, "s", section_id), len(section.entries)),
        longer(_k(code, b, "sections"), 1),  # two deletes at once leave one section
    ]
    ops: list[Op] = [
        ["DEL", _k(code, b, "s", section_id)],
        ["LREM", _k(code, b, "sections"), 0, section_id],
        ["HDEL", _k(code, b, "titles"), section_id],
        ["HDEL", _k(code, b, "est"), section_id],
    ]
    for entry_id in section.entries:
        ops += [["HDEL", _k(code, b, "entries"), entry_id], ["HDEL", _k(code, b, "place"), entry_id]]
    if estimate is not None:
        ops += estimate_storage.delete_ops(code, estimate)
    if board.estimating == section_id:
        ops.append(["HSET", _k(code, b), "estimating", ""])
    return Change.of(ops, checks)


def start_estimate(code: str, board: Board, section: str, item: Estimate | None) -> Change:
    """Put a section's estimate on the phones; with `item`, the section gets that new estimate first."""
    b = board.id
    checks: list[Check] = [
        present(_k(code, b, "titles"), section),
        equals(_k(code, b), "estimating", board.estimating),
    ]
    ops: list[Op] = [["HSET", _k(code, b), "estimating", section]]
    if item is not None:
        checks.append(absent(_k(code, b, "est"), section))
        ops += [
            ["HSET", room_key(code, "items"), item.id, json.dumps(estimate_storage.meta(item))],
            *estimate_storage.write_ops(code, item),
            ["HSET", _k(code, b, "est"), section, item.id],
        ]
    return Change.of(ops, checks)


def stop_estimate(code: str, board: Board) -> Change:
    return Change.of(
        [["HSET", _k(code, board.id), "estimating", ""]],
        [equals(_k(code, board.id), "estimating", board.estimating)],
    )


def _dump(entry: Entry) -> str:
    return json.dumps({"text": entry.text, "author": entry.author})
