"""The projector is readable from the back of the room: sizes measured in a real Chromium at 1920×1080.

An idea board of 20, 40 and 80 cards fills the screen without scrolling, card text at least 24 px up to 40 cards
(whole, not clipped) and at least 18 px at 80; justifications after a reveal at least 24 px; the join panel gives
way once people are in; a group's projector names its group."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from .clients import BROWSER_POST, HX, WAIT, Server
from .test_browser import PROJECTOR, Watch, browser  # noqa: F401 - the module-scoped Chromium fixture

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("demo_ideas", Path(__file__).parent.parent / "scripts" / "demo_ideas.py")
assert _spec and _spec.loader
_demo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_demo)
THEMES: dict[str, list[str]] = _demo.THEMES  # the 80 cards of Initiativen.Werk 2025 in 8 themes


class Room:
    def __init__(self, server: Server, title: str) -> None:
        self.server = server
        self.fac = httpx.Client(base_url=server.url, headers=BROWSER_POST, timeout=WAIT)
        self.clients = [self.fac]
        self.code = self.fac.post("/rooms", data={"title": title}).headers["location"].split("/")[2]
        OPEN.append(self)

    def close(self) -> None:
        for client in self.clients:
            client.close()

    def post(self, path: str, **data: str) -> str:
        answer = self.fac.post(f"/r/{self.code}/{path}", headers=HX, data=data)
        assert answer.status_code == 200, answer.text
        return answer.text

    def join(self, name: str) -> httpx.Client:
        person = httpx.Client(base_url=self.server.url, headers=BROWSER_POST, timeout=WAIT)
        self.clients.append(person)
        pid = re.search(r'name="pid" value="([^"]+)"', person.get(f"/j/{self.code}").text)
        assert pid
        person.post(f"/j/{self.code}", data={"pid": pid[1], "name": name, "org": ""})
        return person

    def projector(self, watch: Watch, chromium: Browser, query: str = "") -> Page:
        context = watch.context(chromium, "projector", viewport=PROJECTOR)
        context.add_cookies(
            [{"name": c.name, "value": c.value or "", "url": self.server.url} for c in self.fac.cookies.jar]
        )
        page = context.new_page()
        page.goto(f"{self.server.url}/r/{self.code}/projector{query}")
        return page


OPEN: list[Room] = []


@pytest.fixture
def watch(browser: Browser) -> Iterator[Watch]:  # noqa: F811
    seen = Watch()
    yield seen
    for context in browser.contexts:
        context.close()
    while OPEN:
        OPEN.pop().close()
    assert not seen.csp, seen.csp


def idea_board(server: Server, cards: int) -> Room:
    """A room whose idea collection holds `cards` cards of the example workshop, sorted into its themes."""
    room = Room(server, "Initiativen.Werk 2025 – Ideen, Anliegen & Maßnahmen")
    writer = room.join("Katrin Hoffmann")
    room.post(
        "ideas", prompt="Welche Ideen, Anliegen und Maßnahmen habt Ihr für eine bessere Zusammenarbeit?", start="on"
    )
    activity = re.search(r'name="activity" value="([^"]+)"', room.fac.get(f"/r/{room.code}/facilitate").text)
    assert activity
    per_theme = max(1, cards // len(THEMES))
    for title, texts in THEMES.items():
        room.post("themes", activity=activity[1], title=title)
        for card in texts[:per_theme]:
            assert writer.post(
                f"/r/{room.code}/cards", headers=HX, data={"activity": activity[1], "text": card}
            ).is_success
    console = room.fac.get(f"/r/{room.code}/facilitate").text
    themes = re.findall(r'data-theme="([^"]+)"', console)
    loose = re.findall(r'data-card="([^"]+)"', console)
    for n, card in enumerate(loose):
        room.post("cards/move", activity=activity[1], card=card, to=themes[n // per_theme])
    return room


def sizes(page: Page) -> list[float]:
    """The computed font size of every card's text, in px."""
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        "#stage .idea-text", "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))"
    )


def clipped(page: Page) -> int:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        "#stage .idea-text", "els => els.filter(el => el.scrollHeight > el.clientHeight + 1).length"
    )


def fits(page: Page) -> bool:
    """Nothing runs off the screen: no scrolling, down or sideways."""
    return page.evaluate(  # type: ignore[no-any-return]
        "() => document.documentElement.scrollHeight <= innerHeight + 2"
        " && document.documentElement.scrollWidth <= innerWidth + 2"
    )


@pytest.mark.parametrize(("cards", "smallest", "whole"), [(16, 24, True), (40, 24, False), (80, 18, False)])
def test_the_idea_board_fills_the_screen_in_type_the_back_row_can_read(
    server: Server,
    watch: Watch,
    browser: Browser,  # noqa: F811
    cards: int,
    smallest: float,
    whole: bool,  # noqa: F811
) -> None:
    room = idea_board(server, cards)
    projector = room.projector(watch, browser)
    expect(projector.locator("#stage .idea-text")).to_have_count(cards)
    assert min(sizes(projector)) >= smallest, sizes(projector)
    assert fits(projector)
    if whole:
        assert clipped(projector) == 0  # whole text, not cut off with "…"


def test_justifications_are_large_and_the_join_panel_gives_way_once_people_are_in(
    server: Server,
    watch: Watch,
    browser: Browser,  # noqa: F811
) -> None:
    room = Room(server, "Schnellabschätzung")
    projector = room.projector(watch, browser)
    empty = projector.locator(".join-panel").bounding_box()
    assert empty and empty["width"] >= 0.2 * PROJECTOR["width"] and empty["height"] >= 0.4 * PROJECTOR["height"]
    people = [room.join(name) for name in ("Anna", "Bernd")]
    room.post("items", question="Wie hoch ist der Aufwand?", deck="qualitative", start="on")
    item = re.search(r'name="item" value="([^"]+)"', room.fac.get(f"/r/{room.code}/facilitate").text)
    assert item
    for person, card in zip(people, ("Gering", "Hoch"), strict=True):
        data = {"item": item[1], "round": "1", "card": card, "reason": f"Weil {card} am besten passt"}
        assert person.post(f"/r/{room.code}/vote", headers=HX, data=data).is_success
    room.post("reveal", item=item[1], round="1")
    reasons = projector.locator("#stage .reasons q")
    expect(reasons).to_have_count(2)
    assert min(reasons.evaluate_all("els => els.map(el => parseFloat(getComputedStyle(el).fontSize))")) >= 24
    panel = projector.locator(".join-panel").bounding_box()
    assert panel and panel["height"] <= 0.15 * PROJECTOR["height"], panel  # people are in: a strip in the header
    assert fits(projector)
    room.post("options", join_big="on")  # on demand, the facilitator shows it large again
    expect(projector.locator("#headcount")).to_have_attribute("data-join", "large")
    again = projector.locator(".join-panel").bounding_box()
    assert again and again["height"] >= 0.4 * PROJECTOR["height"]


def test_a_groups_projector_names_its_group(server: Server, watch: Watch, browser: Browser) -> None:  # noqa: F811
    room = Room(server, "Zwei Gruppen")
    room.post("groups", name="AG Mobilität")
    groups = re.findall(r'data-group="([^"]+)"', room.fac.get(f"/r/{room.code}/facilitate").text)
    room.post("items", question="Wie hoch ist der Aufwand?", deck="fibonacci", start="on", group=groups[1])
    projector = room.projector(watch, browser, f"?group={groups[1]}")
    expect(projector.locator("#stage .stage-group")).to_have_text("AG Mobilität")
