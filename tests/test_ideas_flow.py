"""Idea cards, themes and dot voting, with real participants on real sockets."""

from __future__ import annotations

import asyncio

from bs4 import BeautifulSoup

from .clients import Facilitator, Participant, text
from .conftest import People
from .ideas_helpers import IdeaRoom, board, ids

AG1 = [
    "Projekt-Clearingstelle für organisationsübergreifendes Wissensmanagement einrichten",
    "Daten organisationsübergreifend erheben und nutzen",
    "Geodaten gemeinsam nutzen",
]
AG2 = ["Zentrale Bürgerapp für Verwaltungsleistungen", "Etablierung von Bürgerbeiräten"]


async def test_collect_cluster_vote_and_rank(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator)
    projector = await facilitator.connect("projector")
    anna = await people.join("Anna", org="Stadt Bochum")
    bernd = await people.join("Bernd")
    phone = await anna.connect("participant")
    for card in AG1:
        await ideas.write(anna, card)
    for card in AG2:
        await ideas.write(bernd, card)
    await projector.until(lambda r: all(c in text(r.get("stage", "")) for c in AG1 + AG2))
    assert "Anna" in projector.region_text("stage")  # cards show their author's name by default

    structures = await ideas.theme("Mehr übergreifende Strukturen schaffen und nutzen")
    participation = await ideas.theme("Partizipation & Demokratie stärken")
    for card in AG1:
        assert await ideas.move(card, structures) == 200
    for card in AG2:
        assert await ideas.move(card, participation) == 200
    await ideas.move(AG1[2], structures, before=await ideas.card_id(AG1[0]))  # reorder inside a theme
    expected = {
        "Mehr übergreifende Strukturen schaffen und nutzen": [AG1[2], AG1[0], AG1[1]],
        "Partizipation & Demokratie stärken": AG2,
        "": [],
    }
    await projector.until(lambda r: board(r["stage"]) == expected)

    assert (
        await facilitator.post("/dots/start", activity=ideas.activity, dots=3, on="themes", stack="on")
    ).status_code == 200
    await phone.until(lambda r: "Noch 3 Punkte zu vergeben" in text(r.get("mine", "")))
    for target, person in [
        (structures, anna),
        (structures, anna),
        (participation, anna),
        (participation, bernd),
        (structures, bernd),
    ]:
        assert (await person.post("/dots/add", activity=ideas.activity, target=target)).status_code == 200
    await phone.until(lambda r: "Noch 0 Punkte" in text(r["mine"]))
    refused = await anna.post("/dots/add", activity=ideas.activity, target=participation)
    assert refused.status_code == 409 and "Alle deine Punkte sind vergeben" in text(refused.text)
    assert (await anna.post("/dots/remove", activity=ideas.activity, target=structures)).status_code == 200
    assert (await anna.post("/dots/add", activity=ideas.activity, target=participation)).status_code == 200

    await facilitator.post("/dots/close", activity=ideas.activity)
    await projector.until(lambda r: "Ergebnis" in text(r["stage"]))
    ranking = [
        li.get_text(" ", strip=True)
        for li in BeautifulSoup(projector.regions["stage"], "html.parser").select(".ranking li")
    ]
    assert ranking == [
        "1. Partizipation & Demokratie stärken ● 3",
        "2. Mehr übergreifende Strukturen schaffen und nutzen ● 2",
    ]


async def test_equal_dots_rank_as_ties(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator)
    anna = await people.join("Anna")
    themes = [
        await ideas.theme(t)
        for t in (
            "Interne Prozesse vereinfachen",
            "Aufenthaltsqualität & Klimaschutz fördern",
            "Partizipation & Demokratie stärken",
        )
    ]
    await facilitator.post("/dots/start", activity=ideas.activity, dots=2, on="themes")
    for theme in themes[:2]:
        assert (await anna.post("/dots/add", activity=ideas.activity, target=theme)).status_code == 200
    await facilitator.post("/dots/close", activity=ideas.activity)
    html = await facilitator.page("/projector")
    ranks = [
        li.select_one(".rank").get_text(strip=True) for li in BeautifulSoup(html, "html.parser").select(".ranking li")
    ]
    assert ranks == ["1.", "1.", "3."]


async def test_hidden_collecting_shows_a_card_only_to_its_author(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator, hidden="on")
    projector = await facilitator.connect("projector")
    console = await facilitator.connect("facilitator")
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    anna_phone, bernd_phone = await anna.connect("participant"), await bernd.connect("participant")
    secret = "Geheime Idee QX7"
    await ideas.write(anna, secret)
    await projector.until(lambda r: "1 Karte gesammelt" in text(r.get("stage", "")))
    await bernd_phone.until(lambda r: "1 Karte gesammelt" in text(r.get("stage", "")))
    await anna_phone.until(lambda r: secret in text(r.get("mine", "")))
    await console.until(lambda r: secret in text(r.get("stage", "")))  # the facilitator moderates: sees all
    pages = [await facilitator.page("/projector"), await bernd.page()]
    assert all(secret not in frame for frame in projector.frames + bernd_phone.frames)
    assert all(secret not in page for page in pages)

    assert (await facilitator.post("/ideas/reveal", activity=ideas.activity)).status_code == 200
    await projector.until(lambda r: secret in text(r["stage"]))
    await bernd_phone.until(lambda r: secret in text(r["stage"]))


async def test_a_participant_firing_many_dots_at_once_never_overspends(
    facilitator: Facilitator, people: People
) -> None:
    ideas = await IdeaRoom.open(facilitator)
    theme = await ideas.theme("Interne Prozesse vereinfachen")
    other = await ideas.theme("Partizipation & Demokratie stärken")
    anna = await people.join("Anna")
    second_tab = await people.join("Bernd")  # the same browser in a second tab: same cookie
    second_tab.http.cookies = anna.http.cookies
    await facilitator.post("/dots/start", activity=ideas.activity, dots=3, on="themes", stack="on")
    shots = [
        tab.post("/dots/add", activity=ideas.activity, target=target)
        for tab in (anna, second_tab)
        for target in (theme, other)
        for _ in range(6)
    ]
    answers = await asyncio.gather(*shots)
    assert sum(a.status_code == 200 for a in answers) == 3
    assert all(a.status_code in (200, 409) for a in answers)
    await facilitator.post("/dots/close", activity=ideas.activity)
    html = await facilitator.page("/projector")
    dots = [
        int(s.get_text(strip=True).lstrip("● "))
        for s in BeautifulSoup(html, "html.parser").select(".ranking .dot-count")
    ]
    assert sum(dots) == 3


async def test_one_dot_per_item_unless_stacking_is_allowed(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator)
    theme = await ideas.theme("Interne Prozesse vereinfachen")
    anna = await people.join("Anna")
    await facilitator.post("/dots/start", activity=ideas.activity, dots=3, on="themes")
    answers = await asyncio.gather(*[anna.post("/dots/add", activity=ideas.activity, target=theme) for _ in range(5)])
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409]


async def test_two_people_moving_the_same_card_end_in_one_state(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator, participants_cluster="on")
    anna = await people.join("Anna")
    for card in AG1 + AG2:
        await ideas.write(anna, card)
    left, right = await ideas.theme("Links"), await ideas.theme("Rechts")
    projector = await facilitator.connect("projector")
    phone = await anna.connect("participant")
    for round_ in range(10):
        card = await ideas.card_id(AG1[round_ % 3])
        a, b = await asyncio.gather(
            facilitator.post("/cards/move", activity=ideas.activity, card=card, to=left),
            anna.post("/cards/move", activity=ideas.activity, card=card, to=right),
        )
        assert {a.status_code, b.status_code} <= {200, 409}
    console = await ideas.console()
    final = board(console)
    placed = [c for cards in final.values() for c in cards]
    assert sorted(placed) == sorted(AG1 + AG2), "no card lost, none duplicated"
    for screen in (projector, phone):
        await screen.until(lambda r: board(r.get("stage", "<div></div>")) == final)


async def test_participants_cannot_moderate(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator, hidden="on")
    anna, mallory = await people.join("Anna"), await people.join("Mallory")
    await ideas.write(anna, "Annas Karte")
    card = await ideas.card_id("Annas Karte")
    theme = await ideas.theme("Thema")
    for path, form in [
        ("/cards/edit", {"card": card, "text": "Überschrieben"}),
        ("/cards/delete", {"card": card}),
        ("/ideas/reveal", {}),
        ("/dots/start", {"dots": 3, "on": "themes"}),
        ("/dots/close", {}),
        ("/ideas/options", {"posting_open": "on", "participants_cluster": "on"}),
        ("/cards/move", {"card": card, "to": theme}),  # sorting is not allowed for participants here
        ("/themes", {"title": "Eingeschleust"}),
        ("/themes/merge", {"theme": theme, "into": ""}),
    ]:
        response = await mallory.post(path, activity=ideas.activity, **form)
        assert response.status_code == 403, path
    console = await ideas.console()
    assert board(console) == {"Thema": [], "": ["Annas Karte"]} and "Eingeschleust" not in console
    assert (
        await anna.post("/cards/edit", activity=ideas.activity, card=card, text="Annas neue Karte")
    ).status_code == 200
    assert board(await ideas.console())[""] == ["Annas neue Karte"]  # one's own card, yes


async def test_locked_posting_and_bad_card_input(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator)
    anna = await people.join("Anna")
    for form, status, message in [
        ({"text": ""}, 422, "Bitte einen Text für die Karte eingeben."),
        ({"text": "x" * 281}, 422, "höchstens 280 Zeichen"),
        ({"text": "Gut", "activity": "gibt-es-nicht"}, 404, "Ideensammlung gibt es"),
    ]:
        response = await anna.post("/cards", **{"activity": ideas.activity, **form})
        assert response.status_code == status and message in text(response.text), form
    await facilitator.post("/ideas/options", activity=ideas.activity, show="name")  # posting_open unchecked
    locked = await anna.post("/cards", activity=ideas.activity, text="Zu spät")
    assert locked.status_code == 409 and "gesperrt" in text(locked.text)
    await facilitator.post("/ideas/options", activity=ideas.activity, posting_open="on", show="name")
    await ideas.write(anna, "Jetzt wieder")
    assert board(await ideas.console())[""] == ["Jetzt wieder"]


async def test_cards_show_name_organisation_or_nothing(facilitator: Facilitator, people: People) -> None:
    await facilitator.post("/options", ask_org="on")
    ideas = await IdeaRoom.open(facilitator, show="org")
    anna = await people.join("Anna Beispiel", org="Kreis Wesel")
    await ideas.write(anna, "Mit Organisation")
    await ideas.write(anna, "Ganz anonym", anonymous="on")
    page = await facilitator.page("/projector")
    cards = {
        c.select_one(".idea-text").get_text(strip=True): c.select_one(".author")
        for c in BeautifulSoup(page, "html.parser").select("li.idea-card")
    }
    assert cards["Mit Organisation"].get_text(strip=True) == "Kreis Wesel"
    assert cards["Ganz anonym"] is None
    assert "Anna Beispiel" not in page
    await facilitator.post("/ideas/options", activity=ideas.activity, posting_open="on", show="none")
    assert "Kreis Wesel" not in await facilitator.page("/projector")


async def test_themes_rename_merge_dissolve_and_reorder(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator)
    anna = await people.join("Anna")
    for card in AG2:
        await ideas.write(anna, card)
    first, second, third = [await ideas.theme(t) for t in ("Beteiligung", "Bürgerbeteiligung", "Sonstiges")]
    await ideas.move(AG2[0], first)
    await ideas.move(AG2[1], second)
    assert (
        await facilitator.post("/themes/merge", activity=ideas.activity, theme=second, into=first)
    ).status_code == 200
    assert (
        await facilitator.post(
            "/themes/rename", activity=ideas.activity, theme=first, title="Partizipation & Demokratie stärken"
        )
    ).status_code == 200
    assert (
        await facilitator.post("/themes/move", activity=ideas.activity, theme=third, before=first)
    ).status_code == 200
    assert board(await ideas.console()) == {"Sonstiges": [], "Partizipation & Demokratie stärken": AG2, "": []}
    assert (await facilitator.post("/themes/merge", activity=ideas.activity, theme=first, into="")).status_code == 200
    assert board(await ideas.console()) == {"Sonstiges": [], "": AG2}
    assert ids(await ideas.console(), "data-theme").keys() == {"Sonstiges"}


async def test_a_hidden_tally_shows_only_after_the_close(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator)
    theme = await ideas.theme("Interne Prozesse vereinfachen")
    anna = await people.join("Anna")
    projector = await facilitator.connect("projector")
    await facilitator.post("/dots/start", activity=ideas.activity, dots=3, on="themes", hide_tally="on")
    await anna.post("/dots/add", activity=ideas.activity, target=theme)
    phone = await anna.connect("participant")
    await phone.until(lambda r: "Noch 2 Punkte" in text(r.get("mine", "")))
    await projector.until(lambda r: "Zwischenstand verdeckt" in text(r.get("stage", "")))
    assert all("dot-count" not in frame for frame in projector.frames)
    await facilitator.post("/dots/close", activity=ideas.activity)
    await projector.until(lambda r: "● 1" in text(r["stage"]))


async def test_the_agenda_moves_between_estimates_and_idea_collections(
    facilitator: Facilitator, people: People
) -> None:
    ideas = await IdeaRoom.open(facilitator, prompt="Erst Ideen")
    estimate = await facilitator.add_item("Dann schätzen")
    projector = await facilitator.connect("projector")
    await projector.until(lambda r: "Dann schätzen" in text(r.get("stage", "")))
    assert (await facilitator.post("/current", item=ideas.activity)).status_code == 200
    await projector.until(lambda r: "Erst Ideen" in text(r["stage"]))
    anna = await people.join("Anna")
    stale = await anna.vote(estimate, 1, "8")  # a form still open on a phone: that question is not on screen
    assert stale.status_code == 409 and "schon aufgedeckt oder neu gestartet" in text(stale.text)
    late = await facilitator.post("/vote-for", name="Herr Yilmaz", item=estimate, round=1, card="8")
    assert late.status_code == 409


async def test_sorting_by_participants_needs_a_participant(facilitator: Facilitator, people: People) -> None:
    ideas = await IdeaRoom.open(facilitator, participants_cluster="on")
    anna = await people.join("Anna")
    watcher = await people.join("Zuschauer", observer=True)
    await ideas.write(anna, "Karte")
    card, theme = await ideas.card_id("Karte"), await ideas.theme("Thema")
    stranger = Participant(facilitator.base, facilitator.code)  # has the code from the projector, never joined
    try:
        for person in (stranger, watcher):
            assert (await person.post("/cards/move", activity=ideas.activity, card=card, to=theme)).status_code == 403
        for path, form in (
            ("/themes/rename", {"theme": theme, "title": "Umbenannt"}),
            ("/themes/merge", {"theme": theme, "into": ""}),
        ):
            assert (await anna.post(path, activity=ideas.activity, **form)).status_code == 403, path
        assert (await anna.post("/cards/move", activity=ideas.activity, card=card, to=theme)).status_code == 200
        assert board(await ideas.console()) == {"Thema": ["Karte"], "": []}
    finally:
        await stranger.close()
