"""Who a browser is, kept in one signed cookie: its participant id per room, and the rooms (or single working
groups, as "CODE/GROUP") it facilitates.

The cookie is signed (itsdangerous), so it can be read but not forged; a tampered cookie counts as no cookie.
Roles come only from here, never from a form field or a socket message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response

from ..domain.visibility import Actor

COOKIE = "workshop_id"
_KEEP_ROOMS = 20  # a browser remembers this many rooms; keeps the cookie small


@dataclass
class Identity:
    participant: dict[str, str] = field(default_factory=dict)  # room code -> participant id
    facilitating: list[str] = field(default_factory=list)  # room codes, and "CODE/GROUP" for one group

    def actor(self, code: str) -> Actor:
        groups = frozenset(f.split("/", 1)[1] for f in self.facilitating if f.startswith(code + "/"))
        return Actor(self.participant.get(code), code in self.facilitating, groups)

    def join(self, code: str, pid: str) -> None:
        self.participant.pop(code, None)
        self.participant[code] = pid
        while len(self.participant) > _KEEP_ROOMS:
            self.participant.pop(next(iter(self.participant)))

    def facilitate(self, code: str, group: str = "") -> None:
        """Facilitate the room (or, with `group`, one of its groups) from this browser."""
        entry = f"{code}/{group}" if group else code
        self.facilitating = [c for c in self.facilitating if c != entry][-(_KEEP_ROOMS - 1) :] + [entry]


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
            # No age limit here: the cookie names rooms, and a room that expired is simply gone. The browser drops
            # the cookie after max_age; every page load renews it, so an active room never logs anyone out.
            data = self.serializer.loads(raw)
            return Identity(dict(data.get("p", {})), list(data.get("f", [])))
        except (BadSignature, AttributeError, TypeError, ValueError):
            return Identity()

    def write(self, response: Response, identity: Identity) -> None:
        value = self.serializer.dumps({"p": identity.participant, "f": identity.facilitating})
        response.set_cookie(COOKIE, value, max_age=self.max_age, httponly=True, samesite="lax", secure=self.secure)
