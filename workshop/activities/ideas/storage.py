"""Idea collections in Redis.

Per collection A: a settings hash (``…:ideas:A``), the cards (hash, plus the list of writing order), each card's
place (hash: theme id, or "" for the loose cards), one list per place with the card ids in order, the theme list
and titles, and the dots (hash ``target|participant`` → count) with each participant's spent dots.
A move is one atomic change that checks the card is still where the mover saw it, so two people moving the same
card at once end in one consistent state: no card lost, none duplicated. The dot budget is checked in the same
atomic step as the dot is spent.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from ...change import Change, Check, Op, absent, below, equals, length, present, put
from ...keys import room_key
from ...mirror import RawRoom
from ..actions import storage as action_storage
from ..kind import Wanted
from .rules import LOOSE, Card, Ideas, Theme, Voting


def _k(code: str, activity: str, *parts: str) -> str:
    return room_key(code, "ideas", activity, *parts)


def _place_list(code: str, activity: str, place: str) -> str:
    return _k(code, activity, "loose") if place == LOOSE else _k(code, activity, "t", place)


def settings_of(ideas: Ideas) -> dict[str, Any]:
    v = ideas.voting
    return {
        "show": ideas.show,
        "hidden": int(ideas.collect_hidden),
        "revealed": int(ideas.cards_revealed),
        "open": int(ideas.posting_open),
        "pcluster": int(ideas.participants_cluster),
        "v_state": v.state,
        "v_dots": v.dots,
        "v_stack": int(v.stack),
        "v_on": v.on,
        "v_hide": int(v.hide_tally),
    }


def _parse(raw: RawRoom, code: str, activity: str, prompt: str) -> Ideas:
    a = activity
    settings, cards, titles, dots = (raw.hash(_k(code, a, *part)) for part in ((), ("cards",), ("titles",), ("dots",)))
    written, loose, themes = (raw.list(_k(code, a, part)) for part in ("written", "loose", "themes"))
    lists = [raw.list(_k(code, a, "t", theme)) for theme in themes]
    by_target: dict[str, dict[str, int]] = {}
    for key, count in dots.items():
        target, pid = key.rsplit("|", 1)
        if int(count) > 0:
            by_target.setdefault(target, {})[pid] = int(count)
    loaded_cards = {}
    for cid in written:
        if cid in cards:
            loaded_cards[cid] = _load(cid, cards[cid])
    return Ideas(
        id=activity,
        prompt=prompt,
        show=settings.get("show", "name"),
        collect_hidden=settings.get("hidden") == "1",
        cards_revealed=settings.get("revealed") == "1",
        posting_open=settings.get("open", "1") == "1",
        participants_cluster=settings.get("pcluster") == "1",
        voting=Voting(
            settings.get("v_state", "off"),
            int(settings.get("v_dots", 3)),
            settings.get("v_stack") == "1",
            settings.get("v_on", "themes"),
            settings.get("v_hide") == "1",
        ),
        cards=loaded_cards,
        loose=tuple(loose),
        themes=tuple(Theme(t, titles.get(t, ""), tuple(cards_of)) for t, cards_of in zip(themes, lists, strict=True)),
        dots=by_target,
        actions=action_storage.read(raw, code, Ideas.kind, activity),
    )


def meta(ideas: Ideas) -> dict[str, Any]:
    return {"kind": Ideas.kind, "q": ideas.prompt}


def read(raw: RawRoom, code: str, wanted: Wanted) -> dict[str, Ideas]:
    """Idea collections by id from the room's keys: in detail (cards, themes, dots) where wanted; else their prompt."""
    return {a: _parse(raw, code, a, data["q"]) if full else Ideas(a, data["q"]) for a, data, full in wanted}


@functools.lru_cache(maxsize=65536)
def _load(card_id: str, text: str) -> Card:
    """A card as stored (each stored text parsed once per process)."""
    data = json.loads(text)
    return Card(card_id, data["text"], data["author"], data.get("anon", False))


def delete_ops(code: str, ideas: Ideas) -> list[Op]:
    """The writes that remove an idea collection (loaded in detail) with its cards, themes and dots."""
    a = ideas.id
    parts = ["cards", "written", "loose", "place", "themes", "titles", "dots", "spent"]
    ops: list[Op] = [["HDEL", room_key(code, "items"), a], ["DEL", _k(code, a)]]
    ops += [["DEL", _k(code, a, part)] for part in parts]
    ops += action_storage.delete_ops(code, Ideas.kind, a)
    return ops + [["DEL", _k(code, a, "t", theme.id)] for theme in ideas.themes]


def write_ops(code: str, ideas: Ideas) -> list[Op]:
    """Every write of a whole idea collection (a new one, or one from an archive) in the layout above."""
    a = ideas.id
    ops: list[Op] = [["HSET", _k(code, a), *[x for kv in settings_of(ideas).items() for x in kv]]]
    for card in ideas.cards.values():
        ops += [["HSET", _k(code, a, "cards"), card.id, _dump(card)], ["RPUSH", _k(code, a, "written"), card.id]]
    for card_id in ideas.loose:
        ops += [["RPUSH", _k(code, a, "loose"), card_id], ["HSET", _k(code, a, "place"), card_id, LOOSE]]
    for theme in ideas.themes:
        ops += [["RPUSH", _k(code, a, "themes"), theme.id], ["HSET", _k(code, a, "titles"), theme.id, theme.title]]
        for card_id in theme.cards:
            ops += [["RPUSH", _k(code, a, "t", theme.id), card_id], ["HSET", _k(code, a, "place"), card_id, theme.id]]
    for target, by in ideas.dots.items():
        for pid, count in by.items():
            ops += [
                ["HSET", _k(code, a, "dots"), f"{target}|{pid}", count],
                ["HINCRBY", _k(code, a, "spent"), pid, count],
            ]
    return ops + action_storage.write_ops(code, Ideas.kind, a, ideas.actions)


def settings(code: str, activity: str, **fields: Any) -> Change:
    return Change.of([["HSET", _k(code, activity), *[x for kv in fields.items() for x in kv]]])


def add_card(code: str, activity: str, card: Card) -> Change:
    a = activity
    return Change.of(
        [
            ["HSET", _k(code, a, "cards"), card.id, _dump(card)],
            ["RPUSH", _k(code, a, "written"), card.id],
            ["RPUSH", _k(code, a, "loose"), card.id],
            ["HSET", _k(code, a, "place"), card.id, LOOSE],
        ],
        [equals(_k(code, a), "open", "1")],
    )


def edit_card(code: str, activity: str, card: Card) -> Change:
    return Change.of(
        [["HSET", _k(code, activity, "cards"), card.id, _dump(card)]],
        [present(_k(code, activity, "cards"), card.id)],
    )


def delete_card(code: str, ideas: Ideas, card_id: str) -> Change:
    a, place = ideas.id, ideas.place_of(card_id)
    return Change.of(
        [
            ["LREM", _place_list(code, a, place), 0, card_id],
            ["HDEL", _k(code, a, "place"), card_id],
            ["HDEL", _k(code, a, "cards"), card_id],
            ["LREM", _k(code, a, "written"), 0, card_id],
        ],
        [equals(_k(code, a, "place"), card_id, place), equals(_k(code, a), "v_state", ideas.voting.state)],
    )


def move(code: str, ideas: Ideas, card_id: str, to: str, before: str | None) -> Change:
    """Move a card where the mover saw it, to a place (before a card there, or at the end)."""
    a, frm = ideas.id, ideas.place_of(card_id)
    checks: list[Check] = [
        equals(_k(code, a, "place"), card_id, frm),
        equals(_k(code, a), "v_state", ideas.voting.state),
    ]
    if before is not None:
        checks.append(equals(_k(code, a, "place"), before, to))
    ops = [
        ("LREM", _place_list(code, a, frm), 0, card_id),
        put(_place_list(code, a, to), card_id, before),
        ("HSET", _k(code, a, "place"), card_id, to),
    ]
    if to != LOOSE:
        checks.append(present(_k(code, a, "titles"), to))
    return Change.of(ops, checks)


def new_theme(code: str, ideas: Ideas, theme_id: str, title: str, cards: Sequence[str]) -> Change:
    """A theme, optionally formed from cards (a card dropped onto another makes a theme of both)."""
    a = ideas.id
    checks: list[Check] = [
        absent(_k(code, a, "titles"), theme_id),
        equals(_k(code, a), "v_state", ideas.voting.state),
    ]
    ops: list[Op] = [
        ["RPUSH", _k(code, a, "themes"), theme_id],
        ["HSET", _k(code, a, "titles"), theme_id, title],
    ]
    for card_id in cards:
        frm = ideas.place_of(card_id)
        checks.append(equals(_k(code, a, "place"), card_id, frm))
        ops += [
            ["LREM", _place_list(code, a, frm), 0, card_id],
            ["RPUSH", _k(code, a, "t", theme_id), card_id],
            ["HSET", _k(code, a, "place"), card_id, theme_id],
        ]
    return Change.of(ops, checks)


def rename_theme(code: str, activity: str, theme_id: str, title: str) -> Change:
    return Change.of(
        [["HSET", _k(code, activity, "titles"), theme_id, title]],
        [present(_k(code, activity, "titles"), theme_id)],
    )


def move_theme(code: str, activity: str, theme_id: str, before: str | None) -> Change:
    a = activity
    themes, titles = _k(code, a, "themes"), _k(code, a, "titles")
    checks = [present(titles, theme_id), *([present(titles, before)] if before is not None else [])]
    return Change.of([("LREM", themes, 0, theme_id), put(themes, theme_id, before)], checks)


def merge_theme(code: str, ideas: Ideas, theme_id: str, into: str) -> Change:
    """Move all cards of a theme into another (or back to the loose cards), and remove the theme."""
    a, cards = ideas.id, ideas.theme(theme_id).cards
    checks: list[Check] = [
        present(_k(code, a, "titles"), theme_id),
        length(_k(code, a, "t", theme_id), len(cards)),
        equals(_k(code, a), "v_state", ideas.voting.state),
    ]
    if into != LOOSE:
        checks.append(present(_k(code, a, "titles"), into))
    ops: list[Op] = []
    for card_id in cards:
        checks.append(equals(_k(code, a, "place"), card_id, theme_id))
        ops += [["RPUSH", _place_list(code, a, into), card_id], ["HSET", _k(code, a, "place"), card_id, into]]
    ops += [
        ["DEL", _k(code, a, "t", theme_id)],
        ["LREM", _k(code, a, "themes"), 0, theme_id],
        ["HDEL", _k(code, a, "titles"), theme_id],
    ]
    return Change.of(ops, checks)


def start_voting(code: str, ideas: Ideas, voting: Voting) -> Change:
    """Open a fresh dot vote. Dots go on what everyone can see, so cards collected hidden are revealed."""
    a = ideas.id
    fields = {
        "revealed": 1,
        "v_state": "open",
        "v_dots": voting.dots,
        "v_stack": int(voting.stack),
        "v_on": voting.on,
        "v_hide": int(voting.hide_tally),
    }
    ops: list[Op] = [
        ["HSET", _k(code, a), *[x for kv in fields.items() for x in kv]],
        ["DEL", _k(code, a, "dots")],
        ["DEL", _k(code, a, "spent")],
    ]
    return Change.of(ops, [equals(_k(code, a), "v_state", ideas.voting.state)])


def close_voting(code: str, activity: str) -> Change:
    return Change.of(
        [["HSET", _k(code, activity), "v_state", "closed"]], [equals(_k(code, activity), "v_state", "open")]
    )


def dot(code: str, ideas: Ideas, pid: str, target: str) -> Change:
    """One more dot, if the budget allows: checked and spent in the same atomic step."""
    a, field = ideas.id, f"{target}|{pid}"
    exists = (
        present(_k(code, a, "titles"), target) if ideas.voting.on == "themes" else present(_k(code, a, "cards"), target)
    )
    checks: list[Check] = [
        equals(_k(code, a), "v_state", "open"),
        below(_k(code, a, "spent"), pid, ideas.voting.dots),
        exists,
    ]
    if not ideas.voting.stack:
        checks.append(absent(_k(code, a, "dots"), field))
    return Change.of([["HINCRBY", _k(code, a, "dots"), field, 1], ["HINCRBY", _k(code, a, "spent"), pid, 1]], checks)


def undot(code: str, ideas: Ideas, pid: str, target: str, mine: int) -> Change:
    a, field = ideas.id, f"{target}|{pid}"
    take = ["HDEL", _k(code, a, "dots"), field] if mine == 1 else ["HINCRBY", _k(code, a, "dots"), field, -1]
    return Change.of(
        [take, ["HINCRBY", _k(code, a, "spent"), pid, -1]],
        [equals(_k(code, a), "v_state", "open"), equals(_k(code, a, "dots"), field, str(mine))],
    )


def _dump(card: Card) -> str:
    return json.dumps({"text": card.text, "author": card.author, "anon": card.anonymous})
