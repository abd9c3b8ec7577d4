"""Redis key names. Every key of a room carries its code as a hash tag: workshop:{KXR7MPQH}:…"""

from __future__ import annotations

EVENTS_PATTERN = "workshop:{*}:events"
# The one key that belongs to no room: the cookie-signing key all processes share (unless WORKSHOP_SECRET_KEY is set).
# It has no hash tag, so on a Redis Cluster it lives in a slot of its own; only SET NX and GET touch it, alone.
SECRET_KEY = "workshop:secret-key"


def room_key(code: str, *parts: str) -> str:
    return ":".join(["workshop", "{" + code + "}", *parts])


def events_channel(code: str) -> str:
    return room_key(code, "events")


def code_of_channel(channel: str) -> str:
    return channel.split("{", 1)[1].split("}", 1)[0]
