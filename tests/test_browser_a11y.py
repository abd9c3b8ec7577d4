"""Every screen, checked in a real Chromium with axe-core (no serious or critical violation), and every phone screen
reflowed at 320 px and at 200 % zoom on a 390 px phone (195 CSS px) without scrolling sideways.

One room of the example workshop goes through an estimate, an idea collection with a dot vote, a board and a poll,
with two working groups; each screen is looked at where a person would see it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from playwright.sync_api import Browser, Page

from . import axe
from .clients import BROWSER_POST, HX, WAIT, Server
from .test_browser import DESKTOP, PROJECTOR, Watch, browser  # noqa: F401 - the module-scoped Chromium fixture

pytestmark = pytest.mark.browser

TITLE = "Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit"
LONG_NAME = "Maximiliane Mustermann-Oberhausen"
WIDTHS = (320, 195)  # a narrow phone; a 390 px phone at 200 % zoom


@dataclass
class Room:
    server: Server
    code: str
    fac: httpx.Client
    people: dict[str, httpx.Client] = field(default_factory=dict)

    def post(self, path: str, who: httpx.Client | None = None, **data: str) -> str:
        answer = (who or self.fac).post(f"/r/{self.code}/{path}", headers=HX, data=data)
        assert answer.status_code == 200, answer.text
        return answer.text

    def console(self) -> str:
        return self.fac.get(f"/r/{self.code}/facilitate").text

    def value(self, name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]+)"', self.console())
        assert found, name
        return found[1]


@pytest.fixture(scope="module")
def room(server: Server) -> Iterator[Room]:
    fac = httpx.Client(base_url=server.url, headers=BROWSER_POST, timeout=WAIT)
    code = fac.post("/rooms", data={"title": TITLE, "ask_org": "on"}).headers["location"].split("/")[2]
    made = Room(server, code, fac)
    for name, org in ((LONG_NAME, "Landesbetrieb Straßenbau Nordrhein-Westfalen"), ("Bernd", "Stadt Bochum")):
        client = httpx.Client(base_url=server.url, headers=BROWSER_POST, timeout=WAIT)
        pid = re.search(r'name="pid" value="([^"]+)"', client.get(f"/j/{code}").text)
        assert pid
        client.post(f"/j/{code}", data={"pid": pid[1], "name": name, "org": org})
        made.people[name] = client
    yield made
    for client in (fac, *made.people.values()):
        client.close()


@pytest.fixture
def script() -> str:
    return axe.source()


@pytest.fixture
def watch(browser: Browser) -> Iterator[Watch]:  # noqa: F811
    seen = Watch()
    yield seen
    for context in browser.contexts:
        context.close()
    assert not seen.csp, seen.csp


def page_of(
    chromium: Browser, watch: Watch, room: Room, who: httpx.Client | None, path: str, **options: object
) -> Page:
    context = watch.context(chromium, "page", **options)
    if who is not None:
        context.add_cookies([{"name": c.name, "value": c.value or "", "url": room.server.url} for c in who.cookies.jar])
    page = context.new_page()
    page.goto(room.server.url + path)
    return page


def sideways(page: Page) -> list[str]:
    """What runs off the right edge (the page scrolls sideways because of it)."""
    return page.evaluate(  # type: ignore[no-any-return]
        """() => document.documentElement.scrollWidth <= innerWidth + 1 ? [] :
            [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
              .slice(0, 6).map(e => e.tagName.toLowerCase() + '.' + e.className + ': '
                + (e.textContent || '').trim().slice(0, 40))"""
    )


NAMES = """() => {
  const name = el => el.getAttribute('aria-label') || (el.labels && el.labels.length
    ? [...el.labels].map(l => l.textContent).join(' ') : (el.textContent || el.value || ''));
  const seen = {}, links = new Set();
  for (const el of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href], summary')) {
    if (el.closest('[hidden]')) continue;
    const key = el.tagName.toLowerCase() + ': ' + name(el).replace(/\\s+/g, ' ').trim();
    if (el.tagName === 'A') {  // two links to one place may share a name
      if (links.has(key + el.getAttribute('href'))) continue;
      links.add(key + el.getAttribute('href'));
    }
    seen[key] = (seen[key] || 0) + 1;
  }
  return Object.keys(seen).filter(key => seen[key] > 1);
}"""


def check(page: Page, script: str, where: str) -> None:
    """No serious or critical axe violation, and every control named for what it does (no two alike)."""
    found = axe.violations(page, script)
    assert not found, f"{where}: {found}"
    alike = page.evaluate(NAMES)
    assert not alike, f"{where}: controls with the same name: {alike}"


def look_at_a_phone(chromium: Browser, watch: Watch, room: Room, path: str, script: str, where: str) -> None:
    """A phone screen: axe at 390 px, and no sideways scrolling at each narrow width."""
    who = room.people[LONG_NAME] if path.startswith("/r/") else None
    phone = page_of(
        chromium, watch, room, who, path, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    check(phone, script, where)
    for width in WIDTHS:
        phone.set_viewport_size({"width": width, "height": 700})
        assert sideways(phone) == [], f"{where} at {width} px: {sideways(phone)}"
    phone.context.close()


def look_at_the_room(chromium: Browser, watch: Watch, room: Room, script: str, where: str) -> None:
    """Projector, console and a phone, as the room is now."""
    projector = page_of(chromium, watch, room, room.fac, f"/r/{room.code}/projector", viewport=PROJECTOR)
    check(projector, script, f"{where}: projector")
    console = page_of(chromium, watch, room, room.fac, f"/r/{room.code}/facilitate", viewport=DESKTOP)
    check(console, script, f"{where}: console")
    assert sideways(console) == [], f"{where}: console {sideways(console)}"
    look_at_a_phone(chromium, watch, room, f"/r/{room.code}", script, f"{where}: phone")
    for page in (projector, console):
        page.context.close()


def test_the_pages_before_a_room(room: Room, browser: Browser, watch: Watch, script: str) -> None:  # noqa: F811
    for path in ("/", "/join", f"/j/{room.code}", "/datenschutz", "/barrierefreiheit"):
        look_at_a_phone(browser, watch, room, path, script, path)
    start = page_of(browser, watch, room, None, "/", viewport=DESKTOP)
    check(start, script, "start page, desktop")


def test_every_activity_on_every_screen(room: Room, browser: Browser, watch: Watch, script: str) -> None:  # noqa: F811
    look_at_the_room(browser, watch, room, script, "an empty stage")
    room.post(
        "items",
        question="Wie hoch schätzt Ihr den Aufwand für eine Projekt-Clearingstelle ein?",
        deck="qualitative",
        start="on",
    )
    item = room.value("item")
    room.post("vote", room.people["Bernd"], item=item, round="1", card="Mittel", reason="Viele Beteiligte")
    look_at_the_room(browser, watch, room, script, "an estimate")
    room.post("reveal", item=item, round="1")
    look_at_the_room(browser, watch, room, script, "an estimate, revealed")

    room.post(
        "ideas", prompt="Welche Ideen, Anliegen und Maßnahmen habt Ihr für eine bessere Zusammenarbeit?", start="on"
    )
    activity = room.value("activity")
    for text in ("Organisationsübergreifende Projekt-Clearingstelle einrichten", "Gemeinsames Jobticket"):
        room.post("cards", room.people[LONG_NAME], activity=activity, text=text)
    room.post("themes", activity=activity, title="Mehr übergreifende Strukturen schaffen und nutzen")
    look_at_the_room(browser, watch, room, script, "an idea collection")
    room.post("dots/start", activity=activity, dots="3", on="cards")
    look_at_the_room(browser, watch, room, script, "a dot vote")

    room.post("boards", title="Dachbegrünung in Innenstädten fördern", template="deep-dive", start="on")
    board, section = room.value("board"), room.value("section")
    room.post("entries", room.people["Bernd"], board=board, section=section, text="Förderprogramme bündeln")
    look_at_the_room(browser, watch, room, script, "a board")
    room.post("estimate/start", board=board, section=section, question="Wie machbar ist das?", deck="qualitative")
    look_at_the_room(browser, watch, room, script, "a board's quick estimate")

    room.post("polls", question="", form="mood", start="on")
    look_at_the_room(browser, watch, room, script, "a mood check-in")
    room.post("polls", question="Was nehmt Ihr mit?", form="words", start="on")
    poll = room.value("poll")
    room.post("polls/answer", room.people["Bernd"], poll=poll, text="Vernetzung und Mut")
    room.post("polls/reveal", poll=poll)
    look_at_the_room(browser, watch, room, script, "a word cloud")

    room.post("groups", name="Arbeitsgruppe 2 – Partizipation & Demokratie stärken")
    look_at_the_room(browser, watch, room, script, "two groups (the overview on the projector)")


def test_a_rehearsal_console(room: Room, browser: Browser, watch: Watch, script: str) -> None:  # noqa: F811
    """The start page's "Probelauf starten": the console of a rehearsal room, with its guide and agenda."""
    client = httpx.Client(base_url=room.server.url, headers=BROWSER_POST, timeout=WAIT)
    opened = client.post("/rehearsals")
    assert opened.status_code == 303, opened.text
    code = opened.headers["location"].split("/")[2]
    try:
        console = page_of(
            browser, watch, Room(room.server, code, client), client, f"/r/{code}/facilitate", viewport=DESKTOP
        )
        assert console.get_by_role("heading", name="Probelauf: so geht es").is_visible()
        check(console, script, "a rehearsal's console")
        assert sideways(console) == [], sideways(console)
        console.context.close()
    finally:
        client.post(f"/r/{code}/delete", headers=HX, data={"confirm": code})  # its simulated people leave with it
        client.close()
