"""Preparing a workshop: built-in templates open as rooms with their agendas and nobody in them; a workshop saves
as a template (its structure, no people, no results) that opens again as a new room; an empty one is refused."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from bs4 import BeautifulSoup

from .clients import BROWSER_POST, Facilitator, Person, Server, text
from .conftest import People


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def agendas(console: str) -> list[str]:
    """The agenda lines of a console, as they read."""
    return [li.select_one(".agenda-q").get_text(" ", strip=True) for li in soup(console).select("#agenda li")]


@pytest.fixture
async def newcomer(server: Server) -> AsyncIterator[Person]:
    """A browser on the start page, about to open a room."""
    person = Person(server.url)
    yield person
    await person.close()


async def opened(person: Person, response_location: str) -> str:
    """The console the start page led to; the person now facilitates that room."""
    person.code = response_location.split("/")[2]
    return await person.page("/facilitate")


async def upload(person: Person, name: str, content: bytes) -> tuple[int, str]:
    response = await person.http.post(
        "/restore", headers=BROWSER_POST, files={"archive": (name, content, "application/json")}
    )
    return response.status_code, response.headers.get("location", "") or text(response.text)


async def test_the_start_page_offers_the_built_in_templates_and_each_opens_a_prepared_room(
    newcomer: Person,
) -> None:
    start = soup((await newcomer.http.get("/")).text)
    offered = {str(r["value"]): r for r in start.select("form[action='/templates'] input[name=template]")}
    assert set(offered) == {"initiativen-markt", "schnellabschaetzung", "retrospektive"}
    described = start.select_one(f"#{offered['schnellabschaetzung']['aria-describedby']}")
    assert described is not None and "Gering / Mittel / Hoch" in described.get_text()

    response = await newcomer.http.post("/templates", data={"template": "initiativen-markt", "title": ""})
    assert response.status_code == 303
    console = await opened(newcomer, response.headers["location"])
    page = soup(console)
    assert page.h1 is not None and page.h1.get_text(strip=True) == "Initiativen.Markt"
    groups = [card.h3.get_text(strip=True) for card in page.select("#groups [data-group]") if card.h3]
    assert groups == [
        "Arbeitsgruppe 1 – Ideen, Anliegen & Maßnahmen",
        "Arbeitsgruppe 2 – Ideen, Anliegen & Maßnahmen",
    ]
    assert len(agendas(console)) == 3 and "Vertiefung" in agendas(console)[1]
    assert "Noch niemand" in text(str(page.select_one("#people"))) or not page.select("#people li")
    assert not page.select("#stage [data-card]")  # nothing on screen, nobody wrote anything

    response = await newcomer.http.post("/templates", data={"template": "retrospektive", "title": "Retro Q3"})
    retro = soup(await opened(newcomer, response.headers["location"]))
    assert retro.h1 is not None and retro.h1.get_text(strip=True) == "Retro Q3"

    unknown = await newcomer.http.post("/templates", data={"template": "../../etc/passwd"})
    assert unknown.status_code == 404 and "Diese Vorlage gibt es nicht." in text(unknown.text)


async def test_a_workshop_saved_as_template_opens_again_without_people_or_results(
    facilitator: Facilitator, people: People, newcomer: Person
) -> None:
    item = await facilitator.add_item("Wie hoch ist der Aufwand?", deck="qualitative")
    anna = await people.join("Anna Vertraulich")
    await anna.vote(item, 1, "Hoch", "Geheime Begründung")
    await facilitator.reveal(item, 1)
    await facilitator.post("/ideas", prompt="Was wollt Ihr anpacken?", start="on", participants_cluster="on")
    activity = str(soup(await facilitator.page("/facilitate")).select_one("#stage [name=activity]")["value"])
    await facilitator.post("/themes", activity=activity, title="Interne Prozesse vereinfachen")
    await anna.post("/cards", activity=activity, text="Karte von Anna")

    assert (await anna.http.get(f"/r/{facilitator.code}/template.json")).status_code == 403
    saved = await facilitator.http.get(f"/r/{facilitator.code}/template.json")
    assert saved.status_code == 200 and "attachment" in saved.headers["content-disposition"]
    for private in ("Anna Vertraulich", "Geheime Begründung", "Karte von Anna"):
        assert private not in saved.text
    template = json.loads(saved.text)
    assert template["template"] is True and template["participants"] == []
    assert [a.get("rounds") for a in template["activities"]][0] == [{"revealed": False, "votes": {}}]

    status, location = await upload(newcomer, "vorlage.json", saved.content)
    assert status == 303, location
    console = await opened(newcomer, location)
    assert agendas(console) == ["Wie hoch ist der Aufwand?", "Was wollt Ihr anpacken?"]
    assert newcomer.code != facilitator.code
    await newcomer.post("/current", item=item)  # the question is ready to be asked again, from round 1
    shown = soup(await newcomer.page("/facilitate"))
    assert "Gering" in text(str(shown.select_one("#stage"))) and not shown.select("#people li")
    await newcomer.post("/current", item=activity)  # the collection: its prepared theme, no card
    stage = soup(await newcomer.page("/facilitate")).select_one("#stage")
    assert stage is not None and "Interne Prozesse vereinfachen" in text(str(stage))
    assert not stage.select("[data-card]") and "Karte von Anna" not in str(stage)


async def test_an_empty_workshop_or_template_is_refused_with_a_clear_message(
    facilitator: Facilitator, newcomer: Person
) -> None:
    empty = await facilitator.http.get(f"/r/{facilitator.code}/template.json")
    assert empty.status_code == 409 and "Der Ablauf ist noch leer" in text(empty.text)

    nothing = {"schema": "workshop-archive", "version": 2, "template": True, "title": "Leer", "created": "",
               "groups": [{"id": "g1", "name": "Arbeitsgruppe 1", "agenda": [], "current": None}],
               "participants": [], "activities": []}  # fmt: skip
    status, said = await upload(newcomer, "leer.json", json.dumps(nothing).encode())
    assert status == 422 and "Diese Vorlage ist leer" in said and "Es wurde nichts angelegt." in said
    status, said = await upload(newcomer, "null.json", b"")
    assert status == 422 and "kein lesbares Workshop-Archiv" in said


# -- lists pasted or imported --------------------------------------------------------------------------------------


async def send_list(person: Person, path: str, csv: bytes | None = None, **data: str) -> tuple[int, str]:
    """The console's list form as htmx sends it (multipart, with the CSV file if one was chosen): the status and
    what the notice says."""
    files = {"file": ("liste.csv", csv or b"", "text/csv")}
    response = await person.http.post(
        f"/r/{person.code}{path}", data=data, files=files, headers={"HX-Request": "true", **BROWSER_POST}
    )
    notice = soup(response.text).select_one("#notice")
    return response.status_code, notice.get_text(" ", strip=True) if notice else ""


async def test_questions_pasted_as_a_list_go_on_the_agenda_at_once_with_a_report(facilitator: Facilitator) -> None:
    await facilitator.add_item("Wie hoch ist der Aufwand für die Bürgerapp?", start=False)
    pasted = "Chatbots für Bürger*innen\n\nwie hoch ist der aufwand für die bürgerapp?\nChatbots für Bürger*innen\n"
    status, said = await send_list(
        facilitator, "/items/list", listing=pasted + "x" * 301 + "\nBürgerbeiräte", deck="qualitative", once="k1"
    )
    assert status == 200
    assert said == (
        "Angelegt: 2. Übersprungen: Zeile 2 (leer), Zeile 3 (schon vorhanden), Zeile 4 (doppelt), Zeile 5 (zu lang)."
    )
    console = await facilitator.page("/facilitate")
    assert agendas(console) == [
        "Wie hoch ist der Aufwand für die Bürgerapp?",
        "Chatbots für Bürger*innen",
        "Bürgerbeiräte",
    ]
    await send_list(facilitator, "/items/list", listing="Noch eine", deck="fibonacci", once="k2")
    again, said = await send_list(facilitator, "/items/list", listing="Noch eine", deck="fibonacci", once="k2")
    assert agendas(await facilitator.page("/facilitate"))[-2:] == ["Bürgerbeiräte", "Noch eine"]  # sent twice: once
    assert again == 422 and "Zeile 1 (schon vorhanden)" in said


async def test_a_csv_file_with_broken_lines_adds_the_good_ones_and_says_which_were_not(
    facilitator: Facilitator,
) -> None:
    csv = '\ufeffMaßnahme;Verantwortlich\nGeodaten gemeinsam nutzen;RVR\n"Robotic Automation;Stadt\n'.encode()
    csv += b"Dachbegr\xc3\xbcnung f\xc3\xb6rdern;Kreis Wesel\n"
    status, said = await send_list(facilitator, "/items/list", csv, listing="", header="on", deck="qualitative")
    assert status == 200 and said == "Angelegt: 2. Übersprungen: Zeile 3 (nicht lesbar)."
    assert agendas(await facilitator.page("/facilitate")) == ["Geodaten gemeinsam nutzen", "Dachbegrünung fördern"]

    latin1 = "Dachbegrünung fördern\n".encode("latin-1")
    status, said = await send_list(facilitator, "/items/list", latin1, listing="", deck="qualitative")
    assert status == 422 and "keine Textdatei in UTF-8" in said


async def test_a_thousand_lines_add_nothing_and_say_how_many_fit(facilitator: Facilitator) -> None:
    thousand = "\n".join(f"Maßnahme {n}: Wie hoch schätzt Ihr den Aufwand ein?" for n in range(1, 1001))
    status, said = await send_list(facilitator, "/items/list", thousand.encode(), listing="", deck="qualitative")
    assert status == 422 and "1000 Einträge; auf einmal gehen höchstens 200. Es wurde nichts angelegt." in said
    assert agendas(await facilitator.page("/facilitate")) == []


async def test_an_idea_collection_opens_with_its_cards_from_a_list(facilitator: Facilitator) -> None:
    cards = "Zentrale Bürgerapp für Verwaltungsleistungen\nEtablierung von Bürgerbeiräten\n\n"
    status, said = await send_list(
        facilitator, "/ideas", prompt="Partizipation & Demokratie stärken", listing=cards, start="on", once="i1"
    )
    assert status == 200 and said == "Angelegt: 2. Übersprungen: Zeile 3 (leer)."
    projector = soup(await facilitator.page("/projector")).select("#stage [data-card]")
    assert [text(str(card)) for card in projector] == [
        "Zentrale Bürgerapp für Verwaltungsleistungen",
        "Etablierung von Bürgerbeiräten",
    ]


async def test_participants_can_neither_import_nor_save_or_open_templates_of_the_room(
    facilitator: Facilitator, people: People
) -> None:
    anna = await people.join("Anna")
    status, said = await send_list(anna, "/items/list", listing="Von Anna", deck="qualitative")
    assert status == 403
    status, said = await send_list(anna, "/ideas", prompt="Annas Sammlung", listing="Karte")
    assert status == 403
    assert (await anna.http.get(f"/r/{facilitator.code}/template.json")).status_code == 403
    assert agendas(await facilitator.page("/facilitate")) == []


async def test_the_facilitator_mutes_the_projectors_sound_and_a_participant_cannot(
    facilitator: Facilitator, people: People
) -> None:
    def sound(projector: str) -> str:
        region = soup(projector).select_one("#timer")
        assert region is not None
        return str(region["data-sound"])

    assert sound(await facilitator.page("/projector")) == "on"  # on unless muted
    anna = await people.join("Anna")
    group = str(soup(await facilitator.page("/facilitate")).select_one("#timer [name=group]")["value"])
    assert (await anna.post("/timer/sound", group=group)).status_code == 403
    assert sound(await facilitator.page("/projector")) == "on"
    assert (await facilitator.post("/timer/sound", group=group)).status_code == 200  # the box unticked
    assert sound(await facilitator.page("/projector")) == "off"
    assert (await facilitator.post("/timer/sound", group=group, sound="on")).status_code == 200
    assert sound(await facilitator.page("/projector")) == "on"
