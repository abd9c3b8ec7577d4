"""HTTP: the pages, and the commands posted from them (htmx forms that also work without JavaScript).

A command answers an htmx request with the asker's live regions, swapped out of band, so the asker sees the result
even before the socket pushes it; a plain form post is redirected back to its page. Errors answer with a notice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import redis
from markupsafe import Markup
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from .. import board_commands, commands, estimate_commands, idea_commands
from ..commands import Actor
from ..domain import codes
from ..domain.archive import BROKEN, to_archive
from ..domain.errors import N_, ROOM_NOT_FOUND, DomainError, Forbidden, Invalid, NotFound
from ..domain.export import to_markdown
from ..domain.poker import DECK_NAMES, DECKS
from ..domain.rooms import Room
from ..store import Store
from .qr import qr_svg
from .sessions import Cookies
from .templating import Templates
from .views import LIVE, Snapshot, Viewer

MAX_FORM_BYTES = 16 * 1024
GROUP_PROJECTOR = N_("Den Beamer einer Arbeitsgruppe öffnet ihre Moderation, über die Konsole.")
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _templates(request: Request) -> Templates:
    return request.app.state.templates  # type: ignore[no-any-return]


def _cookies(request: Request) -> Cookies:
    return request.app.state.cookies  # type: ignore[no-any-return]


def _code(request: Request) -> str:
    code = codes.normalize(request.path_params["code"])
    if code is None:
        raise NotFound(ROOM_NOT_FOUND)
    return code


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def base_url(request: Request) -> str:
    return request.app.state.settings.public_url or str(request.base_url).rstrip("/")


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates(request).render(template, **context), status_code=status)


async def _form(request: Request) -> dict[str, str]:
    """The posted form (urlencoded, as htmx and plain forms send it), read up to a limit whatever the framing."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise Invalid(N_("Die Eingabe ist zu groß."))
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Invalid(N_("Die Anfrage ist unvollständig. Bitte die Seite neu laden.")) from None


# -- pages ------------------------------------------------------------------------------------------------------


async def start(request: Request) -> Response:
    return page(request, "start.html", deleted="deleted" in request.query_params)


async def privacy(request: Request) -> Response:
    ttl = request.app.state.settings.room_ttl
    hours = ttl < 86400  # a short TTL is said in hours, not as "0 Tage"
    amount = ttl / 3600 if hours else ttl / 86400
    return page(
        request, "privacy.html", ttl_hours=hours, ttl=round(amount, 1), ttl_text=_templates(request).number(amount)
    )


async def _whole_room(request: Request, group: str = "") -> Room:
    """The room with every activity's details, for its facilitator (the exports); a group's facilitator may take
    their group's part."""
    code = _code(request)
    actor = _cookies(request).read(request).actor(code)
    if not (actor.facilitates(group) if group else actor.facilitator):
        raise Forbidden(N_("Das darf nur die Moderation."))
    room = await _store(request).load(code, everything=True)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    if group:
        room.group_by_id(group)
    return room


async def export_markdown(request: Request) -> Response:
    """The whole workshop (or one group) as Markdown minutes, for the facilitator, at any moment of the session."""
    group = request.query_params.get("group", "")
    room = await _whole_room(request, group)
    code = room.code
    markdown = to_markdown(room, _templates(request).language_of_export, group)
    name = f"workshop-{room.created}-{code}{'-' + group if group else ''}.md"
    disposition = "inline" if "inline" in request.query_params else f'attachment; filename="{name}"'
    return Response(
        markdown,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


async def delete_room(request: Request) -> Response:
    """Delete the room at once (after the facilitator typed its code); its code then answers like an unknown one."""
    code = _code(request)
    form = await _form(request)
    await commands.delete_room(
        _store(request), _cookies(request).read(request).actor(code), code, form.get("confirm", "")
    )
    response = Response(status_code=204) if is_htmx(request) else RedirectResponse("/?deleted=1", status_code=303)
    if is_htmx(request):
        response.headers["HX-Redirect"] = "/?deleted=1"
    return response


async def healthz(request: Request) -> Response:
    try:
        await _store(request).redis.ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return PlainTextResponse("redis unreachable", status_code=503)
    return PlainTextResponse("ok")


async def create_room(request: Request) -> Response:
    form = await _form(request)
    first_group = _templates(request).gettext.gettext(N_("Arbeitsgruppe %(n)s")) % {"n": 1}
    room, token = await commands.create_room(
        _store(request), form.get("title"), ask_org="ask_org" in form, group_name=first_group
    )
    return _welcome_facilitator(request, room, token)


async def restore_room(request: Request) -> Response:
    """A new room from a JSON archive (uploaded on the start page); nothing is created if the file is not one."""
    if int(request.headers.get("content-length") or 0) > MAX_ARCHIVE_BYTES:
        raise Invalid(N_("Die Datei ist zu groß für ein Workshop-Archiv."))
    form = await request.form(max_files=1, max_fields=5, max_part_size=MAX_ARCHIVE_BYTES)
    upload = form.get("archive")
    if not isinstance(upload, UploadFile):
        raise Invalid(BROKEN)
    raw = await upload.read(MAX_ARCHIVE_BYTES + 1)
    try:
        data = json.loads(raw) if len(raw) <= MAX_ARCHIVE_BYTES else None
    except ValueError:
        data = None
    room, token = await commands.restore_room(_store(request), data)
    return _welcome_facilitator(request, room, token)


async def new_facilitator_link(request: Request) -> Response:
    """Replace a lost or leaked facilitator link; the console shows the new one once."""
    code = _code(request)
    actor = _cookies(request).read(request).actor(code)
    token = await commands.new_facilitator_link(_store(request), actor, code)
    if is_htmx(request):  # htmx would follow a 303 itself and throw the page (and the one-time link) away
        response: Response = Response(status_code=204, headers={"HX-Redirect": f"/r/{code}/facilitate"})
    else:
        response = RedirectResponse(f"/r/{code}/facilitate", status_code=303)
    return _show_link_once(response, request, code, token)


async def new_group_link(request: Request) -> Response:
    """A facilitator link of a group's own; the main console shows it once, to be handed to that group."""
    code = _code(request)
    form = await _form(request)
    group = form.get("group", "")
    token = await commands.new_group_link(_store(request), _cookies(request).read(request).actor(code), code, group)
    back = f"/r/{code}/facilitate?group={group}"
    if is_htmx(request):
        response: Response = Response(status_code=204, headers={"HX-Redirect": back})
    else:
        response = RedirectResponse(back, status_code=303)
    return _show_link_once(response, request, code, token, group)


def _show_link_once(response: Response, request: Request, code: str, token: str, group: str = "") -> Response:
    """The console shows the secret link on its next visit only; the token waits in a short, narrow cookie."""
    response.set_cookie(
        f"facg_{code}" if group else f"fac_{code}",
        f"{group}~{token}" if group else token,
        max_age=300,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.https,
        path=f"/r/{code}/facilitate",
    )
    return response


def _welcome_facilitator(request: Request, room: Room, token: str) -> Response:
    """On to the new room's console, as its facilitator; the secret link is shown there once."""
    identity = _cookies(request).read(request)
    identity.facilitate(room.code)
    response = _show_link_once(
        RedirectResponse(f"/r/{room.code}/facilitate", status_code=303), request, room.code, token
    )
    _cookies(request).write(response, identity)
    return response


async def export_json(request: Request) -> Response:
    """The complete workshop as a versioned JSON archive, for the facilitator; it restores into a new room."""
    room = await _whole_room(request)
    code = room.code
    body = json.dumps(to_archive(room), ensure_ascii=False, indent=1)
    return Response(
        body,
        media_type="application/json; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="workshop-{room.created}-{code}.json"',
            "Cache-Control": "no-store",
        },
    )


async def join_form(request: Request) -> Response:
    """/join: type the code. With ?code=… it checks the code and goes on to the room's join page."""
    typed = request.query_params.get("code")
    if typed is None:
        return page(request, "join_code.html", typed="", error=None)
    code = codes.normalize(typed)
    if code and await _store(request).exists(code):
        return RedirectResponse(f"/j/{code}", status_code=303)
    message = _templates(request).gettext.gettext(ROOM_NOT_FOUND)
    return page(request, "join_code.html", status=404, typed=typed, error=message)


async def join_room(request: Request) -> Response:
    """/j/CODE, the address in the QR code: name, organisation (if asked), observer or not."""
    code = _code(request)
    room = await commands.load(_store(request), code)
    identity = _cookies(request).read(request)
    if identity.participant.get(code) in room.participants:
        return RedirectResponse(f"/r/{code}", status_code=303)
    return page(request, "join.html", room=room, pid=codes.new_id(), chosen=request.query_params.get("group", ""))


async def join(request: Request) -> Response:
    code = _code(request)
    form = await _form(request)
    identity = _cookies(request).read(request)
    # One id per browser and room; the form's id makes a double submit (two taps, a retry) land on one participant.
    pid = identity.participant.get(code) or form.get("pid", "")
    if not 16 <= len(pid) <= 40 or not pid.replace("-", "").replace("_", "").isalnum():
        pid = codes.new_id()
    person = await commands.join(
        _store(request), code, pid, form.get("name"), form.get("org"), "observer" in form, form.get("group", "")
    )
    identity.join(code, person.id)
    response = RedirectResponse(f"/r/{code}", status_code=303)
    _cookies(request).write(response, identity)
    return response


async def phone(request: Request) -> Response:
    code = _code(request)
    room = await commands.load(_store(request), code)
    pid = _cookies(request).read(request).participant.get(code)
    person = room.participants.get(pid or "")
    if person is None:
        return RedirectResponse(f"/j/{code}", status_code=303)
    viewer = Viewer(person.role.value, person.id)
    response = _room_page(
        request, "phone.html", room.for_group(room.group_of_person(person.id).id), viewer, person=person
    )
    _cookies(request).write(response, _cookies(request).read(request))  # renew: active rooms keep their people
    return response


async def projector(request: Request) -> Response:
    """The projector of the room (the overview of all groups, or the group the main facilitator puts on it), or with
    ?group= of one group, for that group's facilitators: its join link names the group, so people scanning there
    land in it. A participant of another group cannot read the group's activities there."""
    room = await commands.load(_store(request), _code(request))
    group = request.query_params.get("group", "")
    if group:
        room.group_by_id(group)
        if not _cookies(request).read(request).actor(room.code).facilitates(group):
            raise Forbidden(GROUP_PROJECTOR)
    join_url = f"{base_url(request)}/j/{room.code}" + (f"?group={group}" if group else "")
    return _room_page(
        request,
        "projector.html",
        room,
        Viewer("projector", group=group),
        join_url=join_url,
        qr=qr_svg(join_url),
        join_host=urlsplit(join_url).netloc,
        group=group,
    )


async def facilitate(request: Request) -> Response:
    """The console of one group (?group=): the main facilitator's for any group, a group facilitator's for theirs."""
    code = _code(request)
    room = await commands.load(_store(request), code)
    actor = _cookies(request).read(request).actor(code)
    if not actor.facilitates_any:
        raise Forbidden(N_("Diese Seite ist nur über den Moderationslink erreichbar."))
    group = console_group(room, actor, request.query_params.get("group", ""))
    token = request.cookies.get(f"fac_{code}")  # shown once, right after the room was created
    link = f"{base_url(request)}/r/{code}/facilitate/{token}" if token else None
    group_link = None
    group_token = request.cookies.get(f"facg_{code}", "")  # shown once, right after it was made
    if "~" in group_token:
        gid, secret = group_token.split("~", 1)
        named = next((g.name for g in room.groups if g.id == gid), "")
        group_link = (named, f"{base_url(request)}/r/{code}/facilitate/{secret}") if named else None
    response = _room_page(
        request,
        "facilitator.html",
        room.for_group(group),
        Viewer("facilitator", group=group, everywhere=actor.facilitator),
        facilitator_link=link,
        group_link=group_link,
        join_url=f"{base_url(request)}/j/{code}",
        decks=list(DECKS) + ["custom"],
        deck_names=DECK_NAMES,
        everywhere=actor.facilitator,
    )
    if token:
        response.delete_cookie(f"fac_{code}", path=f"/r/{code}/facilitate")
    if group_token:
        response.delete_cookie(f"facg_{code}", path=f"/r/{code}/facilitate")
    _cookies(request).write(response, _cookies(request).read(request))  # renew while the room is in use
    return response


async def facilitator_link(request: Request) -> Response:
    """A secret facilitator link: whoever opens it facilitates this room (or, with a group's link, that group)
    on that device."""
    code = _code(request)
    token = request.path_params["token"]
    store = _store(request)
    group = ""
    if not await store.is_facilitator_token(code, token):
        group = await store.group_of_token(code, token) or ""
        if not group:
            raise NotFound(ROOM_NOT_FOUND)  # the same answer as an unknown code
    identity = _cookies(request).read(request)
    identity.facilitate(code, group)
    response = RedirectResponse(f"/r/{code}/facilitate" + (f"?group={group}" if group else ""), status_code=303)
    _cookies(request).write(response, identity)
    return response


def _room_page(request: Request, template: str, room: Room, viewer: Viewer, **context: Any) -> HTMLResponse:
    # Our own rendered templates, placed into the page as they are.
    regions = {k: Markup(v) for k, v in Snapshot(room, _templates(request)).regions(viewer).items()}  # noqa: S704
    now_ms = int(time.time() * 1000)  # the browser's clock may be off: countdowns correct by this
    return page(request, template, room=room, view=viewer.kind, regions=regions, now_ms=now_ms, **context)


# -- commands ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One posted command: who asks (from the cookie), in which room, with which form, in which language."""

    store: Store
    actor: Actor
    code: str
    form: dict[str, str]
    translate: Callable[[str], str]

    def get(self, key: str, default: str = "") -> str:
        return self.form.get(key, default)

    def flag(self, key: str) -> bool:
        return key in self.form

    def number(self, key: str) -> int:
        return _int(self.form.get(key))


Command = Callable[[Call], Awaitable[object]]


def command(run: Command, *, answer: tuple[str, ...] = ()) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that runs one command for the cookie's actor and answers with the asker's live regions.

    The regions are those of the page the request came from (htmx names it): the console of a group, or a phone.
    A command that returns the room as it left it is answered from that room, with the regions in `answer` only
    (a vote answers with the voter's own card; the socket brings the rest, no reload per vote).
    """

    async def endpoint(request: Request) -> Response:
        code = _code(request)
        form = await _form(request)
        actor = _cookies(request).read(request).actor(code)
        result = await run(Call(_store(request), actor, code, form, _templates(request).gettext.gettext))
        if not is_htmx(request):
            back = f"/r/{code}/facilitate" if actor.facilitates_any else f"/r/{code}"
            return RedirectResponse(back, status_code=303)
        room = result if isinstance(result, Room) else await commands.load(_store(request), code)
        page_url = urlsplit(request.headers.get("hx-current-url", ""))
        console_group = dict(parse_qsl(page_url.query)).get("group", "")
        viewer = viewer_of(room, actor, on_console=page_url.path.endswith("/facilitate"), group=console_group)
        snapshot = Snapshot(room, _templates(request))
        regions = [snapshot.region(r, viewer) for r in answer or LIVE[viewer.kind]]
        return HTMLResponse("".join(regions) + _templates(request).render("_notice.html", message=""))

    return endpoint


def viewer_of(room: Room, actor: Actor, *, on_console: bool, group: str = "") -> Viewer:
    """The view a request's answer is rendered for: the console of the group it came from, or the asker's phone."""
    person = room.participants.get(actor.pid or "")
    if actor.facilitates_any and (on_console or person is None):
        return Viewer("facilitator", group=console_group(room, actor, group), everywhere=actor.facilitator)
    if person is not None:
        return Viewer(person.role.value, person.id)
    return Viewer("projector")


def console_group(room: Room, actor: Actor, wanted: str) -> str:
    """The group a console shows: the one asked for if the actor facilitates it, else the first they do."""
    ids = [g.id for g in room.groups]
    if wanted in ids and actor.facilitates(wanted):
        return wanted
    mine = next((g for g in ids if actor.facilitates(g)), None)
    if mine is None:  # a group's facilitator whose group was deleted
        raise Forbidden(N_("Diese Seite ist nur über den Moderationslink erreichbar."))
    return mine


def _theme_board(c: Call) -> Awaitable[object]:
    return board_commands.board_from_theme(
        c.store,
        c.actor,
        c.code,
        c.get("activity"),
        c.get("theme"),
        c.get("template", "deep-dive"),
        translate=c.translate,
    )


ANSWERS = {"vote": ("mine",)}  # a vote answers with the voter's own card only
NEW_THEME = "new"  # the place a card is dropped on to make a theme of it
NEW_THEME_TITLE = N_("Neues Thema")  # only when a form sends no title; the pages send the translated default


# Path under /r/CODE/ → what it does. Every one answers like any other command.
COMMANDS: dict[str, Command] = {
    # the room and its groups
    "options": lambda c: commands.set_options(
        c.store,
        c.actor,
        c.code,
        ask_org=c.flag("ask_org"),
        auto_reveal=c.flag("auto_reveal"),
        choose_group=c.flag("choose_group"),
    ),
    "groups": lambda c: commands.add_group(c.store, c.actor, c.code, c.get("name")),
    "groups/rename": lambda c: commands.rename_group(c.store, c.actor, c.code, c.get("group"), c.get("name")),
    "groups/delete": lambda c: commands.delete_group(c.store, c.actor, c.code, c.get("group")),
    "groups/project": lambda c: commands.project(c.store, c.actor, c.code, c.get("group")),
    "people/move": lambda c: commands.move_person(c.store, c.actor, c.code, c.get("person"), c.get("group")),
    "group": lambda c: commands.choose_group(c.store, c.actor, c.code, c.get("group")),
    # a group's agenda and timer
    "current": lambda c: commands.go_to(c.store, c.actor, c.code, c.get("item")),
    "agenda/move": lambda c: commands.move_activity(c.store, c.actor, c.code, c.get("item"), c.number("step")),
    "agenda/remove": lambda c: commands.remove_activity(c.store, c.actor, c.code, c.get("item")),
    "timer": lambda c: commands.timer(c.store, c.actor, c.code, c.get("group"), c.get("action"), c.get("minutes")),
    # estimates
    "items": lambda c: estimate_commands.add_item(
        c.store,
        c.actor,
        c.code,
        c.get("question"),
        c.get("deck"),
        c.get("cards"),
        start=c.flag("start"),
        group=c.get("group"),
    ),
    "reveal": lambda c: estimate_commands.reveal(c.store, c.actor, c.code, c.get("item"), c.number("round")),
    "round": lambda c: estimate_commands.new_round(c.store, c.actor, c.code, c.get("item"), c.number("round")),
    "vote": lambda c: estimate_commands.vote(
        c.store, c.actor, c.code, c.get("item"), c.number("round"), c.get("card"), c.get("reason")
    ),
    "vote-for": lambda c: estimate_commands.vote_for(
        c.store, c.actor, c.code, c.get("name"), c.get("item"), c.number("round"), c.get("card"), c.get("reason")
    ),
    # idea collections
    "ideas": lambda c: idea_commands.open_collection(
        c.store,
        c.actor,
        c.code,
        c.get("prompt"),
        show=c.get("show", "name"),
        hidden=c.flag("hidden"),
        participants_cluster=c.flag("participants_cluster"),
        start=c.flag("start"),
        group=c.get("group"),
    ),
    "ideas/options": lambda c: idea_commands.set_options(
        c.store,
        c.actor,
        c.code,
        c.get("activity"),
        posting_open=c.flag("posting_open"),
        participants_cluster=c.flag("participants_cluster"),
        show=c.get("show", "name"),
    ),
    "ideas/reveal": lambda c: idea_commands.reveal_cards(c.store, c.actor, c.code, c.get("activity")),
    "cards": lambda c: idea_commands.add_card(
        c.store, c.actor, c.code, c.get("activity"), c.get("text"), c.flag("anonymous")
    ),
    "cards/edit": lambda c: idea_commands.edit_card(
        c.store, c.actor, c.code, c.get("activity"), c.get("card"), c.get("text")
    ),
    "cards/delete": lambda c: idea_commands.delete_card(c.store, c.actor, c.code, c.get("activity"), c.get("card")),
    "cards/move": lambda c: _move_card(c),
    "themes": lambda c: idea_commands.new_theme(
        c.store,
        c.actor,
        c.code,
        c.get("activity"),
        c.get("title") or c.translate(NEW_THEME_TITLE),
        tuple(x for x in [c.get("card")] if x),
    ),
    "themes/rename": lambda c: idea_commands.rename_theme(
        c.store, c.actor, c.code, c.get("activity"), c.get("theme"), c.get("title")
    ),
    "themes/move": lambda c: idea_commands.move_theme(
        c.store, c.actor, c.code, c.get("activity"), c.get("theme"), c.get("before") or None
    ),
    "themes/merge": lambda c: idea_commands.merge_theme(
        c.store, c.actor, c.code, c.get("activity"), c.get("theme"), c.get("into")
    ),
    "dots/start": lambda c: idea_commands.start_voting(
        c.store,
        c.actor,
        c.code,
        c.get("activity"),
        c.get("dots", "3"),
        stack=c.flag("stack"),
        on=c.get("on", "themes"),
        hide_tally=c.flag("hide_tally"),
    ),
    "dots/close": lambda c: idea_commands.close_voting(c.store, c.actor, c.code, c.get("activity")),
    "dots/add": lambda c: idea_commands.dot(c.store, c.actor, c.code, c.get("activity"), c.get("target")),
    "dots/remove": lambda c: idea_commands.undot(c.store, c.actor, c.code, c.get("activity"), c.get("target")),
    # boards
    "boards": lambda c: board_commands.add_board(
        c.store,
        c.actor,
        c.code,
        c.get("title"),
        c.get("template", "deep-dive"),
        c.get("sections"),
        translate=c.translate,
        start=c.flag("start"),
        group=c.get("group"),
    ),
    "boards/from-theme": _theme_board,
    "entries": lambda c: board_commands.add_entry(
        c.store, c.actor, c.code, c.get("board"), c.get("section"), c.get("text")
    ),
    "entries/edit": lambda c: board_commands.edit_entry(
        c.store, c.actor, c.code, c.get("board"), c.get("entry"), c.get("text")
    ),
    "entries/delete": lambda c: board_commands.delete_entry(c.store, c.actor, c.code, c.get("board"), c.get("entry")),
    "entries/move": lambda c: board_commands.move_entry(
        c.store,
        c.actor,
        c.code,
        c.get("board"),
        c.get("entry"),
        step=_int(c.get("step", "0")),
        to=c.get("to"),
    ),
    "sections": lambda c: board_commands.add_section(c.store, c.actor, c.code, c.get("board"), c.get("title")),
    "sections/rename": lambda c: board_commands.rename_section(
        c.store, c.actor, c.code, c.get("board"), c.get("section"), c.get("title")
    ),
    "sections/move": lambda c: board_commands.move_section(
        c.store, c.actor, c.code, c.get("board"), c.get("section"), c.number("step")
    ),
    "sections/delete": lambda c: board_commands.delete_section(
        c.store, c.actor, c.code, c.get("board"), c.get("section")
    ),
    "estimate/start": lambda c: board_commands.start_estimate(
        c.store,
        c.actor,
        c.code,
        c.get("board"),
        c.get("section"),
        c.get("question"),
        c.get("deck", "qualitative"),
        c.get("cards"),
    ),
    "estimate/stop": lambda c: board_commands.stop_estimate(c.store, c.actor, c.code, c.get("board")),
}


async def _move_card(c: Call) -> None:
    to, card = c.get("to"), c.get("card")
    if to == NEW_THEME:
        title = c.get("title") or c.translate(NEW_THEME_TITLE)
        await idea_commands.new_theme(c.store, c.actor, c.code, c.get("activity"), title, (card,))
    else:
        await idea_commands.move_card(c.store, c.actor, c.code, c.get("activity"), card, to, c.get("before") or None)


# -- errors -----------------------------------------------------------------------------------------------------


def error_response(request: Request, message: str, status: int) -> Response:
    if is_htmx(request):
        response = HTMLResponse(_templates(request).render("_notice.html", message=message), status_code=status)
        response.headers["HX-Reswap"] = "none"  # the notice swaps itself in, out of band; the form stays as it is
        return response
    return page(request, "error.html", status=status, message=message)


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return error_response(request, _templates(request).message(exc), exc.status)


async def redis_down(request: Request, exc: Exception) -> Response:
    message = _templates(request).gettext.gettext(
        N_("Der Speicher des Workshops ist gerade nicht erreichbar. Bitte in einem Moment noch einmal versuchen.")
    )
    return error_response(request, message, 503)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(request, _templates(request).gettext.gettext(N_("Diese Seite gibt es nicht.")), 404)
    return error_response(request, exc.detail, exc.status_code)
