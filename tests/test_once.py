"""Sent twice, stored once: every command that creates something carries the form's own key (`once`), and a retry
with the same key (a lost answer, a second tap, a form sent again after the connection came back) creates nothing
more, also when the retry reaches another process (the first one died after writing, a load balancer tried the
other). Two people using the same key do not collide."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from .clients import Facilitator, Participant, Server, text
from .conftest import People


def count(html: str, selector: str) -> int:
    return len(BeautifulSoup(html, "html.parser").select(selector))


def value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, name
    return found[1]


async def twice(other: Server, person: Participant | Facilitator, path: str, **data: str) -> None:
    """Send a form, then send it again with the same key through the other process, as the same browser."""
    response = await person.post(path, once="k3y-0f-th1s-f0rm", **data)
    assert response.status_code == 200, text(response.text)
    retry = type(person)(other.url, person.code)
    retry.http.cookies = person.http.cookies
    try:
        response = await retry.post(path, once="k3y-0f-th1s-f0rm", **data)
        assert response.status_code == 200, text(response.text)
    finally:
        await retry.http.aclose()


async def test_a_card_or_a_theme_sent_twice_is_stored_once(
    facilitator: Facilitator, people: People, other: Server
) -> None:
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    await twice(other, facilitator, "/ideas", prompt="Welche Ideen?", start="on")
    activity = value(await facilitator.page("/facilitate"), "activity")
    await twice(other, anna, "/cards", activity=activity, text="Ein gemeinsamer Kalender")
    await twice(
        other, bernd, "/cards", activity=activity, text="Ein gemeinsamer Kalender"
    )  # the same key, another person
    await twice(other, facilitator, "/themes", activity=activity, title="Besser informieren")
    theme = re.search(r'data-theme="([^"]+)"', await facilitator.page("/facilitate"))
    assert theme
    await twice(other, facilitator, "/actions", activity=activity, place=theme[1], text="Kalender", owner="Anna")
    console = await facilitator.page("/facilitate")
    assert count(console, "#stage [data-card]") == 2
    assert count(console, "#stage [data-theme]") == 1
    assert count(console, "#stage .action-item") == 1
    assert count(console, "#agenda li") == 1


async def test_a_board_entry_a_section_a_group_and_activities_sent_twice_are_stored_once(
    facilitator: Facilitator, people: People, other: Server
) -> None:
    anna = await people.join("Anna")
    await twice(other, facilitator, "/boards", title="Dachbegrünung", template="solutions", start="on")
    console = await facilitator.page("/facilitate")
    board, section = value(console, "board"), value(console, "section")
    await twice(other, anna, "/entries", board=board, section=section, text="Förderprogramme bündeln")
    await twice(other, facilitator, "/sections", board=board, title="Machbarkeit")
    await twice(other, facilitator, "/items", question="Wie hoch ist der Aufwand?", deck="fibonacci")
    await twice(other, facilitator, "/polls", question="Passt das?", form="single", options="Ja, Nein")
    await twice(other, facilitator, "/groups", name="AG Mobilität")
    console = await facilitator.page("/facilitate")
    assert count(console, "#agenda li") == 3  # the board, the estimate, the poll
    assert count(console, "#stage .dd-entry") == 1
    assert count(console, "#stage .dd-section") == 3
    assert count(console, "#groups [data-group]") == 2


async def test_without_a_key_every_post_creates(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    await facilitator.post("/ideas", prompt="Welche Ideen?", start="on")
    activity = value(await facilitator.page("/facilitate"), "activity")
    for _ in range(2):
        await anna.post("/cards", activity=activity, text="Zweimal gemeint")
    assert count(await facilitator.page("/facilitate"), "#stage [data-card]") == 2
