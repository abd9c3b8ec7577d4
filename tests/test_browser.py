"""End to end in a real Chromium: a facilitator, the projector and two phones run one planning-poker round.

Everything goes through the pages as people use them: forms, taps, the live socket. Waits are Playwright's
auto-waiting assertions (what a person would wait for on screen), never fixed times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    WebSocket,
    expect,
    sync_playwright,
)

from . import browsers
from .clients import Server

DESKTOP = {"width": 1440, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WAIT_MS = 10_000  # an upper bound for "soon" in every expect; never a sleep

QUESTION = "Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer Projekt-Clearingstelle ein?"
REASON = "Viele Beteiligte"
CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{3})-([A-HJ-NP-Z2-9]{3})-([A-HJ-NP-Z2-9]{2})\b")


@dataclass
class Watch:
    """What every page of the test did besides what it showed: requests, sockets, console errors, dialogs."""

    requests: list[str] = field(default_factory=list)
    sockets: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    frames: dict[str, list[str]] = field(default_factory=dict)  # socket frames received, per page name

    def context(self, browser: Browser, name: str, **options: object) -> BrowserContext:
        """A context whose every page is watched, popups included (context events see their first request too)."""
        context = browser.new_context(locale="de-DE", **options)  # type: ignore[arg-type]
        context.set_default_timeout(WAIT_MS)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", lambda message: self.console(name, message))
        context.on("weberror", lambda error: self.errors.append(f"{name}: uncaught {error.error}"))
        context.on("dialog", lambda dialog: self.dialog(name, dialog))
        context.on("page", lambda page: page.on("websocket", lambda ws: self.socket(name, ws)))
        return context

    def socket(self, name: str, ws: WebSocket) -> None:
        self.sockets.append(ws.url)
        frames = self.frames.setdefault(name, [])
        ws.on("framereceived", lambda payload: frames.append(str(payload)))

    def console(self, name: str, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(f"{name}: {message.text}")
        elif message.type == "error":
            self.errors.append(f"{name}: {message.text} ({message.location.get('url')})")

    def dialog(self, name: str, dialog: Dialog) -> None:
        self.dialogs.append(f"{name}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A Chromium found by tests/browsers.py (conftest looked for it before the first test)."""
    expect.set_options(timeout=WAIT_MS)
    try:
        browsers.find()
    except browsers.NoBrowser as error:
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)
    with sync_playwright() as pw:
        chromium = browsers.launch(pw)
        yield chromium
        chromium.close()


def join_by_code(phone: Page, server: Server, typed_code: str, code: str, name: str) -> None:
    """The way people join from a phone: /join, the code as they type it, then a name."""
    form = phone.goto(server.url + "/join")
    assert form and form.ok, f"GET /join answered {form and form.status}: {form and form.text()}"
    phone.get_by_label("Code vom Beamer").fill(typed_code)
    phone.get_by_role("button", name="Weiter").tap()
    phone.wait_for_url(f"{server.url}/j/{code}")
    phone.get_by_label("Dein Name").fill(name)
    with phone.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(f"/j/{code}")) as joined:
        phone.get_by_role("button", name="Los geht's").tap()
    assert joined.value.status == 303, f"joining answered {joined.value.status}: {joined.value.text()}"
    phone.wait_for_url(f"{server.url}/r/{code}")
    expect(phone.locator(".phone-head .me")).to_have_text(name)


def card(phone: Page, value: str):  # type: ignore[no-untyped-def]
    return phone.locator("#mine").get_by_role("button", name=value, exact=True)


def stat(page: Page, label: str):  # type: ignore[no-untyped-def]
    return page.locator("#stage .stats div").filter(has=page.locator("dt", has_text=label)).locator("dd")


@pytest.mark.browser
def test_planning_poker_round_from_projector_to_phones(server: Server, browser: Browser) -> None:
    watch = Watch()
    origin = urlsplit(server.url)
    try:
        # 1. The facilitator opens a room from the start page and lands on the console.
        console_ctx = watch.context(browser, "facilitator", viewport=DESKTOP)
        console = console_ctx.new_page()
        console.goto(server.url + "/")
        opening = console.locator("section.panel").filter(
            has=console.get_by_role("heading", name="Workshop-Raum eröffnen")
        )
        opening.get_by_label("Titel").fill("Initiativen.Werk 2025 – Arbeitsgruppe 1")
        with console.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/rooms")) as created:
            opening.get_by_role("button", name="Raum eröffnen").click()
        assert created.value.status == 303, f"POST /rooms answered {created.value.status}: {created.value.text()}"
        console.wait_for_url(re.compile(r"/r/[A-Z2-9]{8}/facilitate$"))
        expect(console.get_by_role("heading", level=1)).to_have_text("Initiativen.Werk 2025 – Arbeitsgruppe 1")
        shown = CODE.search(console.locator(".console-head .eyebrow").inner_text())
        assert shown, console.locator(".console-head .eyebrow").inner_text()
        display, code = shown[0], "".join(shown.groups())
        assert console.url == f"{server.url}/r/{code}/facilitate"

        # 2. The projector view, opened from the console's link, shows the code, a QR code and an empty room.
        with console_ctx.expect_page() as opened:
            console.get_by_role("link", name="Beamer-Ansicht öffnen").click()
        projector = opened.value
        projector.set_viewport_size(PROJECTOR)
        projector.wait_for_url(f"{server.url}/r/{code}/projector")
        expect(projector.locator(".join-code")).to_have_text(display)
        expect(projector.locator(".qr-box svg")).to_be_visible()
        expect(projector.locator("#headcount")).to_contain_text("0 Personen")
        assert projector.locator(".join-code").evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 40

        # 3. Two phones join by code, typed in lower case with the dashes; the projector counts them.
        anna = watch.context(browser, "Anna", **PHONE).new_page()
        bernd = watch.context(browser, "Bernd", **PHONE).new_page()
        join_by_code(anna, server, display.lower(), code, "Anna")
        expect(projector.locator("#headcount")).to_contain_text("1 Person")
        join_by_code(bernd, server, display.lower(), code, "Bernd")
        expect(projector.locator("#headcount")).to_contain_text("2 Personen")
        expect(console.locator("#headcount")).to_contain_text("2 Personen")
        for phone in (anna, bernd):
            expect(phone.locator("#stage")).to_contain_text("Gleich geht es los")

        # 4. The facilitator asks a question on the Fibonacci deck; projector and phones show it.
        new_item = console.locator("details").filter(has=console.locator("summary", has_text="Neue Frage schätzen"))
        new_item.get_by_label("Frage", exact=True).fill(QUESTION)
        expect(new_item.get_by_label("Karten", exact=True)).to_have_value("fibonacci")
        new_item.get_by_role("button", name="Frage hinzufügen").click()
        expect(new_item.get_by_label("Frage", exact=True)).to_have_value("")  # the form resets after it was sent
        for page in (console, projector, anna, bernd):
            expect(page.locator("#stage .question")).to_have_text(QUESTION)
            expect(page.locator("#stage .eyebrow")).to_contain_text("Fibonacci")
        expect(projector.locator("#stage .progress-text")).to_have_text("0 von 2 haben abgestimmt")
        for phone in (anna, bernd):
            expect(phone.locator("#mine legend")).to_have_text("Wähle eine Karte")
            expect(phone.locator("#mine .card")).to_have_count(12)
            expect(phone.locator("#mine .card.chosen")).to_have_count(0)

        # 5. Anna taps 8; Bernd gives a reason and taps 13. The projector shows who voted, never what.
        card(anna, "8").tap()
        expect(anna.locator("#mine .card.chosen")).to_have_text("8")
        expect(card(anna, "8")).to_have_attribute("aria-pressed", "true")
        expect(projector.locator("#stage .progress-text")).to_have_text("1 von 2 hat abgestimmt")
        bernd.get_by_label("Begründung").fill(REASON)
        card(bernd, "13").tap()
        expect(bernd.locator("#mine .card.chosen")).to_have_text("13")
        expect(bernd.get_by_label("Begründung")).to_have_value(REASON)
        expect(bernd.locator("#mine .saved")).to_contain_text("Gespeichert: 13")
        expect(anna.locator("#mine .card.chosen")).to_have_text("8")  # Bernd's vote did not reset Anna's phone

        expect(projector.locator("#stage .progress-text")).to_have_text("2 von 2 haben abgestimmt")
        voted = projector.locator("#stage .voters li.voted")
        expect(voted).to_have_count(2)
        for name in ("Anna", "Bernd"):  # in no particular order
            expect(voted.filter(has_text=name)).to_have_count(1)
        expect(projector.locator("#stage .voters li.waiting")).to_have_count(0)
        expect(console.locator("#stage .progress-text")).to_have_text("2 von 2 haben abgestimmt")
        for page in (projector, console):
            expect(page.locator("#stage .results")).to_have_count(0)
            expect(page.locator("#stage")).not_to_contain_text(REASON)
        assert REASON not in projector.content()
        assert watch.frames.get("facilitator"), "no socket frame reached the console or the projector"
        assert not any(REASON in frame for frame in watch.frames["facilitator"]), "a reason was sent before the reveal"

        # 6. The facilitator reveals: chart, statistics with a German decimal comma, and Bernd's reason.
        console.get_by_role("button", name="Aufdecken").click()
        for page in (projector, console):
            expect(page.locator("#stage .results .chart")).to_be_visible()
            expect(stat(page, "Minimum")).to_have_text("8")
            expect(stat(page, "Maximum")).to_have_text("13")
            expect(stat(page, "Median")).to_have_text("10,5")
            expect(page.locator("#stage .consensus")).to_have_text("Fast einig")
            expect(page.locator("#stage .reasons")).to_contain_text(REASON)
            expect(page.locator("#stage .reasons")).to_contain_text("Bernd")
        expect(projector.locator("#stage .votes-total")).to_have_text("2 Stimmen")
        expect(projector.locator("#stage .chart .count")).to_have_text(["1", "1"])
        for phone, mine in ((anna, "8"), (bernd, "13")):
            expect(phone.locator("#stage .results .chart")).to_be_visible()
            expect(stat(phone, "Median")).to_have_text("10,5")
            expect(phone.locator("#stage .reasons")).to_contain_text(REASON)
            expect(phone.locator("#mine")).to_have_text(f"Deine Karte: {mine}")
            expect(phone.locator("#mine .card")).to_have_count(0)

        # 7. A second round: the phones get a fresh deck, the projector counts again from zero.
        console.get_by_role("button", name="Neu abstimmen").click()
        for phone in (anna, bernd):
            expect(phone.locator("#mine .card")).to_have_count(12)
            expect(phone.locator("#mine .card.chosen")).to_have_count(0)
            expect(phone.locator("#mine legend")).to_have_text("Wähle eine Karte")
            expect(phone.locator("#stage .results")).to_have_count(0)
        expect(bernd.get_by_label("Begründung")).to_have_value("")
        expect(projector.locator("#stage .eyebrow")).to_contain_text("Runde 2")
        expect(projector.locator("#stage .progress-text")).to_have_text("0 von 2 haben abgestimmt")
        expect(projector.locator("#stage .results")).to_have_count(0)
        expect(projector.locator("#stage .voters li.waiting")).to_have_count(2)
        expect(projector.locator("#stage .history")).to_contain_text("Runde 1:")
        expect(projector.locator("#connection")).to_be_hidden()
        for phone in (anna, bernd):
            expect(phone.locator("#connection")).to_be_hidden()
            expect(phone.locator("#notice")).to_be_empty()
    finally:
        for context in browser.contexts:
            context.close()

    # 8. Nothing left the server's origin, nothing broke in a console, no CSP violation, no dialog.
    foreign = [url for url in watch.requests if urlsplit(url)[:2] != origin[:2]]
    assert not foreign, foreign
    assert watch.requests, "no request was seen"
    assert watch.sockets and all(urlsplit(url).netloc == origin.netloc for url in watch.sockets), watch.sockets
    assert not watch.csp, watch.csp
    assert not watch.errors, watch.errors
    assert not watch.dialogs, watch.dialogs
