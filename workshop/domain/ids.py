"""Identifiers this app makes (of activities, cards, groups, people): what one may look like when it comes back in an
archive, since it goes into Redis keys and URLs."""

from __future__ import annotations

import re

ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def check_id(value: object) -> str:
    """The id, if it is one this app could have made; else ValueError (the archive is broken)."""
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise ValueError("not an id")
    return value


def check_unique(ids: list[str]) -> list[str]:
    """The ids, if each names one thing; else ValueError."""
    if len(set(ids)) != len(ids):
        raise ValueError("ids are unique")
    return ids
