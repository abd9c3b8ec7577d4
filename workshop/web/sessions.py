"""Who a browser is, kept in one signed cookie: its participant id per room, the rooms (or single working groups,
as "CODE/GROUP") it facilitates with the generation of the link it came in through, and a random device id (shown
on the console's list of facilitator devices).

The cookie is signed (itsdangerous), so it can be read but not forged; a tampered cookie counts as no cookie, and so
does one signed longer ago than the room TTL (every page load signs it anew, so an active room keeps its people).
Roles come only from here, never from a form field or a socket message, and a facilitator right only counts while
its link's generation is the room's (domain/visibility.py `actor_of`; web/requests.py `actor` asks Redis).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response

from ..domain.visibility import Claims

COOKIE = "workshop_id"
_KEEP_ROOMS = 20  # a browser remembers this many rooms; keeps the cookie small


@dataclass
class Identity:
    participant: dict[str, str] = field(default_factory=dict)  # room code -> participant id
    facilitating: dict[str, int] = field(default_factory=dict)  # "CODE" or "CODE/GROUP" -> the link's generation
    device: str = ""  # random, made when the browser first facilitates

    def claims(self, code: str) -> Claims:
        groups = {f.split("/", 1)[1]: n for f, n in self.facilitating.items() if f.startswith(code + "/")}
        return Claims(self.participant.get(code), self.facilitating.get(code), groups)

    def join(self, code: str, pid: str) -> None:
        self.participant.pop(code, None)
        self.participant[code] = pid
        while len(self.participant) > _KEEP_ROOMS:
            self.participant.pop(next(iter(self.participant)))

    def facilitate(self, code: str, generation: int, group: str = "") -> str:
        """Facilitate the room (or, with `group`, one of its groups) from this browser, under the link of this
        generation; the device id (made now if there was none)."""
        entry = f"{code}/{group}" if group else code
        self.facilitating.pop(entry, None)
        self.facilitating[entry] = generation
        while len(self.facilitating) > _KEEP_ROOMS:
            self.facilitating.pop(next(iter(self.facilitating)))
        self.device = self.device or new_device()
        return self.device


def new_device() -> str:
    return secrets.token_urlsafe(9)


def _facilitating(data: object) -> dict[str, int]:
    if isinstance(data, list):  # a cookie from before link generations: generation 0, valid until the next new link
        return {str(entry): 0 for entry in data}
    if isinstance(data, dict):
        return {str(entry): int(n) for entry, n in data.items()}
    return {}


class Cookies:
    def __init__(self, secret_key: str, *, max_age: float, secure: bool) -> None:
        self.serializer = URLSafeTimedSerializer(secret_key, salt="workshop-identity")
        self.max_age = int(max_age)
        self.secure = secure

    def read(self, conn: HTTPConnection) -> Identity:
        raw = conn.cookies.get(COOKIE)
        if not raw:
            return Identity()
        try:
            data = self.serializer.loads(raw, max_age=self.max_age)  # older than a room lives: no cookie
            return Identity(dict(data.get("p", {})), _facilitating(data.get("f")), str(data.get("d", "")))
        except (BadSignature, AttributeError, TypeError, ValueError):
            return Identity()

    def write(self, response: Response, identity: Identity) -> None:
        content: dict[str, object] = {"p": identity.participant, "f": identity.facilitating}
        if identity.device:
            content["d"] = identity.device
        value = self.serializer.dumps(content)
        response.set_cookie(COOKIE, value, max_age=self.max_age, httponly=True, samesite="lax", secure=self.secure)
