from __future__ import annotations

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


def clean_line(value: object, *, label: str, max_length: int, required: bool = True) -> str:
    """One line of user text, trimmed: control characters and line breaks become spaces."""
    text = value if isinstance(value, str) else ""
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    if required and not text:
        raise Invalid(N_("Bitte {label} eingeben."), label=label)
    if len(text) > max_length:
        raise Invalid(N_("{label} ist zu lang (höchstens {max} Zeichen)."), label=label, max=max_length)
    return text
