"""The pages: start, join, a phone, the projector, the console, and the privacy page. Each room page is rendered
with the same live regions its socket pushes later (web/views.py)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import links, room_commands
from ..commands import Call
from ..demo import cast, rehearsals
from ..domain import codes, visibility
from ..domain.errors import ROOM_NOT_FOUND, NotFound
from ..domain.rooms import Room
from ..domain.visibility import Viewer
from .qr import qr_svg
from .requests import (
    actor,
    actor_now,
    base_url,
    code,
    cookies,
    form,
    language,
    languages,
    page,
    store,
    templates,
    unknown_room,
)
from .rooms import link_shown_once
from .sessions import new_device
from .templating import LANGUAGE_COOKIE
from .views import Snapshot, language_of


async def _room(request: Request) -> Room:
    room = await store(request).load(code(request))
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    return room


async def start(request: Request) -> Response:
    rehearsals = request.app.state.settings.rehearsals > 0
    return page(request, "start.html", deleted="deleted" in request.query_params, rehearsals=rehearsals)


async def privacy(request: Request) -> Response:
    ttl = request.app.state.settings.room_ttl
    hours = ttl < 86400  # a short TTL is said in hours, not as "0 Tage"
    amount = ttl / 3600 if hours else ttl / 86400
    return page(
        request,
        "privacy.html",
        ttl_hours=hours,
        ttl=round(amount, 1),
        ttl_text=templates(request).number(amount),
        contact=request.app.state.settings.contact,
    )


async def accessibility(request: Request) -> Response:
    """The accessibility statement BITV 2.0 asks of public bodies, with the operator's feedback contact."""
    return page(request, "accessibility.html", contact=request.app.state.settings.contact)


async def join_form(request: Request) -> Response:
    """/join: type the code. With ?code=… it checks the code and goes on to the room's join page."""
    typed = request.query_params.get("code")
    if typed is None:
        return page(request, "join_code.html", typed="", error=None)
    room_code = codes.normalize(typed)
    if room_code and await store(request).exists(room_code):
        return RedirectResponse(f"/j/{room_code}", status_code=303)
    unknown_room(request)
    message = templates(request).gettext.gettext(ROOM_NOT_FOUND)
    return page(request, "join_code.html", status=404, typed=typed, error=message)


async def join_page(request: Request) -> Response:
    """/j/CODE, the address in the QR code: name, organisation (if asked), observer or not."""
    room = await _room(request)
    if visibility.phone(room, await actor(request, room.code)) is not None:
        return RedirectResponse(f"/r/{room.code}", status_code=303)
    return page(request, "join.html", room=room, pid=codes.new_id(), chosen=request.query_params.get("group", ""))


async def join(request: Request) -> Response:
    room_code = code(request)
    data = await form(request)
    identity = cookies(request).read(request)
    # One id per browser and room; the form's id makes a double submit (two taps, a retry) land on one participant.
    pid = identity.participant.get(room_code) or data.get("pid", "")
    if not 16 <= len(pid) <= 40 or not pid.replace("-", "").replace("_", "").isalnum():
        pid = codes.new_id()
    person = await room_commands.join(
        Call(store(request), await actor(request, room_code), room_code),
        pid=pid,
        name=data.get("name"),
        org=data.get("org"),
        observer="observer" in data,
        group=data.get("group", ""),
    )
    identity.join(room_code, person.id)
    response = RedirectResponse(f"/r/{room_code}", status_code=303)
    cookies(request).write(response, identity)
    return response


async def phone(request: Request) -> Response:
    room = await _room(request)
    viewer = visibility.phone(room, await actor(request, room.code))
    if viewer is None:
        return RedirectResponse(f"/j/{room.code}", status_code=303)
    response = _room_page(request, "phone.html", room, viewer, person=room.participants[viewer.pid or ""])
    cookies(request).write(response, cookies(request).read(request))  # renew: active rooms keep their people
    return response


async def projector(request: Request) -> Response:
    """The projector of the room (the overview of all groups, or the group the main facilitator puts on it), or with
    ?group= of one group, for that group's facilitators: its join link names the group, so people scanning there
    land in it."""
    room = await _room(request)
    group = request.query_params.get("group", "")
    viewer = visibility.projector(room, await actor(request, room.code), group)
    join_url = f"{base_url(request)}/j/{room.code}" + (f"?group={group}" if group else "")
    return _room_page(
        request,
        "projector.html",
        room,
        viewer,
        join_url=join_url,
        qr=qr_svg(join_url),
        join_host=urlsplit(join_url).netloc,
        group=group,
    )


async def facilitate(request: Request) -> Response:
    """The console of one group (?group=): the main facilitator's for any group, a group facilitator's for theirs."""
    room = await _room(request)
    identity = cookies(request).read(request)
    claims = identity.claims(room.code)
    who = await actor_now(store(request), room.code, claims)
    viewer = visibility.console(room, who, request.query_params.get("group", ""))
    # This device is on the console's list of facilitator devices, seen today (the links it facilitates through).
    mine = [("", claims.main)] if who.facilitator and claims.main is not None else []
    mine += [(group, n) for group, n in claims.groups.items() if group in who.groups]
    device = identity.device = identity.device or new_device()
    await links.seen(store(request), room.code, device, mine)
    devices = []
    if viewer.everywhere:
        now = await links.generations(store(request), room.code, [g.id for g in room.groups])
        devices = await links.devices(store(request), room.code, now)
    link, group_link = link_shown_once(request, room.code)
    rehearsal_ends = await rehearsals.ends(store(request), room.code)
    named = next((g.name for g in room.groups if group_link and g.id == group_link[0]), "")
    response = _room_page(
        request,
        "facilitator.html",
        room,
        viewer,
        facilitator_link=link,
        group_link=(named, group_link[1]) if group_link and named else None,
        join_url=f"{base_url(request)}/j/{room.code}",
        everywhere=viewer.everywhere,
        devices=devices,
        this_device=device,
        rehearsal_left=None if rehearsal_ends is None else max(0, rehearsal_ends - int(time.time() * 1000)) // 60_000,
        rehearsal_mark=languages(request)[room.language].gettext.gettext(cast.MARK),  # as the names say it
    )
    for shown in (f"fac_{room.code}", f"facg_{room.code}"):
        if shown in request.cookies:
            response.delete_cookie(shown, path=f"/r/{room.code}/facilitate")
    cookies(request).write(response, identity)  # renew while the room is in use
    return response


def _room_page(request: Request, template: str, room: Room, viewer: Viewer, **context: Any) -> HTMLResponse:
    snapshot = Snapshot(room, languages(request))
    lang = language_of(room, viewer, language(request))
    # Our own rendered templates, placed into the page as they are.
    regions = {k: Markup(v) for k, v in snapshot.regions(viewer, lang).items()}  # noqa: S704
    now_ms = int(time.time() * 1000)  # the browser's clock may be off: countdowns correct by this
    shown = snapshot.context(viewer, visibility.scope(room, viewer))
    return page(
        request,
        template,
        lang=lang,
        room=room,
        view=shown["view"] or room.view(),
        viewer=viewer,
        regions=regions,
        now_ms=now_ms,
        **context,
    )


async def set_language(request: Request) -> Response:
    """The language switch of every page: the browser keeps its choice in a cookie; the main facilitator's choice,
    made on the console, is the projector's too."""
    data = await form(request)
    chosen = data.get("lang", "")
    back = data.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if chosen not in languages(request).by_code:
        return response
    room_code = codes.normalize(data.get("code", ""))
    if room_code and await store(request).exists(room_code):
        await room_commands.set_language(
            Call(store(request), await actor(request, room_code), room_code), language=chosen
        )
    response.set_cookie(
        LANGUAGE_COOKIE,
        chosen,
        max_age=365 * 86400,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.https,
    )
    return response
