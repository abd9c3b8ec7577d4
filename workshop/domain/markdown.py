"""Writing Markdown minutes: typed text made literal, headings at a depth, and the language they are written in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")  # emphasis, code, links, HTML, table cells, strike-through
_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" would be read as "&"
_LEADING = re.compile(r"^([#+-]|\d+(?=[.)]))")  # a heading or a list where a line starts


def text(value: str) -> str:
    """User text as literal Markdown on one line, escaped where Markdown could read it as syntax and nowhere else,
    so the file still reads like plain minutes."""
    escaped = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", " ".join(value.split())))
    return _LEADING.sub(lambda m: m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1], escaped)


def heading(depth: int, title: str) -> list[str]:
    return ["#" * min(depth, 6) + " " + title, ""]


@dataclass(frozen=True)
class Language:
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    number: Callable[[float], str]
