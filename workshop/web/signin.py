"""Facilitator sign-in with OpenID Connect, optional (WORKSHOP_OIDC_ISSUER): with it, opening a room (new or from
an archive) asks for a login at the organisation's provider (Keycloak, say); joining, voting and facilitating an
open room never do. Off by default.

The authorization code flow with PKCE, a state and a nonce: the login's secrets wait in a short signed cookie, the
code is exchanged by the server (a confidential client), and the ID token is checked with the provider's published
keys (joserfc): signature, issuer, audience, expiry, nonce. A signed-in browser gets a signed cookie for 12 hours
that holds no name, no e-mail and no subject: only that it signed in. The title typed before the login is kept in
the login's cookie, so the room opens right after it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..config import Settings
from ..domain.errors import N_, DomainError
from .requests import base_url, form

log = logging.getLogger(__name__)

LOGIN_COOKIE = "workshop_login"  # one login on its way through the provider
STAFF_COOKIE = "workshop_staff"  # signed in: may open rooms
LOGIN_SECONDS = 600
STAFF_SECONDS = 12 * 3600
CALLBACK = "/auth/callback"
ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]
FAILED = N_("Die Anmeldung hat nicht geklappt. Bitte noch einmal versuchen.")


class SignInFailed(DomainError):
    status = 400

    def __init__(self, why: str) -> None:
        super().__init__(FAILED)
        log.warning("facilitator sign-in failed: %s", why)  # for the operator; never a token or a name


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OpenIDConnect:
    def __init__(self, issuer: str, client_id: str, client_secret: str, signing_key: str, *, secure: bool) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.secure = secure
        self._login = URLSafeTimedSerializer(signing_key, salt="workshop-oidc-login")
        self._staff = URLSafeTimedSerializer(signing_key, salt="workshop-oidc-staff")
        self._provider: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    # -- the provider -----------------------------------------------------------------------------------------

    async def _get(self, url: str) -> Any:
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(url)
                response.raise_for_status()
                return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise SignInFailed(f"the provider did not answer {url} ({type(error).__name__})") from None

    async def provider(self) -> dict[str, Any]:
        """The provider's endpoints (discovery), read at the first login and kept."""
        if self._provider is None:
            found = await self._get(self.issuer + "/.well-known/openid-configuration")
            if found.get("issuer") != self.issuer:
                raise SignInFailed("the provider's discovery names another issuer")
            self._provider = found
        return self._provider

    async def keys(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            self._keys = KeySet.import_key_set(await self._get((await self.provider())["jwks_uri"]))
        return self._keys

    # -- the flow ---------------------------------------------------------------------------------------------

    def signed_in(self, request: Request) -> bool:
        try:
            return bool(self._staff.loads(request.cookies.get(STAFF_COOKIE, ""), max_age=STAFF_SECONDS) == "staff")
        except BadSignature:
            return False

    async def start(self, request: Request, pending: dict[str, Any]) -> Response:
        """Off to the provider's login; `pending` (the room to open) comes back with the browser."""
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(48)  # PKCE: 43 to 128 characters
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": base_url(request) + CALLBACK,
            "scope": "openid",
            "state": state,
            "nonce": nonce,
            "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
            "code_challenge_method": "S256",
        }
        endpoint = (await self.provider())["authorization_endpoint"]
        response = RedirectResponse(f"{endpoint}?{urlencode(query)}", status_code=303)
        login = self._login.dumps({"state": state, "nonce": nonce, "verifier": verifier, "pending": pending})
        response.set_cookie(
            LOGIN_COOKIE, login, max_age=LOGIN_SECONDS, httponly=True, samesite="lax", secure=self.secure, path=CALLBACK
        )
        return response

    async def finish(self, request: Request) -> dict[str, Any]:
        """The provider sent the browser back: check it, exchange the code, check the ID token; what was pending."""
        try:
            login = self._login.loads(request.cookies.get(LOGIN_COOKIE, ""), max_age=LOGIN_SECONDS)
        except BadSignature:
            raise SignInFailed("no login under way in this browser (or it took longer than 10 minutes)") from None
        state, code = request.query_params.get("state", ""), request.query_params.get("code", "")
        if not code or not hmac.compare_digest(state, login["state"]):
            raise SignInFailed("the provider's answer does not belong to this browser's login (state)")
        if request.query_params.get("iss", self.issuer) != self.issuer:  # RFC 9207: an answer from another issuer
            raise SignInFailed("the answer names another issuer (iss)")
        provider = await self.provider()
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                answer = await client.post(
                    provider["token_endpoint"],
                    data={
                        "grant_type": "authorization_code",
                        "code": code,
                        "redirect_uri": base_url(request) + CALLBACK,
                        "code_verifier": login["verifier"],
                    },
                    auth=(self.client_id, self.client_secret),
                )
        except httpx.HTTPError as error:
            raise SignInFailed(f"the token endpoint did not answer ({type(error).__name__})") from None
        tokens = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
        if answer.status_code != 200 or "id_token" not in tokens:
            said = f"{tokens.get('error', '')}: {tokens.get('error_description', '')}"  # OAuth's error codes
            raise SignInFailed(f"the token endpoint answered {answer.status_code} without an ID token ({said})")
        await self._check(tokens["id_token"], login["nonce"])
        return dict(login.get("pending") or {})

    async def _check(self, id_token: str, nonce: str) -> None:
        try:
            try:
                token = jwt.decode(id_token, await self.keys(), algorithms=ALGORITHMS)
            except JoseError:  # perhaps a key the provider rotated in since we read them
                token = jwt.decode(id_token, await self.keys(refresh=True), algorithms=ALGORITHMS)
            jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError, KeyError) as error:
            raise SignInFailed(f"the ID token does not hold ({type(error).__name__}: {error})") from None
        if isinstance(token.claims.get("aud"), list) and token.claims.get("azp", self.client_id) != self.client_id:
            raise SignInFailed("the ID token was issued to another client (azp)")

    def sign_in(self, response: Response) -> Response:
        response.set_cookie(
            STAFF_COOKIE,
            self._staff.dumps("staff"),
            max_age=STAFF_SECONDS,
            httponly=True,
            samesite="lax",
            secure=self.secure,
        )
        response.delete_cookie(LOGIN_COOKIE, path=CALLBACK)
        return response


def from_settings(settings: Settings, signing_key: str) -> OpenIDConnect | None:
    """The sign-in the settings ask for, if any."""
    if not settings.oidc_issuer:
        return None
    return OpenIDConnect(
        settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret, signing_key, secure=settings.https
    )


def login_pages(settings: Settings) -> tuple[str, ...]:
    """The origin a form's answer may lead to besides the app (the provider's login), for the page's CSP."""
    if not settings.oidc_issuer:
        return ()
    issuer = urlsplit(settings.oidc_issuer)
    return (f"{issuer.scheme}://{issuer.netloc}",)


Endpoint = Callable[[Request], Awaitable[Response]]


def _signin(request: Request) -> OpenIDConnect | None:
    return request.app.state.signin  # type: ignore[no-any-return]


def staff_only(endpoint: Endpoint, *, keep_title: bool = False) -> Endpoint:
    """The endpoint as it is without sign-in configured, or for a signed-in browser; else the login first (with
    `keep_title`, the room's title and options are kept and the room opens after the login)."""

    async def run(request: Request) -> Response:
        signin = _signin(request)
        if signin is None or signin.signed_in(request):
            return await endpoint(request)
        pending: dict[str, Any] = {}
        if keep_title:
            data = await form(request)
            pending = {"title": data.get("title", ""), "ask_org": "ask_org" in data}
        return await signin.start(request, pending)

    return run


def callback(open_room: Callable[[Request, dict[str, Any]], Awaitable[Response]]) -> Endpoint:
    """/auth/callback: signed in, then on to the room that was being opened (or the start page)."""

    async def run(request: Request) -> Response:
        signin = _signin(request)
        if signin is None:
            raise SignInFailed("sign-in is not configured")
        pending = await signin.finish(request)
        if "title" in pending:
            response = await open_room(request, pending)
        else:
            response = RedirectResponse("/", status_code=303)
        return signin.sign_in(response)

    return run
