"""Facilitator sign-in with OpenID Connect, against a real provider (the certified `oidc-provider` from npm) that the
test starts on loopback: opening a room asks staff to log in there, the room opens right after, participants never
log in; a callback that did not come from a login started here opens nothing.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, expect, sync_playwright

from . import browsers
from .clients import BROWSER_POST, WAIT, Server, free_port, start_server

PROVIDER = Path(__file__).resolve().parent / "oidc"
WAIT_MS = 10_000


def _npm_installed() -> None:
    """The provider's package, installed once from the npm registry (package-lock.json pins it)."""
    if (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    assert npm and shutil.which("node"), "Node.js and npm are needed for this test: apt-get install nodejs npm"
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER, check=True, capture_output=True, timeout=300)


@contextlib.contextmanager
def oidc_provider(port: int, redirect_uri: str, client_secret: str) -> Iterator[str]:
    """The provider in its own process; its issuer once it says it listens."""
    _npm_installed()
    process = subprocess.Popen(
        ["node", "provider.mjs", str(port), redirect_uri, client_secret],
        cwd=PROVIDER,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    listening, output = threading.Event(), []

    def read() -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                output.append(line)
                if "listening on" in line:
                    listening.set()
        listening.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert listening.wait(30) and process.poll() is None, "".join(output)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        reader.join(timeout=5)


@contextlib.contextmanager
def signin_setup(tmp_path: Path, redis_url: str) -> Iterator[tuple[Server, str]]:
    port, secret = free_port(), secrets.token_urlsafe(24)
    with (
        oidc_provider(free_port(), f"http://127.0.0.1:{port}/auth/callback", secret) as issuer,
        start_server(
            tmp_path / "app",
            redis_url=redis_url,
            port=port,
            WORKSHOP_OIDC_ISSUER=issuer,
            WORKSHOP_OIDC_CLIENT_ID="workshop",
            WORKSHOP_OIDC_CLIENT_SECRET=secret,
        ) as app,
    ):
        yield app, issuer


@pytest.mark.browser
def test_staff_log_in_to_open_a_room_and_participants_never(tmp_path: Path, redis_url: str) -> None:
    with signin_setup(tmp_path, redis_url) as (app, issuer), sync_playwright() as pw:
        browser = browsers.launch(pw)
        blocked: list[str] = []

        def watch(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                blocked.append(message.text)

        staff = browser.new_context(locale="de-DE")
        staff.set_default_timeout(WAIT_MS)
        page = staff.new_page()
        page.on("console", watch)
        page.goto(app.url + "/")
        page.fill("#title", "Klausurtagung der Stabsstelle")
        page.get_by_role("button", name="Raum eröffnen").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(issuer)}/interaction/"))  # the provider's login form
        page.fill("input[name=login]", "anna.staff")
        page.fill("input[name=password]", "any")
        page.locator("button[type=submit]").first.click()
        page.locator("button[type=submit]").first.click()  # the provider's consent
        expect(page).to_have_url(re.compile(rf"^{re.escape(app.url)}/r/[A-Z0-9]{{8}}/facilitate$"))
        expect(page.locator("h1")).to_have_text("Klausurtagung der Stabsstelle")  # the title typed before the login
        assert not blocked, blocked  # the form's way to the provider passes the page's CSP (form-action)

        page.goto(app.url + "/")  # signed in: the next room opens at once
        page.fill("#title", "Zweiter Raum")
        page.get_by_role("button", name="Raum eröffnen").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(app.url)}/r/[A-Z0-9]{{8}}/facilitate$"))
        expect(page.locator("h1")).to_have_text("Zweiter Raum")
        code = page.url.split("/r/")[1].split("/")[0]

        phone = browser.new_context(locale="de-DE").new_page()  # a participant: a fresh browser, no login
        phone.goto(f"{app.url}/j/{code}")
        phone.fill("#name", "Bernd")
        phone.get_by_role("button", name="Los geht's").click()
        expect(phone).to_have_url(f"{app.url}/r/{code}")
        assert not phone.url.startswith(issuer)
        browser.close()
    assert "Traceback" not in app.output()


async def test_without_a_login_started_here_nothing_opens(tmp_path: Path, redis_url: str) -> None:
    with signin_setup(tmp_path, redis_url) as (app, issuer):
        async with httpx.AsyncClient(base_url=app.url, timeout=WAIT, headers=BROWSER_POST) as browser:
            for path in ("/rooms", "/restore"):
                asked = await browser.post(path, data={"title": "Ohne Anmeldung"})
                assert asked.status_code == 303 and asked.headers["location"].startswith(f"{issuer}/auth?"), path
            login = await browser.post("/rooms", data={"title": "Halb angemeldet"})
            query = httpx.URL(login.headers["location"]).params
            assert query["code_challenge_method"] == "S256" and query["nonce"] and query["state"]
            wrong_state = await browser.get("/auth/callback", params={"code": "abc", "state": "not-" + query["state"]})
            assert wrong_state.status_code == 400 and "Anmeldung hat nicht geklappt" in wrong_state.text
            forged_code = await browser.get("/auth/callback", params={"code": "made-up", "state": query["state"]})
            assert forged_code.status_code == 400  # the provider does not know the code: no token, no room
            assert "workshop_staff" not in browser.cookies
        async with httpx.AsyncClient(base_url=app.url, timeout=WAIT) as stranger:  # no login cookie at all
            assert (await stranger.get("/auth/callback", params={"code": "x", "state": "y"})).status_code == 400
