"""Which requests count against their client address's limits (workshop/limits.py), and the answer when one is
used up: a 429 page (or notice) that says how long to wait, with Retry-After; on a socket, a notice and 1013.

Guessing codes is the one thing a stranger can try at scale, and every room address answers differently for a room
that exists than for one that does not. So a request for a room code that the browser has no claim on (no
participant id, no facilitator right for it in its signed cookie) is a *lookup*: it takes one from the address's
budget before anything is looked up, and gives it back when the room was found. Only lookups of rooms that do not
exist use the budget up; once it is, every lookup from that address waits, found or not, so the answer tells a
guesser nothing. People already in a room are never stopped by it.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl

import redis
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from ..domain import codes
from ..domain.errors import N_, TooMany
from ..limits import Limiter
from .errors import error_response
from .requests import UNKNOWN_ROOM, templates

LOOKUPS = N_(
    "Zu viele Versuche mit unbekannten Codes von diesem Anschluss. Bitte in etwa {minutes} Min. noch einmal versuchen."
)
ROOMS = N_(
    "Von diesem Anschluss wurden gerade sehr viele Workshops eröffnet. "
    "Bitte in etwa {minutes} Min. noch einmal versuchen."
)
RESTORES = N_(
    "Von diesem Anschluss wurden gerade sehr viele Archive hochgeladen. "
    "Bitte in etwa {minutes} Min. noch einmal versuchen."
)
SOCKETS = N_("Zu viele neue Verbindungen von diesem Anschluss. Die Seite versucht es gleich von selbst wieder.")


def client(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


async def spend(request: Request, name: str, message: str) -> None:
    """Count one of `name` for the request's address; TooMany (429) once its limit is used up."""
    wait = await _take(request.app.state.limits, name, client(request))
    if wait:
        raise TooMany(message, retry_after=wait, minutes=math.ceil(wait / 60))


async def _take(limiter: Limiter, name: str, address: str) -> int:
    try:
        return await limiter.take(name, address)
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return 0  # without Redis there is nothing to look up either: the request gets the app's own 503


def _looked_up(scope: Scope) -> str | None:
    """The room code a request names (/r/CODE/…, /j/CODE, /join?code=CODE), if it is one."""
    parts = scope["path"].split("/")
    if len(parts) >= 3 and parts[1] in ("r", "j"):
        return codes.normalize(parts[2])
    if scope["path"] == "/join":
        typed = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("code")
        return codes.normalize(typed) if typed else None
    return None


class LimitsMiddleware:
    """Socket opens per address; lookups of room codes per address (see above)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        limiter: Limiter = scope["app"].state.limits
        address = client(conn)
        if scope["type"] == "websocket":
            wait = await _take(limiter, "sockets", address)
            if wait:
                await _refuse_socket(scope, receive, send, SOCKETS)
                return
        code = _looked_up(scope)
        claims = scope["app"].state.cookies.read(conn).claims(code) if code else None
        if claims is None or claims.pid is not None or claims.facilitating:  # no code, or one this browser knows
            await self.app(scope, receive, send)
            return
        wait = await _take(limiter, "lookups", address)
        if wait:
            if scope["type"] == "websocket":
                await _refuse_socket(scope, receive, send, LOOKUPS, minutes=math.ceil(wait / 60))
            else:
                await _refuse(scope, receive, send, LOOKUPS, wait)
            return
        settled = False

        async def settle(message: Message) -> None:
            nonlocal settled
            if not settled and message["type"] in ("http.response.start", "websocket.accept", "websocket.close"):
                settled = True
                if not scope.get("state", {}).get(UNKNOWN_ROOM):
                    await _give_back(limiter, address)  # the room exists: a lookup that found it is free
            await send(message)

        try:
            await self.app(scope, receive, settle)
        finally:
            if not settled:
                await _give_back(limiter, address)


async def _give_back(limiter: Limiter, address: str) -> None:
    try:
        await limiter.give_back("lookups", address)
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        pass  # the count runs out with its window


async def _refuse(scope: Scope, receive: Receive, send: Send, message: str, wait: int) -> None:
    request = Request(scope, receive)
    text = templates(request).gettext.gettext(message).format(minutes=math.ceil(wait / 60))
    response = error_response(request, text, 429)
    response.headers["Retry-After"] = str(wait)
    await response(scope, receive, send)


async def _refuse_socket(scope: Scope, receive: Receive, send: Send, message: str, **params: int) -> None:
    """Say why, then close with 1013 ("try again later"): htmx reconnects by itself, a little later each time."""
    websocket = WebSocket(scope, receive, send)
    interface = templates(websocket)
    await websocket.accept()
    text = interface.gettext.gettext(message).format(**params)
    await websocket.send_text(interface.render("_notice.html", message=text))
    await websocket.close(code=1013)
