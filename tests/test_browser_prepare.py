"""End to end in a real Chromium: a room opened from a built-in template, more questions pasted as a list, a timer
that runs out (every screen shows and says it; the projector chimes once someone clicked its sound on, and not once
the facilitator muted it), and people dealt to groups at random (a moved phone shows and says its new group).

Waits are Playwright's auto-waiting assertions (what a person would wait for on screen), never fixed times.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .clients import Server
from .test_browser import DESKTOP, PHONE, PROJECTOR, Watch, browser  # noqa: F401 - the module's browser fixture

# The projector's tones, counted where the Web Audio API starts them (the sound itself has no one to hear it here).
COUNT_TONES = """(() => {
  window.tones = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) { window.tones += 1; return start.apply(this, args); };
})();"""


def join(page: Page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_label("Dein Name").fill(name)
    page.get_by_role("button", name="Los geht's").tap()
    expect(page.locator("#stage")).to_be_visible()


def run_timer(console: Page, minutes: str) -> None:
    console.get_by_label("Timer", exact=True).fill(minutes)
    console.locator("#timer").get_by_role("button", name="Starten").click()


@pytest.mark.browser
def test_a_prepared_room_a_pasted_list_the_end_of_a_timer_and_groups_dealt_at_random(
    server: Server,
    browser: Browser,  # noqa: F811
) -> None:
    watch = Watch()
    try:
        context = watch.context(browser, "facilitator", viewport=DESKTOP)
        console = context.new_page()
        console.goto(server.url + "/")
        console.get_by_label("Schnellabschätzung").check()
        console.get_by_role("button", name="Raum mit dieser Vorlage eröffnen").click()
        console.wait_for_url(re.compile(r"/r/\w+/facilitate$"))
        code = console.url.split("/r/")[1].split("/")[0]
        expect(console.locator("#agenda li")).to_have_count(3)

        # Two more measures, pasted: one line is empty, one is there already; the notice says so.
        console.locator("summary", has_text="Mehrere Fragen auf einmal").click()
        console.get_by_role("textbox", name="Fragen, eine je Zeile").fill(
            "Chatbots für Bürger*innen einführen?\n\n"
            "Wie hoch schätzt Ihr den Aufwand zur Begrünung der städtischen Dächer einer Innenstadt ein?\n"
            "Bürgerbeiräte etablieren?"
        )
        console.get_by_role("button", name="Fragen in den Ablauf").click()
        expect(console.locator("#notice")).to_have_text(
            "Angelegt: 2. Übersprungen: Zeile 2 (leer), Zeile 3 (schon vorhanden)."
        )
        expect(console.locator("#agenda li")).to_have_count(5)

        context.add_init_script(COUNT_TONES)
        projector = context.new_page()
        projector.set_viewport_size(PROJECTOR)
        projector.goto(f"{server.url}/r/{code}/projector")
        unlock = projector.get_by_role("button", name="Ton für das Ende des Timers einschalten")
        expect(unlock).to_be_visible()
        unlock.click()
        expect(unlock).to_be_hidden()

        anna = watch.context(browser, "anna", **PHONE).new_page()
        join(anna, f"{server.url}/j/{code}", "Anna")
        bernd = watch.context(browser, "bernd", **PHONE).new_page()
        join(bernd, f"{server.url}/j/{code}", "Bernd")

        # The timer runs out: the phone shows it on a red band, in words, and says it; the projector chimes.
        run_timer(console, "0:02")
        for page in (anna, projector, console):
            expect(page.locator("#timer.timer-over .countdown")).to_have_text("Zeit ist um")
        expect(anna.locator("#announce")).to_have_text("Zeit ist um")
        expect(anna.locator("#timer .timer-face")).to_have_css("background-color", "rgb(180, 35, 24)")
        projector.wait_for_function("window.tones === 3")

        # Muted on the console: the next end is shown and said, but the projector stays silent.
        console.locator("#timer").get_by_role("button", name="Timer beenden").click()
        console.get_by_label("Ton am Beamer, wenn die Zeit um ist").uncheck()
        expect(projector.locator("#timer")).to_have_attribute("data-sound", "off")
        run_timer(console, "0:01")
        expect(projector.locator("#timer.timer-over .countdown")).to_have_text("Zeit ist um")
        expect(anna.locator("#announce")).to_have_text("Zeit ist um")
        assert projector.evaluate("window.tones") == 3

        # Dealt at random into two groups: each phone shows and says the group it is in now.
        console.locator("summary", has_text="Zufällig auf Gruppen verteilen").click()
        console.get_by_label("Anzahl der Gruppen").check()
        console.get_by_label("Zahl", exact=True).fill("2")
        console.get_by_role("button", name="Zufällig verteilen").click()
        expect(console.locator("#tabs a")).to_have_count(2)
        for phone in (anna, bernd):
            expect(phone.locator("#group.moved")).to_contain_text("neu eingeteilt")
            group = phone.locator("#group strong").inner_text()
            expect(phone.locator("#announce")).to_have_text(f"Du bist jetzt in {group}.")
        assert {anna.locator("#group strong").inner_text(), bernd.locator("#group strong").inner_text()} == {
            "Arbeitsgruppe 1",
            "Arbeitsgruppe 2",
        }
        assert not watch.errors and not watch.csp, watch.errors + watch.csp
    finally:
        for context in browser.contexts:
            context.close()
