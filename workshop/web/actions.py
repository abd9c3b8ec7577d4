"""Commands over HTTP: /r/CODE/<path> runs the command of that path for the cookie's actor, with the fields its
`Command` record reads from the form (htmx forms, which also work without JavaScript).

An htmx request is answered with the asker's live regions, swapped out of band, so the asker sees the result even
before the socket pushes it; a plain form post is redirected back to its page. Errors answer with a notice
(web/errors.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import room_commands
from ..activities.actions import commands as action_commands
from ..commands import Call, Command, Said
from ..domain.errors import ROOM_NOT_FOUND, NotFound
from ..domain.rooms import Room
from ..domain.visibility import answer_viewer
from ..kinds import KINDS
from .requests import actor, code, form, is_htmx, language, languages, store, templates
from .views import LIVE, Snapshot

# Every command: the room's own, then each kind's. A path names one command; two kinds claiming one is a bug.
COMMANDS: dict[str, Command] = dict(room_commands.COMMANDS) | action_commands.COMMANDS  # action items: any kind's
for _kind in KINDS.values():
    assert not COMMANDS.keys() & _kind.commands.keys(), f"{_kind.name} claims a path another command has"
    COMMANDS.update(_kind.commands)


def endpoint(path: str, command: Command) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that runs one command and answers with the asker's live regions: those of the page the request
    came from (htmx names it), a group's console or a phone. A command that returns the room as it left it is
    answered from that room, with the regions its record names (a vote answers with the voter's own card only)."""

    async def run(request: Request) -> Response:
        room_code = code(request)
        data = await form(request)
        who = await actor(request, room_code)
        once = data.get("once", "")[:64]  # the form's own key for this action (static/app.js), if it sent one
        call = Call(store(request), who, room_code, templates(request).gettext.gettext, once and f"{path}:{once}")
        result = await command(call, data)
        if not is_htmx(request):
            return RedirectResponse(f"/r/{room_code}/facilitate" if who.facilitates_any else f"/r/{room_code}", 303)
        room = result if isinstance(result, Room) else await store(request).load(room_code)
        if room is None:
            raise NotFound(ROOM_NOT_FOUND)
        page_url = urlsplit(request.headers.get("hx-current-url", ""))
        group = dict(parse_qsl(page_url.query)).get("group", "")
        viewer = answer_viewer(room, who, on_console=page_url.path.endswith("/facilitate"), group=group)
        snapshot = Snapshot(room, languages(request))
        regions = {r: snapshot.region(r, viewer, language(request)) for r in command.answer or LIVE[viewer.kind]}
        if viewer.pid:  # the asker's phone has these now: its socket need not send them again
            request.app.state.feeds.delivered(room_code, viewer.pid, regions)
        said = result.text if isinstance(result, Said) else ""  # what an import added and left out, say
        return HTMLResponse("".join(regions.values()) + templates(request).render("_notice.html", message=said))

    return run
