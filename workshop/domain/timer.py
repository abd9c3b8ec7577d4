"""A group's countdown. The server owns the end time, so every screen (and a phone that reconnects) agrees.

Times are milliseconds since the epoch on the server's clock; browsers correct for their own clock's offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import N_, Conflict, Invalid

MAX_MINUTES = 180


@dataclass(frozen=True)
class Timer:
    state: str = "off"  # "off", "running", "paused"
    total_ms: int = 0  # the duration it was started with, for the progress bar
    end_ms: int = 0  # running: when it reaches zero
    left_ms: int = 0  # paused: what was left

    def remaining(self, now_ms: int) -> int:
        if self.state == "running":
            return max(0, self.end_ms - now_ms)
        return self.left_ms if self.state == "paused" else 0


def check_minutes(value: object) -> int:
    """A duration typed as minutes ("5", "2,5", "1:30"), in milliseconds."""
    text = str(value or "").strip().replace(",", ".")
    clock = re.fullmatch(r"(\d*):([0-5]\d)", text)  # minutes:seconds
    try:
        ms = (int(clock[1] or 0) * 60 + int(clock[2])) * 1000 if clock else round(float(text) * 60_000)
    except (ValueError, OverflowError):  # not a number, "nan", "inf"
        raise Invalid(N_("Bitte eine Dauer in Minuten eingeben, z. B. 5 oder 2:30.")) from None
    if not 1000 <= ms <= MAX_MINUTES * 60_000:
        raise Invalid(N_("Der Timer läuft zwischen einer Sekunde und {max} Minuten."), max=MAX_MINUTES)
    return ms


def start(duration_ms: int, now_ms: int) -> Timer:
    return Timer("running", duration_ms, now_ms + duration_ms, 0)


def pause(timer: Timer, now_ms: int) -> Timer:
    if timer.state != "running":
        raise Conflict(N_("Der Timer läuft gerade nicht."))
    return Timer("paused", timer.total_ms, 0, timer.remaining(now_ms))


def resume(timer: Timer, now_ms: int) -> Timer:
    if timer.state != "paused":
        raise Conflict(N_("Der Timer ist nicht angehalten."))
    return Timer("running", timer.total_ms, now_ms + timer.left_ms, 0)


def stop() -> Timer:
    return Timer()
