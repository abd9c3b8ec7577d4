"""End to end in a real Chromium: a mood check-in and an open question with a word cloud, from the console to two
phones and the projector. Waits are Playwright's auto-waiting assertions, never fixed times."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from .clients import Server
from .test_browser import DESKTOP, PHONE, PROJECTOR, Watch, browser  # noqa: F401 - the module-scoped Chromium fixture


def new_poll(console: Page, question: str, form: str) -> None:
    """The console's poll form, as a facilitator fills it."""
    panel = console.locator("details").filter(has=console.locator("summary", has_text="Umfrage"))
    if not panel.evaluate("details => details.open"):
        panel.locator("summary").click()
    panel.get_by_label("Frage der Umfrage").fill(question)
    panel.get_by_label("Art der Umfrage").select_option(label=form)
    panel.get_by_role("button", name="Umfrage starten").click()


@pytest.mark.browser
def test_a_mood_check_in_and_a_word_cloud(server: Server, browser: Browser) -> None:  # noqa: F811
    watch = Watch()
    try:
        console = watch.context(browser, "facilitator", viewport=DESKTOP).new_page()
        console.goto(server.url + "/")
        console.get_by_label("Titel").first.fill("Abschluss des Tages")
        console.get_by_role("button", name="Raum eröffnen").click()
        console.wait_for_url("**/facilitate")
        code = console.url.split("/r/")[1].split("/")[0]
        projector = watch.context(browser, "projector", viewport=PROJECTOR).new_page()
        projector.goto(f"{server.url}/r/{code}/projector")
        phones = []
        for name in ("Anna", "Bernd"):
            phone = watch.context(browser, name, **PHONE).new_page()
            phone.goto(f"{server.url}/j/{code}")
            phone.get_by_label("Dein Name").fill(name)
            phone.get_by_role("button", name="Los geht's").tap()
            phone.wait_for_url(f"{server.url}/r/{code}")
            phones.append(phone)
        anna, bernd = phones

        # A mood check-in: four faces on the phones, the result hidden until the facilitator shows it.
        new_poll(console, "", "Blitzlicht")
        for page in (console, projector, anna, bernd):
            expect(page.locator("#stage .question")).to_have_text("Wie geht Ihr heute raus?")
        expect(anna.locator("#mine .choice-button")).to_have_count(4)
        anna.locator("#mine").get_by_role("button", name="Begeistert").tap()
        expect(anna.locator("#mine").get_by_role("button", name="Begeistert")).to_have_attribute("aria-pressed", "true")
        bernd.locator("#mine").get_by_role("button", name="Zufrieden").tap()
        expect(projector.locator("#stage .progress-text")).to_contain_text("2 von 2 haben geantwortet")
        expect(projector.locator("#stage .poll-bars")).to_have_count(0)
        console.get_by_role("button", name="Ergebnis zeigen").click()
        bars = projector.locator("#stage .poll-bars li")
        expect(bars).to_have_count(4)
        expect(bars.filter(has_text="Begeistert").locator(".poll-count")).to_contain_text("1")
        expect(bars.filter(has_text="Enttäuscht").locator(".poll-count")).to_contain_text("0")
        expect(projector.locator("#stage .poll-bars svg.face")).to_have_count(4)
        expect(anna.locator("#mine")).to_contain_text("Deine Antwort ist dabei")

        # An open question: typed on the phones, shown as a word cloud on the projector.
        new_poll(console, "Was nehmt Ihr mit?", "Offene Antworten (Wortwolke)")
        expect(anna.locator("#stage .question")).to_have_text("Was nehmt Ihr mit?")
        for phone, typed in ((anna, "Vernetzung und Mut"), (bernd, "Vernetzung über Ämter")):
            phone.get_by_label("Deine Antwort").fill(typed)
            phone.get_by_role("button", name="Antwort senden").tap()
            expect(phone.locator("#mine .saved")).to_be_visible()
        expect(projector.locator("#stage .progress-text")).to_contain_text("2 von 2 haben geantwortet")
        expect(projector.locator("#stage .cloud")).to_have_count(0)
        console.get_by_role("button", name="Ergebnis zeigen").click()
        largest = projector.locator("#stage .cloud li.w6")
        expect(largest).to_contain_text("Vernetzung")
        size = largest.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 60, size  # the word everyone used is readable from the back of the room at 1920 px
        expect(projector.locator("#stage .cloud li")).to_have_count(
            3
        )  # Vernetzung, Mut, Ämter: "und", "über" are stop words
        expect(console.locator("#stage .poll-texts")).to_contain_text("Vernetzung über Ämter")
    finally:
        for context in browser.contexts:
            context.close()

    origin = urlsplit(server.url)
    assert not [url for url in watch.requests if urlsplit(url)[:2] != origin[:2]]
    assert not watch.csp, watch.csp
    assert not watch.errors, watch.errors
    assert not watch.dialogs, watch.dialogs
