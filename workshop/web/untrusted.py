"""JSON from outside (an uploaded archive, a socket message): its nesting is measured before it is parsed.

Python's parser recurses once per level: 50,000 nested "[" end in a RecursionError, and a structure a few hundred
levels deep would reach code that walks it. A cheap scan counts the brackets outside strings first; anything deeper
than the caller allows is refused with `TooDeep` (a ValueError, like any JSON that does not parse).
"""

from __future__ import annotations

import json
import re

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    """Nested deeper than allowed."""


def depth(text: str, limit: int) -> int:
    """How deep the brackets outside strings nest, counting up to limit + 1 (a deeper text stops the count there)."""
    level = deepest = 0
    for bracket in _BRACKETS.finditer(_STRINGS.sub('""', text)):
        if bracket[0] in "[{":
            level += 1
            if level > deepest:
                deepest = level
                if deepest > limit:
                    break
        else:
            level -= 1
    return deepest


def loads(text: str | bytes, *, max_depth: int) -> object:
    """The parsed JSON, if it nests at most `max_depth` levels; else TooDeep. ValueError if it is no JSON."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if depth(text, max_depth) > max_depth:
        raise TooDeep(f"nested deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except RecursionError:  # not reached after the scan; kept so that no input can end in a traceback
        raise TooDeep("nested too deep for the parser") from None
