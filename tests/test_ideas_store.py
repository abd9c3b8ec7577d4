"""Idea collections against a real Redis: concurrent sorting keeps every card exactly once."""

from __future__ import annotations

import asyncio
import random

from workshop import room_commands
from workshop.activities.ideas import commands as idea_commands
from workshop.activities.ideas import rules as ideas_rules
from workshop.commands import Call
from workshop.domain.errors import DomainError
from workshop.domain.visibility import Actor
from workshop.keys import room_key
from workshop.store import Store

FACILITATOR = Actor(facilitator=True)


async def _collection(store: Store, cards: int) -> tuple[str, str, list[str]]:
    room, _ = await room_commands.create_room(store, "Sortier-Stresstest")
    await room_commands.join(
        Call(store, Actor(), room.code), pid="writer-xxxxxxxxxxxxxxxx", name="Anna", org="", observer=False
    )
    ideas = await idea_commands.open_collection(Call(store, FACILITATOR, room.code), prompt="Ideen?")
    writer = Actor("writer-xxxxxxxxxxxxxxxx")
    made = [
        await idea_commands.add_card(
            Call(store, writer, room.code), activity=ideas.id, text=f"Karte {n}", anonymous=False
        )
        for n in range(cards)
    ]
    return room.code, ideas.id, [c.id for c in made]


async def _invariants(store: Store, code: str, activity: str) -> int:
    """Every card is in exactly one list, the one its place names; no list holds a card that does not exist."""
    r = store.redis
    base = room_key(code, "ideas", activity)
    cards = set(await r.hkeys(base + ":cards"))
    place = await r.hgetall(base + ":place")
    themes = await r.lrange(base + ":themes", 0, -1)
    assert set(place) == cards
    seen: list[str] = []
    for key, where in [(base + ":loose", "")] + [(f"{base}:t:{t}", t) for t in themes]:
        in_list = await r.lrange(key, 0, -1)
        assert all(place.get(c) == where for c in in_list), (where, in_list)
        seen += in_list
    assert sorted(seen) == sorted(cards), "a card lost or duplicated"
    titles = set(await r.hkeys(base + ":titles"))
    assert titles == set(themes)
    return len(cards)


async def test_concurrent_moves_merges_and_deletes_keep_every_card_once(store: Store) -> None:
    code, activity, cards = await _collection(store, 24)
    rng = random.Random(7)
    themes = [
        await idea_commands.new_theme(Call(store, FACILITATOR, code), activity=activity, title=f"Thema {n}")
        for n in range(4)
    ]
    deleted: set[str] = set()
    applied = attempted = 0
    for _ in range(12):
        room = await Call(store, Actor(), code).room()
        live_themes = [t.id for t in ideas_rules.find(room, activity).themes] or themes[:1]
        ops = []
        for _ in range(16):
            card = rng.choice(cards)
            roll = rng.random()
            if roll < 0.6:
                to = rng.choice(live_themes + [""])
                ops.append(idea_commands.move_card(Call(store, FACILITATOR, code), activity=activity, card=card, to=to))
            elif roll < 0.75:
                ops.append(
                    idea_commands.new_theme(Call(store, FACILITATOR, code), activity=activity, title="Neu", card=card)
                )
            elif roll < 0.9 and len(live_themes) > 1:
                a, b = rng.sample(live_themes, 2)
                ops.append(
                    idea_commands.merge_theme(Call(store, FACILITATOR, code), activity=activity, theme=a, into=b)
                )
            else:
                deleted.add(card)
                ops.append(idea_commands.delete_card(Call(store, FACILITATOR, code), activity=activity, card=card))
        outcomes = await asyncio.gather(*ops, return_exceptions=True)
        for outcome in outcomes:  # each change either happened or said clearly why not
            assert outcome is None or isinstance(outcome, (str, DomainError)), outcome
        attempted += len(outcomes)
        applied += sum(not isinstance(o, DomainError) for o in outcomes)
        count = await _invariants(store, code, activity)
        gone = {
            c for c in deleted if c not in ideas_rules.find(await Call(store, Actor(), code).room(), activity).cards
        }
        assert count == len(cards) - len(gone)
    assert applied > attempted * 0.6, (applied, attempted)  # races are retried, not mostly refused
