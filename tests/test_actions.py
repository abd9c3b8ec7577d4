"""Action items ("Maßnahme – verantwortlich – bis wann") on a board section and an idea theme, over the real server:
the facilitator agrees them, every screen shows them, they are ticked off and taken back, and a participant cannot
write one."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .clients import Facilitator, Server, text
from .conftest import People
from .test_once import twice, value


def _items(html: str) -> list[str]:
    return [" ".join(li.get_text(" ").split()) for li in BeautifulSoup(html, "html.parser").select(".action-item")]


async def test_an_action_item_on_a_board_section_reaches_every_screen_and_is_ticked_off(
    facilitator: Facilitator, people: People, other: Server
) -> None:
    anna = await people.join("Anna Schmidt")
    await facilitator.post("/boards", title="Dachbegrünung", template="solutions", start="on")
    console = await facilitator.page("/facilitate")
    board, section = value(console, "board"), value(console, "section")
    assert '<option value="Anna Schmidt">' in console  # the room's people are offered as owners
    projector = await facilitator.connect("projector")
    await twice(
        other,
        facilitator,
        "/actions",
        activity=board,
        place=section,
        text="Förderprogramme recherchieren",
        owner="Anna Schmidt",
        due="2026-09-30",
    )
    shown = await projector.until(lambda r: "Förderprogramme" in r.get("stage", ""))
    assert _items(shown["stage"]) == ["Maßnahme Förderprogramme recherchieren Anna Schmidt · bis 30.09.2026"]
    assert _items(await anna.page()) == _items(shown["stage"])  # the phone shows the stage too

    console = await facilitator.page("/facilitate")
    action = str(BeautifulSoup(console, "html.parser").select_one(".action-item")["data-action"])  # type: ignore[index]
    assert (await anna.post("/actions/done", activity=board, action=action, done="1")).status_code == 403
    assert (await facilitator.post("/actions/done", activity=board, action=action, done="1")).status_code == 200
    shown = await projector.until(lambda r: "erledigt" in r.get("stage", ""))
    assert _items(shown["stage"])[0].endswith("· erledigt")
    minutes = (await facilitator.http.get(f"/r/{facilitator.code}/export.md")).text
    row = "| Förderprogramme recherchieren | Anna Schmidt | 30.09.2026 | erledigt | Dachbegrünung – Herausforderung |"
    assert row in minutes
    assert (await facilitator.post("/actions/delete", activity=board, action=action)).status_code == 200
    await projector.until(lambda r: "Förderprogramme" not in r.get("stage", ""))


async def test_an_action_item_on_an_idea_theme_and_what_is_refused(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    await facilitator.post("/ideas", prompt="Was packen wir an?", start="on")
    activity = value(await facilitator.page("/facilitate"), "activity")
    await facilitator.post("/themes", activity=activity, title="Interne Prozesse")
    theme = value(await facilitator.page("/facilitate"), "theme")
    refused = await anna.post("/actions", activity=activity, place=theme, text="Selbst zugeteilt", owner="Bernd")
    assert refused.status_code == 403
    bad_date = await facilitator.post("/actions", activity=activity, place=theme, text="A", owner="B", due="31.02.2026")
    assert bad_date.status_code == 422 and "TT.MM.JJJJ" in text(bad_date.text)
    no_owner = await facilitator.post("/actions", activity=activity, place=theme, text="Ohne Verantwortliche")
    assert no_owner.status_code == 422 and "verantwortlich" in text(no_owner.text)
    await facilitator.post("/actions", activity=activity, place=theme, text="Beschaffung vereinfachen", owner="AG 1")
    console = await facilitator.page("/facilitate")
    assert _items(console) == ["Maßnahme Beschaffung vereinfachen AG 1 Löschen"]
    assert "Beschaffung vereinfachen" in await anna.page()
