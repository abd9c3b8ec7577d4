"""How an estimate shows in its templates: cards in the language of the page."""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Context

from .rules import COFFEE, TRANSLATED_CARDS


@pass_context
def card(context: Context, value: str) -> str:
    """A card as a page shows it: the coffee break as a cup, the built-in words (Gering, Mittel, Hoch) in the page's
    language. A vote keeps the card itself, so phones in different languages vote on the same card."""
    if value == COFFEE:
        return "☕"
    gettext = context.environment.globals["gettext"]
    if value in TRANSLATED_CARDS and callable(gettext):
        return str(context.call(gettext, value))
    return value
