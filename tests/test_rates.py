"""The notation of WORKSHOP_RATE_LIMITS (workshop/limits.py)."""

from __future__ import annotations

import pytest

from workshop.limits import DEFAULTS, Rate, parse_rates


def test_named_limits_change_and_the_others_keep_their_defaults() -> None:
    rates = parse_rates("rooms=20/1h, lookups = 10 / 30s")
    assert rates == {**DEFAULTS, "rooms": Rate(20, 3600), "lookups": Rate(10, 30)}
    assert parse_rates("") == DEFAULTS
    assert (
        ", ".join(f"{k}={v}" for k, v in DEFAULTS.items())
        == "lookups=30/1m, rooms=100/1h, restores=10/1h, sockets=600/1m"
    )


@pytest.mark.parametrize("wrong", ["joins=5/1m", "rooms=0/1h", "rooms=5", "rooms=5/1w", "rooms"])
def test_what_is_no_limit_is_refused(wrong: str) -> None:
    with pytest.raises(ValueError):
        parse_rates(wrong)
