"""The nesting scan that runs before any JSON from outside is parsed (web/untrusted.py)."""

from __future__ import annotations

import json

import pytest

from workshop.web.untrusted import TooDeep, depth, loads


def test_brackets_inside_strings_do_not_count() -> None:
    assert depth(json.dumps({"title": "[[[[{{{{", "cards": [["a"]]}), 10) == 3
    assert depth(json.dumps(['say "[[[" and \\ then [[']), 10) == 1
    assert depth('"unclosed [[[[', 10) == 4  # no closing quote: counted, which errs on the safe side


def test_the_count_stops_past_the_limit() -> None:
    assert depth("[" * 1_000_000, 8) == 9


def test_loads_refuses_what_is_too_deep_and_parses_the_rest() -> None:
    assert loads(b'{"type": "resync"}', max_depth=4) == {"type": "resync"}
    for hostile in ("[" * 50_000, "[" * 5 + "]" * 5, '{"a":' * 5 + "1" + "}" * 5):
        with pytest.raises(TooDeep):
            loads(hostile, max_depth=4)
    with pytest.raises(ValueError):
        loads(b"\xff not utf-8", max_depth=4)
