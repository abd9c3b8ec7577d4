"""Headers every response carries, and the same-origin rule for form posts and socket handshakes."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # room codes are in our URLs
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "x-frame-options": "DENY",
}


def same_origin(headers: Headers, allowed: tuple[str, ...]) -> bool:
    """True if the Origin header names this host (any scheme, a TLS proxy may sit in front) or an allowed origin."""
    origin = headers.get("origin")
    if not origin or origin == "null":
        return False
    if origin.rstrip("/") in allowed:
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


class SecurityMiddleware:
    """Adds security headers; refuses cross-site form posts (403) and cross-site socket handshakes (403)."""

    def __init__(
        self, app: ASGIApp, *, https: bool, allowed_origins: tuple[str, ...] = (), form_targets: tuple[str, ...] = ()
    ) -> None:
        self.app = app
        self.https = https
        self.allowed = allowed_origins
        # Where a form's answer may lead besides this app (the sign-in provider: CSP checks a form's redirects too).
        csp = CSP.replace("form-action 'self'", " ".join(["form-action 'self'", *form_targets]))
        self.headers = {**_HEADERS, "content-security-policy": csp}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if not same_origin(Headers(scope=scope), self.allowed):
                await send({"type": "websocket.close", "code": 1008})  # before accept: the handshake gets a 403
                return
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not self._may_post(headers):
            response = PlainTextResponse("Cross-site request refused.", status_code=403)
            await response(scope, receive, self._with_headers(send))
            return
        await self.app(scope, receive, self._with_headers(send))

    def _may_post(self, headers: Headers) -> bool:
        # Sec-Fetch-Site is set by the browser and cannot be forged by a page: where it is sent, it decides
        # (under Referrer-Policy: no-referrer a same-origin form post carries "Origin: null"). Older browsers send
        # only Origin, which must then name us. Clients that send neither are not browsers, so no CSRF risk.
        if "sec-fetch-site" in headers:
            return headers["sec-fetch-site"] in ("same-origin", "none")
        return "origin" not in headers or same_origin(headers, self.allowed)

    def _with_headers(self, send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("cache-control", "no-store")
                if self.https:
                    headers.setdefault("strict-transport-security", "max-age=31536000")
            await send(message)

        return send_with_headers
