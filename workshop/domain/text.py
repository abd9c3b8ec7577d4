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
