"""Redis key names. Every key of a room carries its code as a hash tag: workshop:{KXR7MPQH}:…"""

from __future__ import annotations

EVENTS_PATTERN = "workshop:{*}:events"


def room_key(code: str, *parts: str) -> str:
    return ":".join(["workshop", "{" + code + "}", *parts])


def events_channel(code: str) -> str:
    return room_key(code, "events")


def code_of_channel(channel: str) -> str:
    return channel.split("{", 1)[1].split("}", 1)[0]
