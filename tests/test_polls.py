"""Live polls against a real server: from the console to the phones and the projector, over real sockets."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bs4 import BeautifulSoup

from .clients import BROWSER_POST, Facilitator, Participant, Socket, text
from .conftest import People

GOLDEN = Path(__file__).parent / "golden" / "polls.md"
MARKERS = ["WX7qa", "WX7qb", "WX7qc"]  # open answers nobody else may see before the result is shown


async def add_poll(fac: Facilitator, question: str, form: str, **fields: str) -> str:
    response = await fac.post("/polls", question=question, form=form, start="on", **fields)
    assert response.status_code == 200, response.text
    field = BeautifulSoup(response.text, "html.parser").select_one("#stage [name=poll]")
    assert field is not None, "the poll is on the console's stage"
    return str(field["value"])


async def answer(person: Participant, poll: str, **fields: str | int) -> int:
    return (await person.post("/polls/answer", poll=poll, **fields)).status_code


def bars(html: str) -> dict[str, int]:
    """The result as a screen shows it: each answer's label and count."""
    rows = BeautifulSoup(html, "html.parser").select(".poll-bars li")
    return {
        " ".join(row.select_one(".poll-label").get_text(" ").split()): int(row.select_one(".poll-count").contents[0])
        for row in rows
    }


def cloud(html: str) -> dict[str, str]:
    """The word cloud as a screen shows it: each word and its size class."""
    return {
        li.contents[0].strip(): " ".join(li["class"]) for li in BeautifulSoup(html, "html.parser").select(".cloud li")
    }


def answered(n: int, of: int) -> str:
    return f"{n} von {of} haben geantwortet" if n != 1 else f"1 von {of} hat geantwortet"


async def test_a_poll_from_the_console_to_the_phones_and_back(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    anna, bernd, cem = [await people.join(name) for name in ("Anna", "Bernd", "Cem")]
    phone = await anna.arrive()
    await bernd.arrive()
    await cem.arrive()  # three phones open: three are expected to answer
    poll = await add_poll(
        facilitator, "Brauchen wir ein gemeinsames Förderportal?", "single", options="Ja\nEher ja\nNein"
    )
    await phone.until(lambda r: "Eher ja" in text(r.get("mine", "")))

    assert await answer(anna, poll, choice=0) == 200
    assert await answer(bernd, poll, choice=2) == 200
    assert await answer(bernd, poll, choice=1) == 200  # changed while the poll is open: counted once
    await projector.until(lambda r: answered(2, 3) in text(r.get("stage", "")))
    assert bars(projector.regions["stage"]) == {}  # hidden until the facilitator shows it
    assert (await facilitator.post("/polls/reveal", poll=poll)).status_code == 200
    await projector.until(lambda r: bars(r.get("stage", "")) == {"Ja": 1, "Eher ja": 1, "Nein": 0})
    await phone.until(lambda r: bars(r.get("stage", "")) == {"Ja": 1, "Eher ja": 1, "Nein": 0})
    assert "Deine Antwort ist dabei" in text(phone.regions["mine"])

    late = await cem.post("/polls/answer", poll=poll, choice=0)
    assert late.status_code == 409 and "nimmt gerade keine Antworten an" in text(late.text)
    assert (await facilitator.post("/polls/reopen", poll=poll)).status_code == 200
    await projector.until(lambda r: bars(r.get("stage", "")) == {})  # open again: hidden again
    assert await answer(cem, poll, choice=0) == 200
    await facilitator.post("/polls/reveal", poll=poll)
    await projector.until(lambda r: bars(r.get("stage", "")) == {"Ja": 2, "Eher ja": 1, "Nein": 0})


async def test_no_answer_leaves_the_server_before_the_result_is_shown(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    console = await facilitator.connect("facilitator")
    voters = [await people.join(name) for name in ("Anna", "Bernd", "Cem")]
    observer = await (await people.join("Dora", observer=True)).connect("observer")
    phones = [await v.connect("participant") for v in voters]
    poll = await add_poll(facilitator, "Ein Wort für heute?", "words")
    answers_over_http = []
    for voter, marker in zip(voters, MARKERS, strict=True):
        response = await voter.post("/polls/answer", poll=poll, text=f"Austausch {marker}")
        assert response.status_code == 200
        answers_over_http.append(response.text)
    for screen in (projector, console, observer, *phones):
        await screen.until(lambda r: answered(3, 3) in text(r.get("stage", "")))
    pages = [
        await facilitator.page("/projector"),
        await facilitator.page("/facilitate"),
        *[await v.page() for v in voters],
    ]

    def leaked(html: str) -> set[str]:
        return {m for m in MARKERS if m in html}

    for frame in projector.frames + console.frames + observer.frames:
        assert leaked(frame) == set()
    for page in pages[:2]:
        assert leaked(page) == set()
    for phone, page, response, marker in zip(phones, pages[2:], answers_over_http, MARKERS, strict=True):
        assert set().union(*map(leaked, phone.frames)) <= {marker}, "a phone sees its own answer only"
        assert leaked(page) == {marker} and leaked(response) == {marker}
    assert "Austausch" not in text(projector.regions["stage"])

    await facilitator.post("/polls/reveal", poll=poll)
    shown = await projector.until(lambda r: "Austausch" in cloud(r.get("stage", "")))
    assert cloud(shown["stage"])["Austausch"] == "w6"  # the word everyone used is the largest
    assert set(MARKERS) <= set(cloud(shown["stage"]))


async def test_a_live_poll_shows_the_result_while_people_answer(facilitator: Facilitator, people: People) -> None:
    projector = await facilitator.connect("projector")
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    poll = await add_poll(facilitator, "Wie wichtig ist Euch das?", "scale", scale="importance", live="on")
    await answer(anna, poll, choice=4)
    await projector.until(lambda r: bars(r.get("stage", "")).get("Sehr wichtig") == 1)
    await answer(bernd, poll, choice=4)
    await projector.until(lambda r: bars(r.get("stage", "")).get("Sehr wichtig") == 2)
    assert list(bars(projector.regions["stage"])) == [
        "Gar nicht wichtig",
        "Eher unwichtig",
        "Mittelmäßig wichtig",
        "Eher wichtig",
        "Sehr wichtig",
    ]


async def test_a_mood_check_in_and_a_multiple_choice(facilitator: Facilitator, people: People) -> None:
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    mood = await add_poll(facilitator, "", "mood")
    phone_page = BeautifulSoup(await anna.page(), "html.parser")
    faces = phone_page.select("#mine button[name=choice] svg.face")
    assert [face["aria-label"] for face in faces] == ["Enttäuscht", "Geht so", "Zufrieden", "Begeistert"]
    assert "Wie geht Ihr heute raus?" in text(str(phone_page.select_one("#stage")))
    await answer(anna, mood, choice=3)
    await answer(bernd, mood, choice=2)
    await facilitator.post("/polls/reveal", poll=mood)
    assert bars(await facilitator.page("/projector")) == {
        "Enttäuscht": 0,
        "Geht so": 0,
        "Zufrieden": 1,
        "Begeistert": 1,
    }

    several = await add_poll(facilitator, "Was brauchen wir?", "multiple", options="Zeit, Geld, Austausch", named="on")
    assert await answer(anna, several, choice_0="on", choice_2="on") == 200
    assert await answer(bernd, several, choice_2="on") == 200
    await facilitator.post("/polls/reveal", poll=several)
    page = BeautifulSoup(await facilitator.page("/projector"), "html.parser")
    assert bars(str(page)) == {"Zeit": 1, "Geld": 0, "Austausch": 2}
    names = [" ".join(n.get_text().split()) for n in page.select(".poll-names")]
    assert names == ["Anna", "Anna, Bernd"]  # a poll with names says who chose what


async def test_bad_input_gets_a_clear_message_and_changes_nothing(facilitator: Facilitator, people: People) -> None:
    anna = await people.join("Anna")
    await anna.arrive()
    olga = await people.join("Olga", observer=True)
    poll = await add_poll(facilitator, "Ja oder nein?", "single", options="Ja, Nein")
    cases = [
        (anna, {"poll": poll, "choice": "2"}, 422, "Diese Antwort gibt es in dieser Umfrage nicht."),
        (anna, {"poll": poll, "choice_0": "on", "choice_1": "on"}, 422, "Hier passt nur eine Antwort."),
        (anna, {"poll": poll}, 422, "Bitte eine Antwort wählen."),
        (anna, {"poll": poll, "choice": "x"}, 422, "Bitte eine Antwort wählen."),
        (anna, {"poll": "gibt-es-nicht", "choice": "0"}, 404, "Diese Umfrage gibt es in diesem Workshop nicht."),
        (olga, {"poll": poll, "choice": "0"}, 403, "Wer nur zuschaut, antwortet nicht."),
    ]
    for person, form, status, message in cases:
        response = await person.post("/polls/answer", **form)
        assert (response.status_code, text(response.text)) == (status, message), form
    refused = await anna.post("/polls/reveal", poll=poll)
    assert refused.status_code == 403
    bad_setups = [
        ({"form": "single", "options": "Nur eine"}, "2 bis 10 verschiedene Antworten"),
        ({"form": "ranking"}, "Diese Art von Umfrage gibt es nicht."),
        ({"form": "scale", "scale": "laune"}, "Diese Skala gibt es nicht."),
        ({"form": "words", "question": ""}, "Bitte eine Frage eingeben."),
    ]
    for setup, message in bad_setups:
        response = await facilitator.post("/polls", **{"question": "Frage?", **setup})
        assert response.status_code == 422 and message in text(response.text), setup
    await facilitator.post("/polls/reveal", poll=poll)
    page = await facilitator.page("/projector")
    assert bars(page) == {"Ja": 0, "Nein": 0} and "0 von 1 haben geantwortet" in text(page)

    words = await add_poll(facilitator, "Ein Wort?", "words")
    for typed in ("", "x" * 81):
        assert await answer(anna, words, text=typed) == 422
    assert (await anna.post("/polls/answer", poll=poll, choice=0)).status_code == 409  # no longer on screen


async def test_a_poll_is_its_groups_own(facilitator: Facilitator, people: People) -> None:
    response = await facilitator.post("/groups", name="AG Mobilität")
    assert response.status_code == 200
    page = BeautifulSoup(await facilitator.page("/facilitate"), "html.parser")
    first, second = [str(card["data-group"]) for card in page.select("#groups [data-group]")]
    anna = await people.join("Anna")  # in the first group
    response = await facilitator.post(
        "/polls", question="Nur für Mobilität?", form="single", options="Ja, Nein", start="on", group=second
    )
    assert response.status_code == 200
    overview = BeautifulSoup(await facilitator.page("/facilitate"), "html.parser").select_one(
        f'[data-group="{second}"]'
    )
    assert overview is not None and "Umfrage" in text(str(overview))
    console = BeautifulSoup(await facilitator.page(f"/facilitate?group={second}"), "html.parser")
    poll = str(console.select_one("#stage [name=poll]")["value"])
    other = await anna.post("/polls/answer", poll=poll, choice=0)
    assert other.status_code == 403 and "anderen Arbeitsgruppe" in text(other.text)
    assert "Nur für Mobilität?" not in await anna.page()
    assert first != second


async def test_a_room_full_of_phones_answering_at_once_loses_nothing(facilitator: Facilitator, people: People) -> None:
    crowd = await asyncio.gather(*(people.join(f"P{n}") for n in range(40)))
    poll = await add_poll(facilitator, "Alle zugleich?", "single", options="A, B, C")
    codes = await asyncio.gather(*(answer(p, poll, choice=n % 3) for n, p in enumerate(crowd)))
    assert set(codes) == {200}
    await facilitator.post("/polls/reveal", poll=poll)
    assert bars(await facilitator.page("/projector")) == {"A": 14, "B": 13, "C": 13}


async def test_with_auto_reveal_a_poll_shows_itself_once_everyone_answered(
    facilitator: Facilitator, people: People
) -> None:
    await facilitator.post("/options", auto_reveal="on")
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    await anna.arrive()
    await bernd.arrive()
    await people.join("Olga", observer=True)
    projector: Socket = await facilitator.connect("projector")
    poll = await add_poll(facilitator, "Passt das so?", "single", options="Ja, Nein")
    await answer(anna, poll, choice=0)
    await projector.until(lambda r: answered(1, 2) in text(r.get("stage", "")))
    assert bars(projector.regions["stage"]) == {}
    last = await bernd.post("/polls/answer", poll=poll, choice=0)
    assert "Deine Antwort ist dabei" in text(last.text)  # the phone's answer already shows the poll closed
    await projector.until(lambda r: bars(r.get("stage", "")) == {"Ja": 2, "Nein": 0})


async def test_the_minutes_and_the_archive_carry_the_polls(facilitator: Facilitator, people: People) -> None:
    anna, bernd, cem = [await people.join(name) for name in ("Anna", "Bernd", "Cem")]
    scale = await add_poll(facilitator, "Wie zufrieden seid Ihr mit der Zusammenarbeit?", "scale", scale="satisfaction")
    for person, level in ((anna, 3), (bernd, 3), (cem, 1)):
        await answer(person, scale, choice=level)
    await facilitator.post("/polls/reveal", poll=scale)
    words = await add_poll(facilitator, "Was nehmt Ihr mit?", "words", named="on")
    for person, typed in ((anna, "Vernetzung über Ämter"), (bernd, "Mut zur Vernetzung"), (cem, "# Kaffee | <b>")):
        await answer(person, words, text=typed)
    await facilitator.post("/polls/reveal", poll=words)
    hidden = await add_poll(facilitator, "Noch offen?", "single", options="Ja, Nein")
    await answer(anna, hidden, choice=0)

    minutes = (await facilitator.http.get(f"/r/{facilitator.code}/export.md")).text
    golden = "## 1." + minutes.split("## 1.", 1)[1]
    assert golden == GOLDEN.read_text()

    archive = (await facilitator.http.get(f"/r/{facilitator.code}/export.json")).content
    polls = [a for a in json.loads(archive)["activities"] if a["kind"] == "poll"]
    assert [len(p["answers"]) for p in polls] == [3, 3, 0]  # a poll not yet shown keeps its answers secret
    restored = await facilitator.http.post(
        "/restore", headers=BROWSER_POST, files={"archive": ("workshop.json", archive, "application/json")}
    )
    assert restored.status_code == 303
    again = await facilitator.http.get(restored.headers["location"].replace("/facilitate", "/export.md"))
    restored_minutes = again.text.split("## 1.", 1)[1]
    assert restored_minutes == minutes.split("## 1.", 1)[1].replace("\n\n1 Antwort, nicht gezeigt.\n", "\n")
