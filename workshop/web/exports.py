"""The results to take home, for the facilitator, at any moment of the session: the minutes (Markdown, ODT, a page to
print or save as PDF), the tables for a spreadsheet (CSV), and the JSON archive (which restores into a new room).
Each asks the same as the Markdown minutes: the whole workshop is the main facilitator's, a group's part (`?group=`)
also that group's facilitators'."""

from __future__ import annotations

import json

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .. import tables
from ..archive import to_archive
from ..documents import to_html, to_odt
from ..domain.errors import ROOM_NOT_FOUND, NotFound
from ..domain.rooms import Room
from ..domain.visibility import require_export
from ..minutes import to_markdown
from .requests import actor, code, store, templates

ODT = "application/vnd.oasis.opendocument.text"


async def _whole_room(request: Request, group: str = "") -> Room:
    """The room with every activity's details, if the asker may take it (or, with `group`, that group's part)."""
    room_code = code(request)
    require_export(await actor(request, room_code), group)
    room = await store(request).load(room_code, everything=True)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    if group:
        room.group_by_id(group)
    return room


def _file(room: Room, group: str, ending: str) -> str:
    return f"workshop-{room.created}-{room.code}{'-' + group if group else ''}{ending}"


def _download(body: str | bytes, media_type: str, name: str, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else f'attachment; filename="{name}"'
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"}
    )


async def _minutes(request: Request) -> tuple[Room, str, str]:
    group = request.query_params.get("group", "")
    room = await _whole_room(request, group)
    return room, group, to_markdown(room, templates(request).language_of_export, group)


async def markdown(request: Request) -> Response:
    """The whole workshop (or one group) as Markdown minutes."""
    room, group, text = await _minutes(request)
    inline = "inline" in request.query_params
    return _download(text, "text/markdown; charset=utf-8", _file(room, group, ".md"), inline=inline)


async def odt(request: Request) -> Response:
    """The minutes as an ODF text document (LibreOffice, Word), in the language of the interface."""
    room, group, text = await _minutes(request)
    body = to_odt(text, title=room.title, language=templates(request).language)
    return _download(body, ODT, _file(room, group, ".odt"))


async def printable(request: Request) -> Response:
    """The minutes as a page to print, or to save as PDF from the browser's print dialog (its own stylesheet)."""
    room, group, text = await _minutes(request)
    body = Markup(to_html(text))  # noqa: S704 - markdown-it's HTML: it escapes every text and reads no raw HTML
    page = templates(request).render("minutes.html", room=room, group=group, minutes=body)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


async def table(request: Request) -> Response:
    """One table for a spreadsheet (votes, cards, entries, actions) as CSV, for spreadsheet programs set to German."""
    name = request.path_params["table"]
    if name not in tables.NAMES:
        raise NotFound(ROOM_NOT_FOUND)
    group = request.query_params.get("group", "")
    room = await _whole_room(request, group)
    rows = tables.rows(name, room, templates(request).language_of_export, group)
    return _download(tables.to_csv(rows), "text/csv; charset=utf-8", _file(room, group, f"-{name}.csv"))


async def archive(request: Request) -> Response:
    """The complete workshop as a versioned JSON archive."""
    room = await _whole_room(request)
    body = json.dumps(to_archive(room), ensure_ascii=False, indent=1)
    return _download(body, "application/json; charset=utf-8", _file(room, "", ".json"))
