"""The complete workshop as JSON (schema version 1), and back: an archive restores into a new room.

Pure. `from_archive` checks everything before anything is written, and says in a sentence what is wrong.
"""

from __future__ import annotations

from typing import Any

from .errors import N_, Invalid
from .ideas import Card, Ideas, Theme, Voting
from .poker import Deck, Item, Round, Vote
from .rooms import Participant, Role, Room, check_title

SCHEMA = "workshop-archive"
VERSION = 1


def to_archive(room: Room) -> dict[str, Any]:
    """Everything of the room (loaded with every activity's details), as plain JSON data."""
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "title": room.title,
        "created": room.created,
        "ask_org": room.ask_org,
        "auto_reveal": room.auto_reveal,
        "current": room.current_id,
        "participants": [
            {"id": p.id, "name": p.name, "org": p.org, "role": p.role.value, "by_facilitator": p.by_facilitator}
            for p in room.participants.values()
        ],
        "activities": [_activity(a) for a in room.items],
    }


def _activity(activity: Item | Ideas) -> dict[str, Any]:
    if isinstance(activity, Item):
        return {
            "kind": "estimate",
            "id": activity.id,
            "question": activity.question,
            "deck": activity.deck.kind,
            "cards": list(activity.deck.cards),
            "rounds": [
                {
                    "revealed": revealed,
                    "votes": {
                        pid: {"card": v.card, "reason": v.reason} for pid, v in _round(activity, n).votes.items()
                    },
                }
                for n, revealed in enumerate(activity.revealed_rounds, start=1)
            ],
        }
    v = activity.voting
    return {
        "kind": "ideas",
        "id": activity.id,
        "prompt": activity.prompt,
        "show": activity.show,
        "collect_hidden": activity.collect_hidden,
        "cards_revealed": activity.cards_revealed,
        "posting_open": activity.posting_open,
        "participants_cluster": activity.participants_cluster,
        "voting": {"state": v.state, "dots": v.dots, "stack": v.stack, "on": v.on, "hide_tally": v.hide_tally},
        "cards": [
            {"id": c.id, "text": c.text, "author": c.author, "anonymous": c.anonymous} for c in activity.cards.values()
        ],
        "loose": list(activity.loose),
        "themes": [{"id": t.id, "title": t.title, "cards": list(t.cards)} for t in activity.themes],
        "dots": {target: dict(by) for target, by in activity.dots.items()},
    }


def _round(item: Item, number: int) -> Round:
    return next((r for r in item.rounds if r.number == number), Round(number, False))


BROKEN = N_("Diese Datei ist kein lesbares Workshop-Archiv. Es wurde nichts angelegt.")


def from_archive(data: object, code: str) -> Room:
    """The room an archive describes, under a new code; Invalid with a clear message if it is not one."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise Invalid(BROKEN)
    if data.get("version") != VERSION:
        raise Invalid(
            N_(
                "Dieses Archiv hat die Version {found}; diese Installation liest Version {expected}. "
                "Es wurde nichts angelegt."
            ),
            found=str(data.get("version")),
            expected=str(VERSION),
        )
    try:
        people = {
            p["id"]: Participant(
                str(p["id"]),
                str(p["name"]),
                str(p.get("org", "")),
                Role(p["role"]),
                bool(p.get("by_facilitator", False)),
            )
            for p in data["participants"]
        }
        activities = tuple(_load_activity(a) for a in data["activities"])
        ids = [a.id for a in activities]
        if len(set(ids)) != len(ids) or (data.get("current") and data["current"] not in ids):
            raise Invalid(BROKEN)
        return Room(
            code,
            check_title(data["title"]),
            str(data.get("created", "")),
            bool(data.get("ask_org")),
            bool(data.get("auto_reveal")),
            people,
            activities,
            data.get("current") or None,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise Invalid(BROKEN) from None


def _load_activity(a: dict[str, Any]) -> Item | Ideas:
    if a["kind"] == "estimate":
        rounds = tuple(
            Round(
                n,
                bool(r["revealed"]),
                {pid: Vote(str(v["card"]), str(v.get("reason", ""))) for pid, v in r["votes"].items()},
            )
            for n, r in enumerate(a["rounds"], start=1)
        )
        if not rounds:
            raise ValueError("an estimate has at least one round")
        return Item(
            str(a["id"]),
            str(a["question"]),
            Deck(str(a["deck"]), tuple(map(str, a["cards"]))),
            tuple(r.revealed for r in rounds),
            rounds,
        )
    if a["kind"] == "ideas":
        v = a["voting"]
        cards = {
            str(c["id"]): Card(str(c["id"]), str(c["text"]), str(c["author"]), bool(c["anonymous"])) for c in a["cards"]
        }
        themes = tuple(Theme(str(t["id"]), str(t["title"]), tuple(map(str, t["cards"]))) for t in a["themes"])
        placed = list(a["loose"]) + [c for t in themes for c in t.cards]
        if sorted(placed) != sorted(cards):
            raise ValueError("every card is in exactly one place")
        return Ideas(
            str(a["id"]),
            str(a["prompt"]),
            str(a["show"]),
            bool(a["collect_hidden"]),
            bool(a["cards_revealed"]),
            bool(a["posting_open"]),
            bool(a["participants_cluster"]),
            Voting(str(v["state"]), int(v["dots"]), bool(v["stack"]), str(v["on"]), bool(v["hide_tally"])),
            cards,
            tuple(map(str, a["loose"])),
            themes,
            {str(t): {str(p): int(n) for p, n in by.items()} for t, by in a["dots"].items()},
        )
    raise ValueError(a["kind"])
