"""Live polls ("Umfrage"): choices, a five-level scale, a mood check-in, open answers as a word cloud."""

from __future__ import annotations

from ..kind import Kind
from . import commands, rules, storage

KIND: Kind[rules.Poll] = Kind(
    name=rules.Poll.kind,
    label=rules.LABEL,
    to_data=rules.to_data,
    from_data=rules.from_data,
    blank=rules.blank,
    minutes=rules.minutes,
    tables=lambda poll, room, language: {},  # its result is in the minutes; no table of its own
    masked=rules.masked,
    context=rules.context,
    mine=rules.mine,
    mine_key=rules.mine_key,
    meta=storage.meta,
    write_ops=storage.write_ops,
    delete_ops=storage.delete_ops,
    read=storage.read,
    helpers={
        "poll_forms": lambda: list(rules.FORMS),
        "poll_form_name": rules.form_name,
        "poll_scales": lambda: list(rules.SCALES),
        "poll_scale_name": rules.scale_name,
    },
    settle=commands.settle_view,
    commands=commands.COMMANDS,
)
