"""Idea collections: cards from phones, sorted into themes, then a dot vote."""

from __future__ import annotations

from ..kind import Kind
from . import commands, rules, storage

KIND: Kind[rules.Ideas] = Kind(
    name=rules.Ideas.kind,
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
    meta=storage.meta,
    write_ops=storage.write_ops,
    delete_ops=storage.delete_ops,
    read=storage.read,
    commands=commands.COMMANDS,
    places=rules.places,
    actions=lambda ideas: ideas.actions,
)
