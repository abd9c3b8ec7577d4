from __future__ import annotations

import re
import unicodedata

from .errors import N_, Invalid

# Limits for what people type. Generous for real use, small enough that nothing breaks a projector.
TITLE_MAX = 120
NAME_MAX = 40
ORG_MAX = 60
QUESTION_MAX = 300
REASON_MAX = 200
CARD_MAX = 20
CARDS_MAX = 20


# Direction overrides and isolates can make a name or card read backwards on the projector; they go.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean_line(value: object, *, label: str, max_length: int, required: bool = True) -> str:
    """One line of user text, trimmed: control characters and line breaks become spaces.

    Invisible formatting characters that text needs stay (the zero-width joiner inside an emoji such as 👩‍💻).
    """
    text = (value if isinstance(value, str) else "").translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    if required and not text:
        raise Invalid(N_("Bitte {label} eingeben."), label=label)
    if len(text) > max_length:
        raise Invalid(N_("Der Text ist zu lang (höchstens {max} Zeichen)."), max=max_length)
    return text


def distinct_items(value: str, *, label: str, max_length: int) -> tuple[str, ...]:
    """A list typed as one text (cards of a deck, sections of a board): separated by commas, semicolons or lines;
    each trimmed like `clean_line`; empty ones and repeats left out."""
    items: list[str] = []
    for part in re.split(r"[,;\n]", value):
        item = clean_line(part, label=label, max_length=max_length, required=False)
        if item and item not in items:
            items.append(item)
    return tuple(items)
