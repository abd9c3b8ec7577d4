"""Preparing a workshop over HTTP: the console saves the workshop as a template (workshop/prepared/)."""

from __future__ import annotations

import json
import re

from starlette.requests import Request
from starlette.responses import Response

from .. import prepared
from ..domain.errors import ROOM_NOT_FOUND, NotFound
from ..domain.visibility import require_main_facilitator
from .requests import actor, code, store


async def template(request: Request) -> Response:
    """The workshop as a template, a JSON file the facilitator keeps: its groups and agendas, without people and
    results. The main facilitator's, like the whole archive."""
    room_code = code(request)
    require_main_facilitator(await actor(request, room_code))
    room = await store(request).load(room_code, everything=True)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    body = json.dumps(prepared.to_template(room), ensure_ascii=False, indent=1)
    name = re.sub(r"[^a-z0-9]+", "-", room.title.lower()).strip("-")[:60] or "workshop"
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="vorlage-{name}.json"', "Cache-Control": "no-store"},
    )
