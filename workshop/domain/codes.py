"""Join codes and secrets.

A join code has 8 characters from an alphabet without 0/O and 1/I, shown in groups as ``KXR-7MP-QH``:
32**8 ≈ 1.1 × 10^12 codes, easy to read aloud and to type on a phone, too many to guess.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """The code inside what someone typed ("kxr 7mp-qh" → "KXR7MPQH"), or None if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code: str) -> str:
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


def new_secret() -> str:
    """A capability token of 192 random bits, for the facilitator link."""
    return secrets.token_urlsafe(24)


def new_id() -> str:
    """An identifier that is unguessable (participants) and short enough for a form field."""
    return secrets.token_urlsafe(16)
