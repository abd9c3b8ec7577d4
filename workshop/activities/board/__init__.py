"""Deep-dive boards ("Vertiefung"): sections filled from phones, and a quick estimate in a section."""

from __future__ import annotations

from ..estimate.rules import Estimate
from ..kind import Kind
from . import commands, rules, storage

KIND: Kind[rules.Board] = Kind(
    name=rules.Board.kind,
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
        "board_template_name": rules.template_name,
        "board_templates": lambda: list(rules.TEMPLATE_NAMES),
        "board_hints": lambda: rules.SECTION_HINTS,
    },
    meta=storage.meta,
    write_ops=storage.write_ops,
    delete_ops=storage.delete_ops,
    read=storage.read,
    commands=commands.COMMANDS,
    child_kind=Estimate.kind,
    places=rules.places,
    actions=lambda board: board.actions,
)
