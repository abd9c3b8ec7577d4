"""Errors as people see them: a notice swapped into the page for htmx, an error page otherwise. Never a traceback."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..domain.errors import N_, ROOM_NOT_FOUND, DomainError, NotFound, TooMany
from .requests import is_htmx, page, templates, unknown_room

log = logging.getLogger(__name__)


def error_response(request: Request, message: str, status: int) -> Response:
    if is_htmx(request):
        response = HTMLResponse(templates(request).render("_notice.html", message=message), status_code=status)
        response.headers["HX-Reswap"] = "none"  # the notice swaps itself in, out of band; the form stays as it is
        return response
    return page(request, "error.html", status=status, message=message)


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, NotFound) and exc.message == ROOM_NOT_FOUND:
        unknown_room(request)
    response = error_response(request, templates(request).message(exc), exc.status)
    if isinstance(exc, TooMany):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def redis_down(request: Request, exc: Exception) -> Response:
    log.warning("redis unavailable to a request (%s)", type(exc).__name__)  # its text may name a room's key
    if request.app.state.metrics:
        request.app.state.metrics.redis_error("request")
    message = templates(request).gettext.gettext(
        N_("Der Speicher des Workshops ist gerade nicht erreichbar. Bitte in einem Moment noch einmal versuchen.")
    )
    return error_response(request, message, 503)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(request, templates(request).gettext.gettext(N_("Diese Seite gibt es nicht.")), 404)
    return error_response(request, exc.detail, exc.status_code)
