"""Every browser gets its language: from Accept-Language, or its own choice (a cookie); the projector speaks the
main facilitator's; built-in cards read in each phone's language while the vote keeps the card; the minutes are in
the language of whoever takes them home."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from .clients import Facilitator, Participant, text
from .conftest import People

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9,de;q=0.4"}


def cards(html: str) -> list[str]:
    return [b.get_text(strip=True) for b in BeautifulSoup(html, "html.parser").select("#mine .deck button")]


def values(html: str) -> list[str]:
    return [str(b["value"]) for b in BeautifulSoup(html, "html.parser").select("#mine .deck button")]


async def english_phone(facilitator: Facilitator, people: People, name: str) -> Participant:
    person = await people.join(name)
    person.http.headers.update(ENGLISH)
    return person


async def test_a_browser_gets_the_language_it_asks_for(facilitator: Facilitator, people: People) -> None:
    anna = await english_phone(facilitator, people, "Anna")
    assert "Starting in a moment" in text(await anna.page())
    start = await anna.http.get("/")
    assert '<html lang="en">' in start.text and "Open a workshop room" in text(start.text)
    german = await anna.http.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in german.text
    unknown = await anna.http.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="de">' in unknown.text  # nothing we have: the installation's language


async def test_the_switch_is_kept_and_overrides_the_browser(facilitator: Facilitator, people: People) -> None:
    anna = await english_phone(facilitator, people, "Anna")
    switched = await anna.http.post("/language", data={"lang": "de", "next": f"/r/{facilitator.code}"})
    assert switched.status_code == 303 and switched.headers["location"] == f"/r/{facilitator.code}"
    assert '<html lang="de">' in await anna.page()
    assert (await anna.http.post("/language", data={"lang": "en", "next": "//evil.example/"})).headers[
        "location"
    ] == "/"  # only back to a page of this site
    assert '<html lang="en">' in await anna.page()


async def test_the_projector_speaks_the_facilitators_language(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    await projector.until(lambda r: "stage" in r)
    assert "Willkommen" in projector.region_text("stage")
    anna = await english_phone(facilitator, people, "Anna")
    await anna.http.post("/language", data={"lang": "en", "code": facilitator.code, "next": "/"})
    assert '<html lang="de">' in await facilitator.page("/projector")  # a participant's choice is their own
    await facilitator.http.post("/language", data={"lang": "en", "code": facilitator.code, "next": "/"})
    await projector.until(lambda r: "Welcome" in text(r.get("stage", "")))
    page = await anna.http.get(f"/r/{facilitator.code}/projector", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in page.text


async def test_phones_in_two_languages_vote_on_the_same_card(facilitator: Facilitator, people: People) -> None:
    anna = await english_phone(facilitator, people, "Anna")
    bernd = await people.join("Bernd")
    item = await facilitator.add_item("Wie hoch ist der Aufwand?", deck="qualitative")
    english, german = await anna.page(), await bernd.page()
    assert cards(english) == ["Low", "Medium", "High"] and cards(german) == ["Gering", "Mittel", "Hoch"]
    assert values(english) == values(german) == ["Gering", "Mittel", "Hoch"]
    assert (await anna.vote(item, 1, "Mittel")).status_code == 200
    assert (await bernd.vote(item, 1, "Mittel")).status_code == 200
    await facilitator.reveal(item, 1)
    chart = BeautifulSoup(await anna.page(), "html.parser").select(".chart text.label")
    assert [t.get_text() for t in chart] == ["Low", "Medium", "High"]
    english_minutes = (await facilitator.http.get(f"/r/{facilitator.code}/export.md", headers=ENGLISH)).text
    assert "| Medium | 2 |" in english_minutes and "Quick estimate" in english_minutes
    german_minutes = (await facilitator.http.get(f"/r/{facilitator.code}/export.md")).text
    assert "| Mittel | 2 |" in german_minutes
    archive = json.loads((await facilitator.http.get(f"/r/{facilitator.code}/export.json", headers=ENGLISH)).text)
    votes = archive["activities"][0]["rounds"][0]["votes"]
    assert {v["card"] for v in votes.values()} == {"Mittel"}  # stored as the card, not as words on a screen


async def test_a_socket_speaks_its_browsers_language(facilitator: Facilitator, people: People) -> None:
    anna = await english_phone(facilitator, people, "Anna")
    await facilitator.add_item("Wie hoch ist der Aufwand?", deck="qualitative")
    anna.http.cookies.set("workshop_lang", "en")  # what the switch would have set
    phone = await anna.arrive()
    assert "Pick a card" in phone.region_text("mine")
    assert "abgestimmt" not in phone.region_text("stage")
