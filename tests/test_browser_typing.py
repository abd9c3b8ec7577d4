"""Phones never lose what people type, and focus stays where they act: in a real Chromium, with live pushes arriving
while someone types, a reconnect, a connection that drops while a card is sent, and an answer that never arrives.

The room is set up over plain HTTP; what is tested is the phone. Waits are Playwright's auto-waiting assertions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from .clients import BROWSER_POST, HX, WAIT, Server
from .test_browser import PHONE, Watch, browser  # noqa: F401 - the module-scoped Chromium fixture

pytestmark = pytest.mark.browser

HALF_WRITTEN = "Ein gemeinsamer Kalender für alle Ämter, damit"


@dataclass
class Room:
    server: Server
    code: str
    fac: httpx.Client
    anna: httpx.Client

    def post(self, path: str, **data: str) -> str:
        answer = self.fac.post(f"/r/{self.code}/{path}", headers=HX, data=data)
        assert answer.status_code == 200, answer.text
        return answer.text

    def phone(self, watch: Watch, chromium: Browser) -> Page:
        """Anna's phone, in a browser with her cookie, once its socket has sent the state it shows."""
        context = watch.context(chromium, "Anna", **PHONE)
        context.add_cookies(
            [{"name": c.name, "value": c.value or "", "url": self.server.url} for c in self.anna.cookies.jar]
        )
        context.add_init_script(
            "document.addEventListener('htmx:wsAfterMessage', function () { var d = document.documentElement.dataset;"
            " d.live = String(Number(d.live || 0) + 1); });"
        )
        page = context.new_page()
        page.goto(f"{self.server.url}/r/{self.code}")
        expect(page.locator("html")).to_have_attribute("data-live", re.compile(r"\d"))
        return page

    def projector_text(self) -> str:
        return self.fac.get(f"/r/{self.code}/projector").text


@pytest.fixture
def room(server: Server) -> Iterator[Room]:
    fac = httpx.Client(base_url=server.url, headers=BROWSER_POST, timeout=WAIT)
    anna = httpx.Client(base_url=server.url, headers=BROWSER_POST, timeout=WAIT)
    code = fac.post("/rooms", data={"title": "Nichts geht verloren"}).headers["location"].split("/")[2]
    pid = re.search(r'name="pid" value="([^"]+)"', anna.get(f"/j/{code}").text)
    assert pid
    assert anna.post(f"/j/{code}", data={"pid": pid[1], "name": "Anna"}).status_code == 303
    yield Room(server, code, fac, anna)
    fac.close()
    anna.close()


@pytest.fixture
def watch(browser: Browser) -> Iterator[Watch]:  # noqa: F811
    seen = Watch()
    yield seen
    for context in browser.contexts:
        context.close()
    assert not seen.csp, seen.csp
    assert not seen.dialogs, seen.dialogs


def caret(page: Page, field: str) -> list[object]:
    """Whether `field` has focus, and where its caret is."""
    return page.eval_on_selector(  # type: ignore[no-any-return]
        field, "el => [document.activeElement === el, el.selectionStart, el.selectionEnd]"
    )


def test_a_push_that_redraws_the_board_form_keeps_what_is_typed_and_the_caret(
    room: Room,
    watch: Watch,
    browser: Browser,  # noqa: F811
) -> None:
    room.post("boards", title="Dachbegrünung in Innenstädten fördern", template="deep-dive", start="on")
    phone = room.phone(watch, browser)
    field = phone.get_by_label("Dein Beitrag")
    field.fill(HALF_WRITTEN)
    field.evaluate("el => el.setSelectionRange(2, 2)")  # she went back to fix a typo near the start
    assert caret(phone, "#entry-text") == [True, 2, 2]
    section = re.search(r'name="section" value="([^"]+)"', room.fac.get(f"/r/{room.code}/facilitate").text)
    board = re.search(r'name="board" value="([^"]+)"', room.fac.get(f"/r/{room.code}/facilitate").text)
    assert section and board
    room.post("sections/rename", board=board[1], section=section[1], title="Unser Anliegen")  # redraws her form

    expect(phone.get_by_label("Abschnitt").locator("option").first).to_have_text("Unser Anliegen")
    expect(field).to_have_value(HALF_WRITTEN)
    assert caret(phone, "#entry-text") == [True, 2, 2]


def test_a_reconnect_keeps_what_is_typed(room: Room, watch: Watch, browser: Browser) -> None:  # noqa: F811
    room.post("ideas", prompt="Welche Ideen habt Ihr?", show="name", start="on")
    phone = room.phone(watch, browser)
    field = phone.get_by_label("Deine Idee, dein Anliegen")
    field.fill(HALF_WRITTEN)
    phone.get_by_label("Ohne meinen Namen zeigen").check()
    field.focus()
    before = phone.evaluate("document.documentElement.dataset.live")
    # Back from the background, or after a dropped connection: the phone asks for the whole state again.
    phone.evaluate("window.workshopSocket.send(JSON.stringify({type: 'resync'}))")
    expect(phone.locator("html")).not_to_have_attribute("data-live", before)
    expect(field).to_have_value(HALF_WRITTEN)
    expect(phone.get_by_label("Ohne meinen Namen zeigen")).to_be_checked()
    assert caret(phone, "#card-text")[0] is True


def test_a_card_sent_while_offline_says_so_and_goes_out_once_when_the_connection_is_back(
    room: Room,
    watch: Watch,
    browser: Browser,  # noqa: F811
) -> None:
    room.post("ideas", prompt="Welche Ideen habt Ihr?", show="name", start="on")
    phone = room.phone(watch, browser)
    field = phone.get_by_label("Deine Idee, dein Anliegen")
    field.fill("Offline geschrieben")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Karte abgeben").tap()
    form = phone.locator("form.card-form")
    expect(form).to_have_class(re.compile(r"\bunsent\b"))
    expect(form).to_have_attribute("data-unsent", re.compile("Nicht gesendet"))
    expect(field).to_have_value("Offline geschrieben")

    phone.context.set_offline(False)  # the socket comes back by itself and the card goes out
    expect(phone.locator(".my-cards li")).to_have_count(1)
    expect(phone.locator(".my-cards li").first).to_contain_text("Offline geschrieben")
    expect(field).to_have_value("")
    expect(form).not_to_have_class(re.compile(r"\bunsent\b"))
    assert room.projector_text().count("Offline geschrieben") == 1


def test_a_card_whose_answer_was_lost_is_not_stored_twice_when_sent_again(
    room: Room,
    watch: Watch,
    browser: Browser,  # noqa: F811
) -> None:
    room.post("ideas", prompt="Welche Ideen habt Ihr?", show="name", start="on")
    phone = room.phone(watch, browser)
    lost: list[str] = []

    def lose_the_answer(route: Route) -> None:
        """The request reaches the server, which stores the card; its answer never reaches the phone."""
        if not lost:
            lost.append(route.fetch().text())
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route(f"**/r/{room.code}/cards", lose_the_answer)
    phone.get_by_label("Deine Idee, dein Anliegen").fill("Nur einmal, bitte")
    phone.get_by_role("button", name="Karte abgeben").tap()
    expect(phone.locator("form.card-form")).to_have_class(re.compile(r"\bunsent\b"))
    assert lost and room.projector_text().count("Nur einmal, bitte") == 1  # stored, though the phone was not told
    phone.get_by_role("button", name="Karte abgeben").tap()  # sent again, as a person would
    expect(phone.get_by_label("Deine Idee, dein Anliegen")).to_have_value("")  # … and answered this time
    expect(phone.locator("form.card-form")).not_to_have_class(re.compile(r"\bunsent\b"))
    expect(phone.locator(".my-cards li")).to_have_count(1)
    assert room.projector_text().count("Nur einmal, bitte") == 1


def test_focus_stays_on_the_card_just_voted(room: Room, watch: Watch, browser: Browser) -> None:  # noqa: F811
    room.post("items", question="Wie hoch ist der Aufwand?", deck="fibonacci", start="on")
    phone = room.phone(watch, browser)
    eight = phone.locator("#mine").get_by_role("button", name="8", exact=True)
    eight.focus()
    eight.press("Enter")
    expect(phone.locator("#mine .card.chosen")).to_have_text("8")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "8"
    expect(phone.locator("#announce")).to_have_text("Stimme gespeichert")


def test_the_dot_vote_comes_first_and_a_card_begun_before_it_stays_in_view(
    room: Room,
    watch: Watch,
    browser: Browser,  # noqa: F811
) -> None:
    room.post("ideas", prompt="Was wollt Ihr gemeinsam angehen?", start="on")
    activity = re.search(r'name="activity" value="([^"]+)"', room.fac.get(f"/r/{room.code}/facilitate").text)
    assert activity
    room.post("themes", activity=activity[1], title="Digitalisierung")
    phone = room.phone(watch, browser)
    field = phone.get_by_label("Deine Idee, dein Anliegen")
    field.fill(HALF_WRITTEN)

    room.post("dots/start", activity=activity[1], dots="3", on="themes")  # one dot per theme: no "stack"
    expect(phone.get_by_text("Noch 3 Punkte zu vergeben")).to_be_visible()
    expect(phone.get_by_text("Höchstens ein Punkt je Thema.")).to_be_visible()  # why "+" greys out after one
    expect(field).to_have_value(HALF_WRITTEN)  # what she began is still there, in view, with focus
    expect(field).to_be_visible()
    expect(field).to_be_focused()

    # A phone with nothing begun shows the dots, and writing another card one tap away.
    other = room.phone(watch, browser)
    expect(other.get_by_text("Noch 3 Punkte zu vergeben")).to_be_visible()
    expect(other.get_by_label("Deine Idee, dein Anliegen")).to_be_hidden()
    other.get_by_text("Noch eine Karte schreiben").click()
    expect(other.get_by_label("Deine Idee, dein Anliegen")).to_be_visible()
