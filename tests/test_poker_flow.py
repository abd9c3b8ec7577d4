"""A facilitator and several participants run real rounds over real WebSockets."""

from __future__ import annotations

from bs4 import BeautifulSoup

from .clients import Facilitator, text
from .conftest import People

QUESTION = "Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer Projekt-Clearingstelle ein?"


def stats(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {div.dt.get_text(strip=True): div.dd.get_text(strip=True) for div in soup.select(".stats > div")}


async def test_join_vote_reveal_and_revote(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    console = await facilitator.connect("facilitator")
    await projector.until(lambda r: "0 Personen" in text(r.get("headcount", "")))

    voters = [await people.join(name) for name in ("Anna", "Bernd", "Cem")]
    watcher = await people.join("Dora", observer=True)
    await projector.until(lambda r: "3 Personen" in text(r["headcount"]) and "1 schaut zu" in text(r["headcount"]))
    phones = [await p.connect("participant") for p in voters]
    observer_phone = await watcher.connect("observer")

    item = await facilitator.add_item(QUESTION)
    for screen in (projector, console, *phones, observer_phone):
        await screen.until(lambda r: QUESTION in text(r.get("stage", "")))
    assert "mine" not in observer_phone.regions  # observers get no deck

    await voters[0].vote(item, 1, "5", "Organisatorisch lösbar")
    await voters[1].vote(item, 1, "8")
    await voters[2].vote(item, 1, "13", "Hohe kulturelle Hürde")
    await projector.until(lambda r: "3 von 3 haben abgestimmt" in text(r["stage"]))
    assert ".results" not in projector.regions["stage"] and "chart" not in projector.regions["stage"]

    response = await facilitator.reveal(item, 1)
    assert response.status_code == 200
    for screen in (projector, *phones, observer_phone):
        await screen.until(lambda r: "chart" in r["stage"])
    assert stats(projector.regions["stage"]) == {"Minimum": "5", "Median": "8", "Maximum": "13", "Mittelwert": "8,7"}
    assert "Weit auseinander" in projector.region_text("stage")  # 5 and 13 are two cards apart
    reasons = [
        h.get_text(strip=True)
        for h in BeautifulSoup(projector.regions["stage"], "html.parser").select(".reason-group h3")
    ]
    assert reasons == ["5", "13"]  # lowest first, then highest: the people to ask
    assert "Hohe kulturelle Hürde" in projector.region_text("stage")

    await facilitator.new_round(item, 1)
    await projector.until(lambda r: "Runde 2" in text(r["stage"]) and "0 von 3" in text(r["stage"]))
    await phones[0].until(lambda r: "Runde 2" in text(r["stage"]) and "chosen" not in r["mine"])
    await console.until(lambda r: "Frühere Runden" in text(r["stage"]))
    assert "Runde 1: 5 × 1, 8 × 1, 13 × 1" in console.region_text("stage")  # the earlier round is kept

    for person in voters:
        await person.vote(item, 2, "8")
    await facilitator.reveal(item, 2)
    await projector.until(lambda r: "Einig" in text(r["stage"]))
    assert stats(projector.regions["stage"])["Median"] == "8"


async def test_the_stage_lists_the_last_five_earlier_rounds_and_counts_the_rest(
    facilitator: Facilitator, people: People
) -> None:
    item = await facilitator.add_item("Wie oft schätzen wir neu?")
    anna = await people.join("Anna")
    projector = await facilitator.connect("projector")
    for round_ in range(1, 9):
        await anna.vote(item, round_, "3" if round_ % 2 else "5")
        await facilitator.reveal(item, round_)
        await facilitator.new_round(item, round_)
    await projector.until(lambda r: "Runde 9" in text(r.get("stage", "")))
    listed = [
        li.get_text(" ", strip=True)
        for li in BeautifulSoup(projector.regions["stage"], "html.parser").select(".history li")
    ]
    assert listed[0] == "3 frühere Runden stehen im Protokoll."  # a projector stays readable after many rounds
    assert [line.split(":")[0] for line in listed[1:]] == ["Runde 4", "Runde 5", "Runde 6", "Runde 7", "Runde 8"]
    minutes = (await facilitator.http.get(f"/r/{facilitator.code}/export.md")).text
    assert all(f"Runde {n}" in minutes for n in range(1, 9))  # the minutes keep every round


async def test_projector_follows_the_current_item(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    first = await facilitator.add_item("Erste Frage")
    await facilitator.add_item("Zweite Frage", deck="tshirt", start=False)
    await projector.until(lambda r: "Erste Frage" in text(r.get("stage", "")))
    await facilitator.reveal(first, 1)
    await projector.until(lambda r: "chart" in r["stage"])

    html = await facilitator.page("/facilitate")
    second = BeautifulSoup(html, "html.parser").select("#agenda li form[action$='/current'] [name=item]")[0]["value"]
    assert (await facilitator.post("/current", item=second)).status_code == 200
    await projector.until(lambda r: "Zweite Frage" in text(r["stage"]) and "T-Shirt" in text(r["stage"]))


async def test_round_reveals_itself_when_everyone_voted(facilitator: Facilitator, people: People) -> None:
    await facilitator.post("/options", auto_reveal="on")
    anna = await people.join("Anna")
    bernd = await people.join("Bernd")
    await bernd.arrive()  # both phones are open: both are expected to vote
    await anna.arrive()
    await people.join("Zuschauer", observer=True)
    projector = await facilitator.connect("projector")
    item = await facilitator.add_item("Gering, Mittel oder Hoch?", deck="qualitative")

    await anna.vote(item, 1, "Mittel")
    await projector.until(lambda r: "1 von 2" in text(r.get("stage", "")))
    assert "chart" not in projector.regions["stage"]
    last = await bernd.vote(item, 1, "Mittel")  # the observer does not count
    assert "vote-form" not in last.text and "Deine Karte: Mittel" in text(last.text)  # the phone shows the reveal
    await projector.until(lambda r: "Einig" in text(r["stage"]))


async def test_facilitator_enters_a_vote_for_someone_without_a_phone(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    item = await facilitator.add_item("Aufwand?", deck="qualitative")
    response = await facilitator.post(
        "/vote-for", name="Herr Yilmaz", item=item, round=1, card="Hoch", reason="Hoher Organisationsaufwand"
    )
    assert response.status_code == 200
    await projector.until(lambda r: "1 von 1" in text(r.get("stage", "")) and "Herr Yilmaz" in text(r["stage"]))
    await facilitator.post("/vote-for", name="herr yilmaz", item=item, round=1, card="Mittel")  # same person
    await projector.until(lambda r: "1 Person" in text(r.get("headcount", "")))
    await facilitator.reveal(item, 1)
    await projector.until(lambda r: "chart" in r["stage"])
    assert "Mittel" in projector.region_text("stage") and "1 Stimme" in projector.region_text("stage")


async def test_custom_deck_votes_only_with_its_cards(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    item = await facilitator.add_item("Machen wir das?", deck="custom", cards="Ja, Eher ja, Eher nein, Nein")
    assert (await anna.vote(item, 1, "Eher ja")).status_code == 200
    assert (await anna.vote(item, 1, "8")).status_code == 422


async def test_people_are_listed_in_the_order_they_joined(facilitator: Facilitator, people: People) -> None:
    names = ["Zora", "Anna", "Murat Yilmaz", "Katrin Hoffmann", "Bernd"]  # long records: Redis stores them unordered
    for name in names:
        await people.join(name, org="Emschergenossenschaft & Lippeverband")
    html = await facilitator.page("/facilitate")
    listed = [
        li.select_one(".person-name").get_text() for li in BeautifulSoup(html, "html.parser").select("#people li")
    ]
    assert listed == names


async def test_only_people_here_or_who_voted_are_counted(facilitator: Facilitator, people: People) -> None:
    """ "x von N": N is who is here now (or dropped a moment ago) or voted; not who left, not every proxy ever."""
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    await people.join("Cem")  # joined, but his phone is not open
    await anna.arrive()
    bernd_phone = await bernd.arrive()
    projector = await facilitator.connect("projector")
    item = await facilitator.add_item("Gering, Mittel oder Hoch?", deck="qualitative")
    await projector.until(lambda r: "0 von 2 haben abgestimmt" in text(r.get("stage", "")))
    proxy = await facilitator.post("/vote-for", name="Herr Yilmaz", item=item, round=1, card="Hoch")
    assert proxy.status_code == 200
    await projector.until(lambda r: "1 von 3 hat abgestimmt" in text(r.get("stage", "")))
    twice = await facilitator.post("/vote-for", name="anna", item=item, round=1, card="Hoch")
    assert twice.status_code == 409 and "anna ist schon im Workshop und stimmt selbst ab." in text(twice.text)
    await facilitator.reveal(item, 1)
    await facilitator.new_round(item, 1)
    await projector.until(lambda r: "Runde 2" in text(r.get("stage", "")) and "0 von 2" in text(r["stage"]))

    await facilitator.post("/options", auto_reveal="on")
    await anna.vote(item, 2, "Mittel")
    await bernd_phone.ws.close()  # Bernd's phone drops for a moment: he is still expected, nothing reveals early
    await projector.until(lambda r: "1 verbunden" in text(r.get("headcount", "")))
    assert "1 von 2 hat abgestimmt" in projector.region_text("stage") and "chart" not in projector.regions["stage"]
    await bernd.arrive()
    await bernd.vote(item, 2, "Mittel")
    await projector.until(lambda r: "Einig" in text(r.get("stage", "")))
