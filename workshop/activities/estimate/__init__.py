"""Estimates (planning poker, "Schnellabschätzung"): a question, a deck, rounds of hidden votes, the reveal."""

from __future__ import annotations

from ..kind import Kind
from . import commands, rules, storage, views

KIND: Kind[rules.Estimate] = Kind(
    name=rules.Estimate.kind,
    label=rules.LABEL,
    to_data=rules.to_data,
    from_data=rules.from_data,
    blank=rules.blank,
    minutes=rules.minutes,
    tables=rules.tables,
    masked=rules.masked,
    context=rules.context,
    mine=rules.mine,
    mine_key=rules.mine_key,
    helpers={
        "card": views.card,
        "estimate_progress": rules.progress,
        "deck_name": rules.deck_name,
        "deck_names": lambda: [*rules.DECKS, "custom"],
    },
    meta=storage.meta,
    write_ops=storage.write_ops,
    delete_ops=storage.delete_ops,
    read=storage.read,
    settle=commands.settle_view,
    commands=commands.COMMANDS,
)
