"""Sorting idea cards in a real Chromium: drag and drop on the facilitator's board (mouse and touch), and the menu.

The room, the collection, the themes and Anna's cards are made over plain HTTP: what is tested is the board. Waits are
Playwright's auto-waiting assertions (the card sits where it was dragged, the projector shows it), never fixed times.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, CDPSession, Locator, Page, Position, Route, expect

from .clients import BROWSER_POST, HX, WAIT, Server
from .test_browser import DESKTOP, PROJECTOR, Watch, browser  # noqa: F401 - the module-scoped Chromium fixture

pytestmark = pytest.mark.browser

PROMPT = "Welche Ideen habt Ihr für eine bessere Zusammenarbeit?"
THEMES = ("Prozesse vereinfachen", "Besser informieren")
CARDS = ("Weniger Formulare", "Ein gemeinsamer Kalender", "Kurze Wege zur Leitung", "Monatlicher Newsletter")


@dataclass
class Room:
    """A room with an idea collection on stage, two themes and Anna's four loose cards."""

    server: Server
    code: str
    activity: str
    themes: list[str]  # theme ids, in order
    cards: dict[str, str]  # text -> card id
    fac: httpx.Client
    anna: httpx.Client

    def write(self, text: str) -> None:
        answer = self.anna.post(f"/r/{self.code}/cards", headers=HX, data={"activity": self.activity, "text": text})
        assert answer.status_code == 200, answer.text

    def move(self, card: str, to: str) -> None:
        data = {"activity": self.activity, "card": self.cards[card], "to": to}
        answer = self.fac.post(f"/r/{self.code}/cards/move", headers=HX, data=data)
        assert answer.status_code == 200, answer.text

    def console(self, watch: Watch, chromium: Browser, **options: object) -> Page:
        """The facilitator's console in a browser with the facilitator's cookie."""
        context = watch.context(chromium, "facilitator", **{"viewport": DESKTOP, **options})
        context.add_cookies(
            [{"name": c.name, "value": c.value or "", "url": self.server.url} for c in self.fac.cookies.jar]
        )
        context.add_init_script(LIVE)
        page = context.new_page()
        page.goto(f"{self.server.url}/r/{self.code}/facilitate")
        live(page)
        return page


# On (re)connecting, the socket sends the full state, which replaces #stage once more: a page is ready for the
# mouse when that has arrived (a card measured just before would be gone). This marks <html> when it has.
LIVE = (
    "document.addEventListener('htmx:wsAfterMessage', function () { document.documentElement.dataset.live = 'yes'; });"
)


def live(page: Page) -> None:
    """Wait until the page shows the state its socket sent on connecting."""
    expect(page.locator("html")).to_have_attribute("data-live", "yes")
    expect(page.locator("#stage .question")).to_have_text(PROMPT)


@pytest.fixture
def room(server: Server) -> Iterator[Room]:
    fac = httpx.Client(base_url=server.url, headers=BROWSER_POST, timeout=WAIT)
    anna = httpx.Client(base_url=server.url, headers=BROWSER_POST, timeout=WAIT)
    code = fac.post("/rooms", data={"title": "Zusammenarbeit sortieren"}).headers["location"].split("/")[2]
    opened = fac.post(f"/r/{code}/ideas", headers=HX, data={"prompt": PROMPT, "show": "name", "start": "on"})
    assert opened.status_code == 200, opened.text
    found = re.search(r'name="activity" value="([^"]+)"', fac.get(f"/r/{code}/facilitate").text)
    assert found, "no idea collection on the console"
    activity = found[1]
    for title in THEMES:
        made = fac.post(f"/r/{code}/themes", headers=HX, data={"activity": activity, "title": title})
        assert made.status_code == 200, made.text
    pid = re.search(r'name="pid" value="([^"]+)"', anna.get(f"/j/{code}").text)
    assert pid, "no join form"
    assert anna.post(f"/j/{code}", data={"pid": pid[1], "name": "Anna"}).status_code == 303
    for text in CARDS:
        written = anna.post(f"/r/{code}/cards", headers=HX, data={"activity": activity, "text": text})
        assert written.status_code == 200, written.text
    stage = BeautifulSoup(fac.get(f"/r/{code}/facilitate").text, "html.parser").select_one("#stage")
    assert stage is not None
    themes = [str(theme["data-theme"]) for theme in stage.select("[data-theme]")]
    cards = {li.select(".idea-text")[0].get_text(): str(li["data-card"]) for li in stage.select("[data-card]")}
    assert len(themes) == 2 and sorted(cards) == sorted(CARDS), (themes, cards)
    yield Room(server, code, activity, themes, cards, fac, anna)
    fac.close()
    anna.close()


@pytest.fixture
def watch(browser: Browser) -> Iterator[Watch]:  # noqa: F811
    seen = Watch()
    yield seen
    for context in browser.contexts:
        context.close()
    assert not seen.csp, seen.csp
    assert not seen.errors, seen.errors
    assert not seen.dialogs, seen.dialogs


def texts(page: Page, place: str) -> Locator:
    """The cards' texts in one place of the board: a theme's id, "" for the loose cards, "new"."""
    return page.locator(f'#stage [data-place="{place}"] > [data-card] .idea-text')


def centre(locator: Locator) -> tuple[float, float]:
    """A point on the element, near its top left corner (clear of the "⋯" menu): for touch, which has no hover."""
    box = locator.bounding_box()
    assert box, f"{locator} is not on screen"
    return box["x"] + 12, box["y"] + min(12, box["height"] / 2)


def aim(page: Page, selector: str) -> tuple[float, float]:
    """Where a finger lands on the element, once the element really is under that point: after a swipe the page may
    still be settling, so look again on each new frame (an event of the page, not a fixed time)."""
    for _ in range(120):
        x, y = centre(page.locator(selector))
        hit = page.evaluate("([x, y, s]) => !!document.elementFromPoint(x, y)?.closest(s)", [x, y, selector])
        if hit and centre(page.locator(selector)) == (x, y):
            return x, y
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
    raise AssertionError(f"{selector} did not come to rest under the finger")


def let_go(page: Page, release: Callable[[], object], path: str) -> None:
    """Let go of a dragged card or theme; the drop is sent to `path` and answered with 200."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(path)) as answer:
        release()
    assert answer.value.status == 200, f"{path} answered {answer.value.status}: {answer.value.text()}"


def moves_sent(page: Page) -> list[str]:
    """The moves of cards or themes the page posts from now on."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" and r.url.endswith("/move") else None)
    return sent


GRIP: Position = {"x": 12, "y": 12}  # where the mouse takes a card or a theme's heading: clear of the "⋯" menu
NUDGED: Position = {"x": 24, "y": 20}  # a little further on


def press(page: Page, item: Locator) -> None:
    """Press the mouse button on the item (hover waits until it stands still: Sortable slides cards into place)."""
    item.hover(position=GRIP)
    page.mouse.down()
    item.hover(position=NUDGED)  # a first move lifts it: Sortable follows the pointer from then on


def drag(page: Page, item: Locator, onto: Locator, landed: Locator, path: str, at: Position | None = None) -> None:
    """With the mouse: press the item, move it onto `onto` and hold until it sits there (`landed`), let go."""
    press(page, item)
    onto.hover(position=at)
    expect(landed).to_have_count(1)
    let_go(page, page.mouse.up, path)


def test_facilitator_sorts_cards_by_dragging_and_with_the_menu(room: Room, watch: Watch, browser: Browser) -> None:  # noqa: F811
    one, two = room.themes
    first, second, third, fourth = (room.cards[text] for text in CARDS)
    console = room.console(watch, browser)
    projector = watch.context(browser, "projector", viewport=PROJECTOR).new_page()
    projector.goto(f"{room.server.url}/r/{room.code}/projector")
    expect(texts(console, "")).to_have_text(list(CARDS))
    expect(projector.locator("#stage .idea-text")).to_have_count(4)

    # a. A loose card, dragged with the mouse into the first theme: there on the console and on the projector.
    card = console.locator(f'#stage [data-card="{first}"]')
    drag(
        console,
        card,
        console.locator(f'#stage [data-place="{one}"]'),
        console.locator(f'#stage [data-place="{one}"] > [data-card="{first}"]'),
        "/cards/move",
    )
    expect(texts(console, one)).to_have_text([CARDS[0]])
    expect(console.locator(f'#stage [data-card="{first}"] select[name="to"]')).to_have_value(one)  # drawn by the server
    expect(texts(projector, one)).to_have_text([CARDS[0]])
    expect(texts(projector, "")).to_have_text(list(CARDS[1:]))

    # b. A card dropped on "+ Neues Thema" becomes a new theme of its own.
    new = console.locator(".new-theme [data-place='new']")
    drag(
        console,
        console.locator(f'#stage [data-card="{second}"]'),
        new,
        new.locator(f'[data-card="{second}"]'),
        "/cards/move",
    )
    themes = console.locator("#stage [data-themes] > [data-theme]")
    expect(themes).to_have_count(3)
    expect(themes.last.locator("h3")).to_have_text("Neues Thema")
    expect(themes.last.locator(".idea-text")).to_have_text([CARDS[1]])
    expect(console.locator("#stage .new-theme [data-card]")).to_have_count(0)
    expect(projector.locator("#stage [data-theme]").last).to_contain_text(CARDS[1])

    # c. The third card joins the first theme (over HTTP: the console hears it on its socket) and is dragged above
    #    the first card; the order holds after a reload.
    room.move(CARDS[2], one)
    expect(texts(console, one)).to_have_text([CARDS[0], CARDS[2]])
    place = console.locator(f'#stage [data-place="{one}"]')
    drag(
        console,
        place.locator(f'[data-card="{third}"]'),
        place.locator(f'[data-card="{first}"]'),
        place.locator(f'[data-card="{third}"]:first-child'),
        "/cards/move",
        at={"x": 40, "y": 6},
    )
    expect(texts(console, one)).to_have_text([CARDS[2], CARDS[0]])
    console.reload()
    live(console)
    expect(texts(console, one)).to_have_text([CARDS[2], CARDS[0]])
    expect(texts(projector, one)).to_have_text([CARDS[2], CARDS[0]])

    # d. Without dragging: the card's "⋯" menu moves it to another theme.
    card = console.locator(f'#stage [data-card="{fourth}"]')
    card.get_by_label("Karte verschieben").click()
    card.get_by_label("Verschieben nach").select_option(label=THEMES[1])
    card.get_by_role("button", name="Verschieben").click()
    expect(texts(console, two)).to_have_text([CARDS[3]])
    expect(texts(console, "")).to_have_count(0)
    expect(texts(projector, two)).to_have_text([CARDS[3]])

    # e. Themes move by their heading: the second before the first; "+ Neues Thema" stays last.
    head = console.locator(f'#stage [data-theme="{two}"] .theme-head h3')
    drag(
        console,
        head,
        console.locator(f'#stage [data-theme="{one}"] .theme-head h3'),
        console.locator(f'#stage [data-themes] > [data-theme="{two}"]:first-child'),
        "/themes/move",
    )
    expect(themes.locator("h3")).to_have_text([THEMES[1], THEMES[0], "Neues Thema"])
    expect(console.locator("#stage [data-themes] > :last-child")).to_have_class(re.compile(r"\bnew-theme\b"))
    console.reload()
    live(console)
    expect(themes.locator("h3")).to_have_text([THEMES[1], THEMES[0], "Neues Thema"])
    expect(projector.locator("#stage [data-theme] h3")).to_have_text([THEMES[1], THEMES[0], "Neues Thema"])

    expect(console.locator("#notice")).to_be_empty()
    expect(console.locator("#connection")).to_be_hidden()


def heard(text: str) -> str:
    """A page script that marks <html data-heard> once a socket message carrying `text` went through htmx."""
    return (
        "document.addEventListener('htmx:wsAfterMessage', function (e) {"
        f" if (e.detail.message.indexOf({json.dumps(text)}) >= 0) document.documentElement.dataset.heard = 'yes'; }});"
    )


def test_a_drag_survives_updates_from_the_room(room: Room, watch: Watch, browser: Browser) -> None:  # noqa: F811
    one = room.themes[0]
    first, second = room.cards[CARDS[0]], room.cards[CARDS[1]]
    console = room.console(watch, browser)
    html = console.locator("html")

    # Anna writes a card while the facilitator holds one over a theme: the drag goes on, the drop is sent.
    console.add_init_script(heard("Noch eine Idee"))
    console.reload()
    live(console)
    expect(texts(console, "")).to_have_count(4)
    press(console, console.locator(f'#stage [data-card="{first}"]'))
    console.locator(f'#stage [data-place="{one}"]').hover()
    landed = console.locator(f'#stage [data-place="{one}"] > [data-card="{first}"]')
    expect(landed).to_have_count(1)
    room.write("Noch eine Idee")
    expect(html).to_have_attribute("data-heard", "yes")  # the socket brought a new board …
    expect(landed).to_have_class(re.compile(r"\bsortable-chosen\b"))  # … which did not replace the one in use
    expect(console.locator("#stage")).not_to_contain_text("Noch eine Idee")
    let_go(console, console.mouse.up, "/cards/move")
    expect(texts(console, one)).to_have_text([CARDS[0]])
    expect(texts(console, "")).to_contain_text(["Noch eine Idee"])

    # A card picked up and put back where it was sends nothing; what came meanwhile is fetched after.
    console.add_init_script(heard("Und noch eine"))
    console.reload()
    live(console)
    sent = moves_sent(console)
    card = console.locator(f'#stage [data-card="{second}"]')
    press(console, card)  # and moved a little
    expect(card).to_have_class(re.compile(r"\bsortable-chosen\b"))
    room.write("Und noch eine")
    expect(html).to_have_attribute("data-heard", "yes")
    expect(console.locator("#stage")).not_to_contain_text("Und noch eine")
    card.hover(position=GRIP)  # back where it was taken
    console.mouse.up()
    expect(texts(console, "")).to_contain_text(["Und noch eine"])  # the board asked the socket for the state
    assert not sent, sent
    expect(texts(console, one)).to_have_text([CARDS[0]])
    expect(console.locator("#notice")).to_be_empty()


def test_a_quick_second_drop_is_sent_after_the_first(room: Room, watch: Watch, browser: Browser) -> None:  # noqa: F811
    """On a slow network the facilitator drops a second card before the first move is answered: both are kept."""
    one = room.themes[0]
    fourth, third = room.cards[CARDS[3]], room.cards[CARDS[2]]
    console = room.console(watch, browser)
    held: list[Route] = []  # the first move is held on its way to the server until the second card is dropped
    console.route("**/cards/move", lambda route: route.continue_() if held else held.append(route))
    place = console.locator(f'#stage [data-place="{one}"]')
    for card in (fourth, third):  # from the end of the loose cards, so that the others keep their places
        press(console, console.locator(f'#stage [data-card="{card}"]'))
        place.hover()
        expect(place.locator(f'[data-card="{card}"]')).to_have_count(1)
        console.mouse.up()
    order = texts(console, one).all_inner_texts()
    assert sorted(order) == sorted(CARDS[2:]), order
    assert len(held) == 1
    with console.expect_response(
        lambda r: r.url.endswith("/cards/move") and third in (r.request.post_data or "")
    ) as second:
        held[0].continue_()
    assert second.value.status == 200, second.value.text()
    expect(texts(console, one)).to_have_text(order)
    console.reload()
    live(console)
    expect(texts(console, one)).to_have_text(order)
    expect(texts(console, "")).to_have_text(list(CARDS[:2]))


def touch(cdp: CDPSession, kind: str, *points: tuple[float, float]) -> None:
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})


def test_on_a_touch_screen_a_swipe_scrolls_and_a_held_card_drags(room: Room, watch: Watch, browser: Browser) -> None:  # noqa: F811
    one = room.themes[0]
    first = room.cards[CARDS[0]]
    console = room.console(watch, browser, has_touch=True)
    cdp = console.context.new_cdp_session(console)
    sent = moves_sent(console)
    card = console.locator(f'#stage [data-card="{first}"]')
    card.scroll_into_view_if_needed()

    # A finger swiping up over a card scrolls the page; the card stays where it is.
    expect(console.get_by_role("heading", level=1)).to_be_in_viewport()
    x, y = centre(card)
    touch(cdp, "touchStart", (x, y))
    for step in range(1, 11):
        touch(cdp, "touchMove", (x, y - 30 * step))
    touch(cdp, "touchEnd")
    expect(texts(console, "")).to_have_text(list(CARDS))
    expect(console.get_by_role("heading", level=1)).not_to_be_in_viewport()

    # A finger resting on a card lifts it (after a moment); moved onto a theme and let go, it is sorted there.
    console.get_by_role("heading", level=2, name=PROMPT).scroll_into_view_if_needed()
    x, y = aim(console, f'#stage [data-card="{first}"]')
    tx, ty = aim(console, f'#stage [data-place="{one}"]')
    touch(cdp, "touchStart", (x, y))
    expect(card).to_have_class(re.compile(r"\bsortable-chosen\b"))
    for step in range(1, 13):
        touch(cdp, "touchMove", (x + (tx - x) * step / 12, y + (ty - y) * step / 12))
    expect(console.locator(f'#stage [data-place="{one}"] > [data-card="{first}"]')).to_have_count(1)
    assert not sent, sent
    let_go(console, lambda: touch(cdp, "touchEnd"), "/cards/move")
    expect(texts(console, one)).to_have_text([CARDS[0]])
    expect(console.locator(f'#stage [data-card="{first}"] select[name="to"]')).to_have_value(one)


def test_a_themes_menu_on_a_phone_sized_console_stays_on_the_screen(room: Room, watch: Watch, browser: Browser) -> None:  # noqa: F811
    for width in (390, 320):
        console = room.console(watch, browser, viewport={"width": width, "height": 844})
        console.locator("#stage .theme-menu summary").first.click()
        target = console.locator("#stage .theme-menu[open] select").first
        expect(target).to_be_visible()
        box = target.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width  # the whole field can be reached
        assert console.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        title = console.locator("#stage .theme-head h3").first.bounding_box()
        assert title is not None and title["width"] > 150  # the theme's title is not squeezed to a letter per line
