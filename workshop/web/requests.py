"""What every endpoint reads from a request: the app's parts, the room code in the path, the posted form."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse

from .. import links
from ..domain import codes
from ..domain.errors import N_, ROOM_NOT_FOUND, Invalid, NotFound
from ..domain.visibility import Actor, Claims, actor_of
from ..store import Store
from .sessions import Cookies
from .templating import LANGUAGE_COOKIE, Languages, Templates

MAX_FORM_BYTES = 16 * 1024
MAX_UPLOAD_BYTES = 256 * 1024  # a form with a file (a list to import) or a long pasted list
TOO_BIG = N_("Die Eingabe ist zu groß.")
NOT_UTF8 = N_("Die Datei ist keine Textdatei in UTF-8. Bitte als „CSV UTF-8“ speichern und noch einmal versuchen.")
UNKNOWN_ROOM = "unknown_room"  # on a request's state: its room code names no room (web/limits.py counts it)


def store(request: HTTPConnection) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def languages(request: HTTPConnection) -> Languages:
    return request.app.state.languages  # type: ignore[no-any-return]


def language(request: HTTPConnection) -> str:
    """The language this browser gets: its own choice, else its Accept-Language, else the installation's."""
    return languages(request).choose(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language", ""))


def templates(request: HTTPConnection) -> Templates:
    """The interface in the asker's language."""
    return languages(request)[language(request)]


def cookies(request: HTTPConnection) -> Cookies:
    return request.app.state.cookies  # type: ignore[no-any-return]


def unknown_room(request: HTTPConnection) -> None:
    """This request looked for a room that does not exist: a stranger's lookup of it stays counted."""
    setattr(request.state, UNKNOWN_ROOM, True)


def code(request: HTTPConnection) -> str:
    """The room code in the path (any spelling), or NotFound."""
    found = codes.normalize(request.path_params["code"])
    if found is None:
        raise NotFound(ROOM_NOT_FOUND)
    return found


async def actor(request: HTTPConnection, room_code: str) -> Actor:
    """Who asks, from the signed cookie: never from the request's form or query. Every page, command, export and
    socket asks here: a facilitator right counts only while the link it came through is of the room's current
    generation (one read of Redis, for browsers that facilitate something in this room)."""
    return await actor_now(store(request), room_code, cookies(request).read(request).claims(room_code))


async def actor_now(room_store: Store, room_code: str, claims: Claims) -> Actor:
    if not claims.facilitating:
        return Actor(claims.pid)
    return actor_of(claims, await links.generations(room_store, room_code, claims.groups))


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def base_url(request: Request) -> str:
    return request.app.state.settings.public_url or str(request.base_url).rstrip("/")


def page(request: Request, template: str, status: int = 200, *, lang: str = "", **context: Any) -> HTMLResponse:
    """A whole page, in the asker's language (or `lang`); it knows its own address for the language switch."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    rendered = (languages(request)[lang] if lang else templates(request)).render(template, here=here, **context)
    return HTMLResponse(rendered, status_code=status)


async def form(request: Request) -> dict[str, str]:
    """The posted form (urlencoded, as htmx and plain forms send it), read up to a limit whatever the framing; a
    multipart form (one with a file) up to a larger one, its file as text."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await _with_file(request)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Invalid(TOO_BIG)
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


async def _with_file(request: Request) -> dict[str, str]:
    """A form with a file: every field as text, the file's content too (UTF-8, a BOM dropped)."""
    if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_BYTES:
        raise Invalid(TOO_BIG)
    data = await request.form(max_files=1, max_fields=20, max_part_size=MAX_UPLOAD_BYTES)
    fields: dict[str, str] = {}
    for name, value in data.multi_items():
        if isinstance(value, str):
            fields[name] = value
            continue
        raw = await value.read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            raise Invalid(TOO_BIG)
        try:
            fields[name] = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(NOT_UTF8) from None
    return fields
