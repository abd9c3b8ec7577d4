"""A follow-up workshop over HTTP: from the console of the last one (while it lives), or from its JSON archive (it
may have expired months ago). Either way a new room with only the open action items, and this browser on to its
console as its facilitator; counted as a restore (the same limit)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .. import room_commands
from ..archive import from_archive
from ..domain.errors import N_, ROOM_NOT_FOUND, NotFound
from ..domain.rooms import Room
from ..domain.visibility import require_main_facilitator
from ..followup import follow_up
from . import limits
from .limits import spend
from .requests import actor, code, store, templates
from .rooms import uploaded_archive, welcome_facilitator

FIRST_GROUP = N_("Arbeitsgruppe %(n)s")


async def page(request: Request) -> Response:
    """The form to start a follow-up workshop from an archive."""
    return HTMLResponse(templates(request).render("follow_up.html", here="/follow-up"))


async def from_room(request: Request) -> Response:
    """A follow-up of this room, from its console (the main facilitator's, as its whole archive is)."""
    room_code = code(request)
    require_main_facilitator(await actor(request, room_code))
    await spend(request, "restores", limits.RESTORES)
    last = await store(request).load(room_code, everything=True)
    if last is None:
        raise NotFound(ROOM_NOT_FOUND)
    return await _open(request, last)


async def from_upload(request: Request) -> Response:
    """A follow-up from the JSON archive of the last workshop; nothing is created if the file is not one."""
    await spend(request, "restores", limits.RESTORES)
    archive = await uploaded_archive(request)
    return await _open(request, from_archive(archive, "ARCHIVED"))


async def _open(request: Request, last: Room) -> Response:
    translate = templates(request).gettext.gettext
    group = translate(FIRST_GROUP) % {"n": 1}
    room, token = await room_commands.restore_room(store(request), lambda new: follow_up(last, new, translate, group))
    return await welcome_facilitator(request, room, token)
