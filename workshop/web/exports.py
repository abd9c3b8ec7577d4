"""The results to take home, for the facilitator, at any moment of the session: Markdown minutes and the JSON
archive (which restores into a new room)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from ..archive import to_archive
from ..domain.errors import ROOM_NOT_FOUND, NotFound
from ..domain.rooms import Room
from ..domain.visibility import require_export
from ..minutes import to_markdown
from .requests import actor, code, store, templates


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


async def markdown(request: Request) -> Response:
    """The whole workshop (or one group) as Markdown minutes."""
    group = request.query_params.get("group", "")
    room = await _whole_room(request, group)
    text = to_markdown(room, templates(request).language_of_export, group)
    name = f"workshop-{room.created}-{room.code}{'-' + group if group else ''}.md"
    disposition = "inline" if "inline" in request.query_params else f'attachment; filename="{name}"'
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


async def archive(request: Request) -> Response:
    """The complete workshop as a versioned JSON archive."""
    room = await _whole_room(request)
    body = json.dumps(to_archive(room), ensure_ascii=False, indent=1)
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="workshop-{room.created}-{room.code}.json"',
            "Cache-Control": "no-store",
        },
    )
