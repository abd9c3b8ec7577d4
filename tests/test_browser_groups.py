"""End to end in a real Chromium: two working groups, a group's projector and its QR link, a board filled from a
phone, and a countdown that is right on a phone whose clock is ten minutes off, and after a reload.

Waits are Playwright's auto-waiting assertions (what a person would wait for on screen), never fixed times.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from .clients import Server
from .test_browser import DESKTOP, PHONE, PROJECTOR, Watch, browser  # noqa: F401 - the module's browser fixture

GROUP_2 = "Arbeitsgruppe 2 – Partizipation & Demokratie stärken"
BOARD = "Dachbegrünung in Innenstädten fördern"
ENTRY = "Verbesserung von Aufenthaltsqualität & Stadtbild"
TEN_MINUTES_FAST = "(() => { const real = Date.now; Date.now = () => real() + 600000; })();"


def countdown(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("#timer .countdown")


@pytest.mark.browser
def test_two_groups_a_board_and_a_countdown(server: Server, browser: Browser) -> None:  # noqa: F811
    watch = Watch()
    origin = urlsplit(server.url)
    try:
        console = watch.context(browser, "facilitator", viewport=DESKTOP).new_page()
        console.goto(server.url + "/")
        console.get_by_label("Titel").fill("Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit")
        console.get_by_role("button", name="Raum eröffnen").click()
        console.wait_for_url(re.compile(r"/r/\w+/facilitate$"))
        code = console.url.split("/r/")[1].split("/")[0]

        # A second group, from the console's groups panel; the console gets a tab per group.
        console.locator("#groups summary", has_text="Gruppen bearbeiten").click()
        console.get_by_label("Neue Arbeitsgruppe").fill(GROUP_2)
        console.locator("#groups").get_by_label("Teilnehmende wählen ihre Arbeitsgruppe selbst").check()  # via QR codes
        console.get_by_role("button", name="Gruppe anlegen").click()
        expect(console.locator("#tabs a")).to_have_count(2)
        console.locator("#tabs a", has_text=GROUP_2).click()
        console.wait_for_url(re.compile(r"\?group=[\w-]+$"))
        group = console.url.split("?group=")[1]
        expect(console.locator("#tabs a.active")).to_have_text(GROUP_2)

        # The group's projector, opened from its console: its QR code leads into the group.
        with console.context.expect_page() as opened:
            console.get_by_role("link", name="Beamer-Ansicht öffnen").click()
        projector = opened.value
        projector.set_viewport_size(PROJECTOR)
        expect(projector).to_have_url(f"{server.url}/r/{code}/projector?group={group}")
        expect(projector.locator("#stage")).to_contain_text("Willkommen")

        # Anna comes through that QR code: her group is chosen already. Bernd joins without it: the first group.
        anna = watch.context(browser, "anna", **PHONE).new_page()
        anna.add_init_script(TEN_MINUTES_FAST)  # her phone's clock is ten minutes ahead
        anna.goto(f"{server.url}/j/{code}?group={group}")
        expect(anna.get_by_label(GROUP_2)).to_be_checked()
        anna.get_by_label("Dein Name").fill("Anna")
        anna.get_by_role("button", name="Los geht's").tap()
        anna.wait_for_url(f"{server.url}/r/{code}")
        expect(anna.locator("#group")).to_contain_text(GROUP_2)
        bernd = watch.context(browser, "bernd", **PHONE).new_page()
        bernd.goto(f"{server.url}/j/{code}")
        bernd.get_by_label("Dein Name").fill("Bernd")
        bernd.get_by_role("button", name="Los geht's").tap()
        bernd.wait_for_url(f"{server.url}/r/{code}")
        expect(bernd.locator("#group")).to_contain_text("Arbeitsgruppe 1")
        expect(console.locator("#people li.online")).to_have_count(2)

        # A "Vertiefung" board in group 2: its projector and Anna's phone show it, Bernd's phone does not.
        console.locator("summary", has_text="Board zum Vertiefen").click()
        console.get_by_label("Thema").fill(BOARD)
        console.get_by_role("button", name="Board anlegen").click()
        for page in (projector, anna):
            expect(page.locator("#stage .question")).to_have_text(BOARD)
        expect(projector.locator(".dd-section h3")).to_have_text(
            ["Anliegen", "Übergreifendes Ziel", "Zwischenziele", "Herausforderung", "Machbarkeit"]
        )
        expect(bernd.locator("#stage")).to_contain_text("Gleich geht es los")

        # Anna adds a concern from her phone; it appears in "Anliegen" on the projector.
        anna.get_by_label("Dein Beitrag").fill(ENTRY)
        anna.get_by_role("button", name="Beitrag abgeben").tap()
        expect(projector.locator(".dd-section").first.locator(".dd-entry")).to_have_text([ENTRY])
        expect(anna.locator(".my-cards li")).to_contain_text([ENTRY])

        # Five minutes on group 2's timer: right on Anna's phone although her clock is off, absent for group 1.
        console.get_by_label("Timer", exact=True).fill("5")
        console.get_by_role("button", name="Starten").click()
        for page in (projector, anna, console):
            expect(countdown(page)).to_have_text(re.compile(r"^(5:00|4:[0-5]\d)$"))
        expect(countdown(bernd)).to_have_count(0)
        anna.reload()  # a new page, a new socket: the same end time
        expect(countdown(anna)).to_have_text(re.compile(r"^(5:00|4:[0-5]\d)$"))

        console.get_by_role("button", name="Anhalten").click()
        expect(countdown(projector)).to_have_attribute("data-state", "paused")
        paused = countdown(projector).inner_text()
        expect(countdown(anna)).to_have_text(paused)
        expect(projector.locator("#timer")).to_contain_text("angehalten")

        assert not watch.errors, watch.errors
        assert not watch.csp, watch.csp
        assert not watch.dialogs, watch.dialogs
        foreign = [url for url in watch.requests + watch.sockets if urlsplit(url).netloc != origin.netloc]
        assert not foreign, f"requests to other servers: {foreign}"
    finally:
        for context in browser.contexts:
            context.close()
