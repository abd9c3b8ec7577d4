"""HTTP: the pages, and the commands posted from them (htmx forms that also work without JavaScript).

A command answers an htmx request with the asker's live regions, swapped out of band, so the asker sees the result
even before the socket pushes it; a plain form post is redirected back to its page. Errors answer with a notice.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import redis
from markupsafe import Markup
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from .. import commands, idea_commands
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


async def _whole_room(request: Request) -> Room:
    """The room with every activity's details, for its facilitator (the exports)."""
    code = _code(request)
    if not _cookies(request).read(request).actor(code).facilitator:
        raise Forbidden(N_("Das darf nur die Moderation."))
    room = await _store(request).load(code, everything=True)
    if room is None:
        raise NotFound(ROOM_NOT_FOUND)
    return room


async def export_markdown(request: Request) -> Response:
    """The whole workshop as Markdown minutes, for the facilitator, at any moment of the session."""
    room = await _whole_room(request)
    code = room.code
    markdown = to_markdown(room, _templates(request).language_of_export)
    name = f"workshop-{room.created}-{code}.md"
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
    room, token = await commands.create_room(_store(request), form.get("title"), ask_org="ask_org" in form)
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


def _show_link_once(response: Response, request: Request, code: str, token: str) -> Response:
    """The console shows the secret link on its next visit only; the token waits in a short, narrow cookie."""
    response.set_cookie(
        f"fac_{code}",
        token,
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
    return page(request, "join.html", room=room, pid=codes.new_id())


async def join(request: Request) -> Response:
    code = _code(request)
    form = await _form(request)
    identity = _cookies(request).read(request)
    # One id per browser and room; the form's id makes a double submit (two taps, a retry) land on one participant.
    pid = identity.participant.get(code) or form.get("pid", "")
    if not 16 <= len(pid) <= 40 or not pid.replace("-", "").replace("_", "").isalnum():
        pid = codes.new_id()
    person = await commands.join(
        _store(request), code, pid, form.get("name"), form.get("org"), observer="observer" in form
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
    response = _room_page(request, "phone.html", room, viewer, person=person)
    _cookies(request).write(response, _cookies(request).read(request))  # renew: active rooms keep their people
    return response


async def projector(request: Request) -> Response:
    room = await commands.load(_store(request), _code(request))
    join_url = f"{base_url(request)}/j/{room.code}"
    return _room_page(
        request,
        "projector.html",
        room,
        Viewer("projector"),
        join_url=join_url,
        qr=qr_svg(join_url),
        join_host=urlsplit(join_url).netloc,
    )


async def facilitate(request: Request) -> Response:
    code = _code(request)
    room = await commands.load(_store(request), code)
    if not _cookies(request).read(request).actor(code).facilitator:
        raise Forbidden(N_("Diese Seite ist nur über den Moderationslink erreichbar."))
    token = request.cookies.get(f"fac_{code}")  # shown once, right after the room was created
    link = f"{base_url(request)}/r/{code}/facilitate/{token}" if token else None
    response = _room_page(
        request,
        "facilitator.html",
        room,
        Viewer("facilitator"),
        facilitator_link=link,
        join_url=f"{base_url(request)}/j/{code}",
        decks=list(DECKS) + ["custom"],
        deck_names=DECK_NAMES,
    )
    if token:
        response.delete_cookie(f"fac_{code}", path=f"/r/{code}/facilitate")
    _cookies(request).write(response, _cookies(request).read(request))  # renew while the room is in use
    return response


async def facilitator_link(request: Request) -> Response:
    """The secret facilitator link: whoever opens it facilitates this room on that device."""
    code = _code(request)
    if not await _store(request).is_facilitator_token(code, request.path_params["token"]):
        raise NotFound(ROOM_NOT_FOUND)  # the same answer as an unknown code
    identity = _cookies(request).read(request)
    identity.facilitate(code)
    response = RedirectResponse(f"/r/{code}/facilitate", status_code=303)
    _cookies(request).write(response, identity)
    return response


def _room_page(request: Request, template: str, room: Room, viewer: Viewer, **context: Any) -> HTMLResponse:
    # Our own rendered templates, placed into the page as they are.
    regions = {k: Markup(v) for k, v in Snapshot(room, _templates(request)).regions(viewer).items()}  # noqa: S704
    return page(request, template, room=room, view=viewer.kind, regions=regions, **context)


# -- commands ---------------------------------------------------------------------------------------------------

Command = Callable[[Store, Actor, str, dict[str, str]], Awaitable[object]]


def command(run: Command, *, answer: tuple[str, ...] = ()) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that runs one command for the cookie's actor and answers with the asker's live regions.

    The regions are those of the page the request came from (htmx names it): the console, or a phone. A command
    that returns the room as it left it is answered from that room, with the regions in `answer` only (a vote
    answers with the voter's own card; the socket brings the rest, no reload per vote).
    """

    async def endpoint(request: Request) -> Response:
        code = _code(request)
        form = await _form(request)
        actor = _cookies(request).read(request).actor(code)
        result = await run(_store(request), actor, code, form)
        on_console = urlsplit(request.headers.get("hx-current-url", "")).path.endswith("/facilitate")
        if not is_htmx(request):
            return RedirectResponse(f"/r/{code}/facilitate" if actor.facilitator else f"/r/{code}", status_code=303)
        room = result if isinstance(result, Room) else await commands.load(_store(request), code)
        person = room.participants.get(actor.pid or "")
        if person is not None and not (on_console and actor.facilitator):
            viewer = Viewer(person.role.value, person.id)
        else:
            viewer = Viewer("facilitator" if actor.facilitator else "projector")
        snapshot = Snapshot(room, _templates(request))
        regions = [snapshot.region(r, viewer) for r in answer or LIVE[viewer.kind]]
        return HTMLResponse("".join(regions) + _templates(request).render("_notice.html", message=""))

    return endpoint


async def _add_item(store: Store, actor: Actor, code: str, form: dict[str, str]) -> None:
    await commands.add_item(
        store, actor, code, form.get("question"), form.get("deck", ""), form.get("cards", ""), start="start" in form
    )


async def _go_to(store: Store, actor: Actor, code: str, form: dict[str, str]) -> None:
    await commands.go_to(store, actor, code, form.get("item", ""))


async def _reveal(store: Store, actor: Actor, code: str, form: dict[str, str]) -> None:
    await commands.reveal(store, actor, code, form.get("item", ""), _int(form.get("round")))


async def _new_round(store: Store, actor: Actor, code: str, form: dict[str, str]) -> None:
    await commands.new_round(store, actor, code, form.get("item", ""), _int(form.get("round")))


async def _vote(store: Store, actor: Actor, code: str, form: dict[str, str]) -> Room:
    return await commands.vote(
        store, actor, code, form.get("item", ""), _int(form.get("round")), form.get("card", ""), form.get("reason", "")
    )


async def _vote_for(store: Store, actor: Actor, code: str, form: dict[str, str]) -> None:
    await commands.vote_for(
        store,
        actor,
        code,
        form.get("name"),
        form.get("item", ""),
        _int(form.get("round")),
        form.get("card", ""),
        form.get("reason", ""),
    )


async def _options(store: Store, actor: Actor, code: str, form: dict[str, str]) -> None:
    await commands.set_options(store, actor, code, ask_org="ask_org" in form, auto_reveal="auto_reveal" in form)


add_item = command(_add_item)
go_to = command(_go_to)
reveal = command(_reveal)
new_round = command(_new_round)
vote = command(_vote, answer=("mine",))
vote_for = command(_vote_for)
options = command(_options)


def _on(form: dict[str, str]) -> str:
    return form.get("activity", "")


def _before(form: dict[str, str]) -> str | None:
    return form.get("before") or None


# Idea collections: path under /r/CODE/ → what it does. Every one answers like any other command.
IDEA_COMMANDS: dict[str, Command] = {
    "ideas": lambda s, a, c, f: idea_commands.open_collection(
        s,
        a,
        c,
        f.get("prompt"),
        show=f.get("show", "name"),
        hidden="hidden" in f,
        participants_cluster="participants_cluster" in f,
        start="start" in f,
    ),
    "ideas/options": lambda s, a, c, f: idea_commands.set_options(
        s,
        a,
        c,
        _on(f),
        posting_open="posting_open" in f,
        participants_cluster="participants_cluster" in f,
        show=f.get("show", "name"),
    ),
    "ideas/reveal": lambda s, a, c, f: idea_commands.reveal_cards(s, a, c, _on(f)),
    "cards": lambda s, a, c, f: idea_commands.add_card(s, a, c, _on(f), f.get("text"), "anonymous" in f),
    "cards/edit": lambda s, a, c, f: idea_commands.edit_card(s, a, c, _on(f), f.get("card", ""), f.get("text")),
    "cards/delete": lambda s, a, c, f: idea_commands.delete_card(s, a, c, _on(f), f.get("card", "")),
    "cards/move": lambda s, a, c, f: _move_card(s, a, c, f),
    "themes": lambda s, a, c, f: idea_commands.new_theme(
        s, a, c, _on(f), f.get("title") or _new_theme_title(), tuple(x for x in [f.get("card", "")] if x)
    ),
    "themes/rename": lambda s, a, c, f: idea_commands.rename_theme(s, a, c, _on(f), f.get("theme", ""), f.get("title")),
    "themes/move": lambda s, a, c, f: idea_commands.move_theme(s, a, c, _on(f), f.get("theme", ""), _before(f)),
    "themes/merge": lambda s, a, c, f: idea_commands.merge_theme(
        s, a, c, _on(f), f.get("theme", ""), f.get("into", "")
    ),
    "dots/start": lambda s, a, c, f: idea_commands.start_voting(
        s, a, c, _on(f), f.get("dots", "3"), stack="stack" in f, on=f.get("on", "themes"), hide_tally="hide_tally" in f
    ),
    "dots/close": lambda s, a, c, f: idea_commands.close_voting(s, a, c, _on(f)),
    "dots/add": lambda s, a, c, f: idea_commands.dot(s, a, c, _on(f), f.get("target", "")),
    "dots/remove": lambda s, a, c, f: idea_commands.undot(s, a, c, _on(f), f.get("target", "")),
}
NEW_THEME = "new"  # the place a card is dropped on to make a theme of it


def _new_theme_title() -> str:
    return "Neues Thema"  # only when a form sends none; the pages send the translated default


async def _move_card(store: Store, actor: Actor, code: str, form: dict[str, str]) -> None:
    to, card = form.get("to", ""), form.get("card", "")
    if to == NEW_THEME:
        await idea_commands.new_theme(store, actor, code, _on(form), form.get("title") or _new_theme_title(), (card,))
    else:
        await idea_commands.move_card(store, actor, code, _on(form), card, to, _before(form))


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
