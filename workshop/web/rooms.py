"""Rooms as a whole over HTTP: open one (new, or from an archive), delete it, and the secret facilitator links."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .. import links, prepared, room_commands
from ..archive import BROKEN
from ..commands import Call
from ..domain.errors import N_, ROOM_NOT_FOUND, Invalid, NotFound
from ..domain.rooms import Room
from . import limits, untrusted
from .limits import spend
from .requests import actor, base_url, code, cookies, form, is_htmx, language, store, templates

MAX_ARCHIVE_BYTES = 2 * 1024 * 1024
ARCHIVE_DEPTH = 32  # a real archive nests 7 levels deep
TOO_DEEP = N_("Diese Datei ist zu tief verschachtelt für ein Workshop-Archiv (höchstens {depth} Ebenen).")


async def _call(request: Request, room_code: str) -> Call:
    return Call(store(request), await actor(request, room_code), room_code)


async def create(request: Request) -> Response:
    await spend(request, "rooms", limits.ROOMS)
    data = await form(request)
    return await open_room(request, {"title": data.get("title"), "ask_org": "ask_org" in data})


async def open_room(request: Request, options: dict[str, Any]) -> Response:
    """A new room with the title (and options) asked for, and this browser on to its console as its facilitator;
    also right after a facilitator's sign-in (web/signin.py)."""
    first_group = templates(request).gettext.gettext(room_commands.FIRST_GROUP) % {"n": 1}
    room, token = await room_commands.create_room(
        store(request),
        options.get("title"),
        ask_org=bool(options.get("ask_org")),
        group_name=first_group,
        language=language(request),
    )
    return await welcome_facilitator(request, room, token)


async def rehearse(request: Request) -> Response:
    """A rehearsal room ("Probelauf", workshop/demo): the example workshop with simulated people, and this browser on
    to its console. A process runs only so many at once; one more is refused with a sentence that says so."""
    await spend(request, "rooms", limits.ROOMS)
    room, token = await request.app.state.rehearsals.open(here(request), language=language(request))
    return await welcome_facilitator(request, room, token)


def here(request: Request) -> str:
    """This process's own address, as the request reached it: where a rehearsal's simulated phones connect (behind a
    proxy too: they talk to the process that runs them)."""
    server = request.scope.get("server")
    if not server or server[1] is None:
        return str(request.base_url).rstrip("/")
    host, port = server
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def restore(request: Request) -> Response:
    """A new room from a JSON archive or a template (uploaded on the start page); nothing is created if the file is
    neither."""
    await spend(request, "restores", limits.RESTORES)
    archive = await uploaded_archive(request)
    room, token = await room_commands.restore_room(store(request), lambda new: prepared.room_from(archive, new))
    return await welcome_facilitator(request, room, token)


async def uploaded_archive(request: Request) -> Any:
    """The JSON of the file uploaded as `archive` (None if it is no JSON), read with limits on its size and depth."""
    if int(request.headers.get("content-length") or 0) > MAX_ARCHIVE_BYTES:
        raise Invalid(N_("Die Datei ist zu groß für ein Workshop-Archiv."))
    data = await request.form(max_files=1, max_fields=5, max_part_size=MAX_ARCHIVE_BYTES)
    upload = data.get("archive")
    if not isinstance(upload, UploadFile):
        raise Invalid(BROKEN)
    raw = await upload.read(MAX_ARCHIVE_BYTES + 1)
    try:
        return untrusted.loads(raw, max_depth=ARCHIVE_DEPTH) if len(raw) <= MAX_ARCHIVE_BYTES else None
    except untrusted.TooDeep:
        raise Invalid(TOO_DEEP, depth=ARCHIVE_DEPTH) from None
    except ValueError:
        return None


async def from_template(request: Request) -> Response:
    """A new room from one of the built-in templates (workshop/prepared/), with the title typed, else the
    template's own; nobody is in it yet."""
    await spend(request, "rooms", limits.ROOMS)
    data = await form(request)
    template = prepared.built_in(data.get("template", "")).read()
    title = data.get("title", "").strip() or None
    room, token = await room_commands.restore_room(
        store(request), lambda new: prepared.room_from(template, new, title=title)
    )
    return await welcome_facilitator(request, room, token)


async def delete(request: Request) -> Response:
    """Delete the room at once (after the facilitator typed its code); its code then answers like an unknown one."""
    room_code = code(request)
    data = await form(request)
    await room_commands.delete_room(await _call(request, room_code), confirm=data.get("confirm", ""))
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": "/?deleted=1"})
    return RedirectResponse("/?deleted=1", status_code=303)


async def new_facilitator_link(request: Request) -> Response:
    """Replace a lost or leaked facilitator link; the console shows the new one once. Every other device that came
    in through the old link is signed out; this one stays in, under the new link's generation."""
    room_code = code(request)
    token, generation = await room_commands.new_facilitator_link(await _call(request, room_code))
    response = _show_link_once(_back(request, f"/r/{room_code}/facilitate"), request, room_code, token)
    return await _facilitating(request, response, room_code, generation)


async def sign_out_others(request: Request) -> Response:
    """Sign out every other device that facilitates this room or one of its groups; this one stays in."""
    room_code = code(request)
    generation = await room_commands.sign_out_others(await _call(request, room_code))
    return await _facilitating(request, _back(request, f"/r/{room_code}/facilitate"), room_code, generation)


async def new_group_link(request: Request) -> Response:
    """A facilitator link of a group's own; the main console shows it once, to be handed to that group."""
    room_code = code(request)
    group = (await form(request)).get("group", "")
    token = await room_commands.new_group_link(await _call(request, room_code), group=group)
    back = _back(request, f"/r/{room_code}/facilitate?group={group}")
    return _show_link_once(back, request, room_code, token, group)


async def open_link(request: Request) -> Response:
    """A secret facilitator link: whoever opens it facilitates this room (or, with a group's link, that group) on
    that device."""
    room_code = code(request)
    opened = await links.open_link(store(request), room_code, request.path_params["token"])
    if opened is None:
        raise NotFound(ROOM_NOT_FOUND)  # the same answer as an unknown code
    group, generation = opened
    response = RedirectResponse(f"/r/{room_code}/facilitate" + (f"?group={group}" if group else ""), status_code=303)
    return await _facilitating(request, response, room_code, generation, group)


async def _facilitating(
    request: Request, response: Response, room_code: str, generation: int, group: str = ""
) -> Response:
    """This device facilitates the room (or a group) under the link of this generation: stamped into its cookie,
    and on the console's list of devices."""
    identity = cookies(request).read(request)
    device = identity.facilitate(room_code, generation, group)
    await links.seen(store(request), room_code, device, [(group, generation)])
    cookies(request).write(response, identity)
    return response


def _back(request: Request, url: str) -> Response:
    if is_htmx(request):  # htmx would follow a 303 itself and throw the page (and the one-time link) away
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _show_link_once(response: Response, request: Request, room_code: str, token: str, group: str = "") -> Response:
    """The console shows the secret link on its next visit only; the token waits in a short, narrow cookie."""
    response.set_cookie(
        f"facg_{room_code}" if group else f"fac_{room_code}",
        f"{group}~{token}" if group else token,
        max_age=300,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.https,
        path=f"/r/{room_code}/facilitate",
    )
    return response


async def welcome_facilitator(request: Request, room: Room, token: str) -> Response:
    """On to the new room's console, as its facilitator; the secret link is shown there once."""
    response = _show_link_once(
        RedirectResponse(f"/r/{room.code}/facilitate", status_code=303), request, room.code, token
    )
    generation = (await links.generations(store(request), room.code, ())).main
    return await _facilitating(request, response, room.code, generation)


def link_shown_once(request: Request, room_code: str) -> tuple[str | None, tuple[str, str] | None]:
    """The secret links to show on the console now (right after they were made), as (main link, (group, link))."""
    token = request.cookies.get(f"fac_{room_code}")
    link = f"{base_url(request)}/r/{room_code}/facilitate/{token}" if token else None
    group_token = request.cookies.get(f"facg_{room_code}", "")
    group_link = None
    if "~" in group_token:
        gid, secret = group_token.split("~", 1)
        group_link = (gid, f"{base_url(request)}/r/{room_code}/facilitate/{secret}")
    return link, group_link
