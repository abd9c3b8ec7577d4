"""Deep-dive boards ("Vertiefung") with real participants on real sockets: entries from phones, the facilitator
shaping the board, a quick estimate in "Machbarkeit", and a board made from the winning theme of a dot vote."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bs4 import BeautifulSoup

from workshop.demo.example import GREEN_ROOFS
from workshop.keys import room_key
from workshop.store import Store

from .clients import Facilitator, Participant, text
from .conftest import People
from .ideas_helpers import IdeaRoom

DEEP_DIVE = ["Anliegen", "Übergreifendes Ziel", "Zwischenziele", "Herausforderung", "Machbarkeit"]
ROOFS = "Dachbegrünung in Innenstädten fördern"
AG2 = GREEN_ROOFS  # Arbeitsgruppe 2's Vertiefung, section by section, as the two phones typed it
AG1_TITLE = "Herausforderung / Lösungsansätze"
CHALLENGES = [
    "Datenschutz & rechtliche Anforderungen",
    "Commitment der kommunalen Spitzen (Verwaltung & Politik)",
    "Umgang mit „Besitz“ (Wem gehört die Idee / das Projekt? / ausgrenzende Wettkampfhaltung)",
    "Haltungsfrage: Angst- versus Lösungsansatz",
    "Finanzielle Ressourcen",
    "Kommunikation und Vermittlung der Angebote",
]
APPROACHES = [
    "Beauftragte nicht nur auf gesetzlichen Rahmen, sondern auch auf Lösungsorientierung schulen",
    "Verbände einbinden (z.B. Deutscher Städtetag)",
    "Unternehmenskultur übergreifend fördern (z.B. zum Thema „Vertrauen schaffen“)",
    "Positiver Umgang mit Wettbewerbsgedanken in Projekten",
    "Geodatennetzwerk implementieren & nutzen",
]
QUESTION = (
    "Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer organisationsübergreifenden "
    "Projekt-Clearing-Stelle ein?"
)
# Arbeitsgruppe 1's quick estimate in "Machbarkeit": each justification is unique, a marker of its own.
VOTES = [
    ("Anna", "Gering", "Es ist im Wesentlichen nur eine leichter zu lösende organisatorische Herausforderung."),
    ("Bernd", "Mittel", "Erfolg hängt an einzelnen Personen / Fragen erreichen nicht die richtigen Expert*innen"),
    ("Cem", "Gering", "Braucht keine großen Personalressourcen und lässt sich leicht kommunizieren."),
    ("Dora", "Hoch", "Hohe organisationskulturelle Herausforderung / Verstetigung"),
]


# -- reading a board the way a person reads it ----------------------------------------------------------------


def layout(html: str) -> list[tuple[str, list[str]]]:
    """Section titles with their entries' texts, in the order the board shows them (a page or a #stage region)."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        (
            section.select_one(".dd-head h3").get_text(strip=True),
            [e.select_one(".dd-text").get_text(strip=True) for e in section.select(".dd-entry")],
        )
        for section in soup.select(".dd-section")
    ]


def title_of(html: str) -> str:
    heading = BeautifulSoup(html, "html.parser").select_one("h2.question")
    return heading.get_text(strip=True) if heading else ""


def my_entries(html: str) -> list[str]:
    """What a phone lists as the participant's own entries (in its "mine" region)."""
    soup = BeautifulSoup(html, "html.parser")
    return [str(li.find(string=True, recursive=False)).strip() for li in soup.select(".my-cards li")]


def has_deck(html: str) -> bool:
    return BeautifulSoup(html, "html.parser").select_one(".vote-form .deck") is not None


def chosen(frames: list[str]) -> set[str]:
    """Every card any of these frames shows as chosen or saved: what a phone shows of a vote before the reveal."""
    cards = set()
    for frame in frames:
        soup = BeautifulSoup(frame, "html.parser")
        cards |= {str(b["value"]) for b in soup.select(".deck .chosen, .reason-row [name=card]")}
        cards |= {p.get_text(strip=True).removeprefix("✓ Gespeichert: ") for p in soup.select(".saved")}
    return cards


class BoardRoom:
    """The facilitator's board on screen, with the ids a test needs to act on it."""

    def __init__(self, fac: Facilitator, board: str) -> None:
        self.fac = fac
        self.board = board

    @classmethod
    async def open(cls, fac: Facilitator, title: str, template: str = "deep-dive", sections: str = "") -> BoardRoom:
        response = await fac.post("/boards", title=title, template=template, sections=sections, start="on")
        assert response.status_code == 200, response.text
        return cls(fac, await cls.current(fac))

    @staticmethod
    async def current(fac: Facilitator) -> str:
        field = BeautifulSoup(await fac.page("/facilitate"), "html.parser").select_one("#stage [name=board]")
        assert field is not None, "no board on stage"
        return str(field["value"])

    async def console(self) -> str:
        return await self.fac.page("/facilitate")

    async def layout(self) -> list[tuple[str, list[str]]]:
        return layout(await self.console())

    async def section(self, title: str) -> str:
        soup = BeautifulSoup(await self.console(), "html.parser")
        found = {
            s.select_one(".dd-head h3").get_text(strip=True): s["data-section"] for s in soup.select(".dd-section")
        }
        return str(found[title])

    async def entry(self, entry_text: str) -> str:
        soup = BeautifulSoup(await self.console(), "html.parser")
        found = [
            e["data-entry"]
            for e in soup.select(".dd-entry")
            if e.select_one(".dd-text").get_text(strip=True) == entry_text
        ]
        assert len(found) == 1, (entry_text, found)
        return str(found[0])

    async def write(self, person: Participant | Facilitator, section: str, entry_text: str) -> None:
        response = await person.post("/entries", board=self.board, section=await self.section(section), text=entry_text)
        assert response.status_code == 200, response.text

    async def estimate(self) -> tuple[str, int]:
        """The running quick estimate and its round, as the facilitator's reveal button carries them."""
        form = BeautifulSoup(await self.console(), "html.parser").select_one("form[action$='/reveal']")
        assert form is not None, "no quick estimate open"
        return str(form.select_one("[name=item]")["value"]), int(form.select_one("[name=round]")["value"])


def on_board(*expected: tuple[str, list[str]]) -> Callable[[dict[str, str]], bool]:
    """Socket.until: the stage shows exactly these sections with these entries."""
    return lambda regions: layout(regions.get("stage", "")) == list(expected)


async def consistent(store: Store, code: str, board: str) -> dict[str, list[str]]:
    """The board as Redis holds it, checked: every entry in exactly one section list, once, where `place` says.

    Returns section id -> entry ids."""
    base = room_key(code, "board", board)
    section_ids = await store.redis.lrange(f"{base}:sections", 0, -1)
    lists = {s: await store.redis.lrange(f"{base}:s:{s}", 0, -1) for s in section_ids}
    entries = set(await store.redis.hkeys(f"{base}:entries"))
    place = await store.redis.hgetall(f"{base}:place")
    listed = [e for ids in lists.values() for e in ids]
    assert len(listed) == len(set(listed)), f"an entry is listed twice: {lists}"
    assert set(listed) == entries == set(place), (lists, entries, place)
    assert all(place[e] == s for s, ids in lists.items() for e in ids), (lists, place)
    return lists


# -- 1. the real Vertiefung, filled from two phones -------------------------------------------------------------


async def test_two_phones_fill_the_vertiefung_of_arbeitsgruppe_2(facilitator: Facilitator, people: People) -> None:
    dd = await BoardRoom.open(facilitator, f"Vertiefung „{ROOFS}“")
    projector = await facilitator.connect("projector")
    anna = await people.join("Anna", org="Stadt Bochum")
    bernd = await people.join("Bernd", org="Kreis Wesel")
    anna_phone, bernd_phone = await anna.connect("participant"), await bernd.connect("participant")
    await projector.until(on_board(*[(s, []) for s in DEEP_DIVE]))
    assert title_of(projector.regions["stage"]) == f"Vertiefung „{ROOFS}“"
    await anna_phone.until(lambda r: "Wofür ist welcher Abschnitt?" in r.get("mine", ""))
    hints = BeautifulSoup(anna_phone.regions["mine"], "html.parser").select(".section-hints dt")
    assert [dt.get_text() for dt in hints] == list(DEEP_DIVE)  # the form says what each section asks for
    assert "Was steht im Weg" in anna_phone.region_text("mine")

    mine: dict[str, list[str]] = {"Anna": [], "Bernd": []}
    expected: dict[str, list[str]] = {s: [] for s in DEEP_DIVE}
    for section, entries in AG2.items():
        for n, entry in enumerate(entries):
            person = (anna, bernd)[n % 2]
            await dd.write(person, section, entry)
            expected[section].append(entry)
            mine[person.name].append(entry)
            await projector.until(on_board(*expected.items()))  # live, in its section, in the order written

    await projector.until(lambda r: "8 Beiträge" in text(r["stage"]))
    for phone, name in ((anna_phone, "Anna"), (bernd_phone, "Bernd")):
        await phone.until(on_board(*expected.items()))  # every phone sees the whole board …
        await phone.until(lambda r, name=name: sorted(my_entries(r.get("mine", ""))) == sorted(mine[name]))
    assert sorted(my_entries(await anna.page())) == sorted(mine["Anna"])  # … and lists its own entries
    assert "Anna" not in projector.region_text("stage") and "Stadt Bochum" not in projector.region_text("stage")

    withdrawn = AG2["Anliegen"][0]
    response = await anna.post("/entries/delete", board=dd.board, entry=await dd.entry(withdrawn))
    assert response.status_code == 200, response.text
    expected["Anliegen"].remove(withdrawn)
    await projector.until(on_board(*expected.items()))
    mine["Anna"].remove(withdrawn)
    await anna_phone.until(lambda r: sorted(my_entries(r["mine"])) == sorted(mine["Anna"]))
    assert "7 Beiträge" in projector.region_text("stage")


async def test_a_phone_lists_its_own_entries_in_the_order_of_the_board(
    facilitator: Facilitator, people: People
) -> None:
    dd = await BoardRoom.open(facilitator, f"Vertiefung „{ROOFS}“")
    anna = await people.join("Anna")
    written = [entry for entries in AG2.values() for entry in entries]
    for section, entries in AG2.items():
        for entry in entries:
            await dd.write(anna, section, entry)
    assert my_entries(await anna.page()) == written


# -- 2. bad input -------------------------------------------------------------------------------------------------


async def test_bad_entries_are_refused_with_a_message_and_change_nothing(
    facilitator: Facilitator, people: People
) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    anna = await people.join("Anna")
    watcher = await people.join("Zuschauer", observer=True)
    stranger = Participant(facilitator.base, facilitator.code)  # has the code from the projector, never joined
    await dd.write(anna, "Herausforderung", CHALLENGES[0])
    before = await dd.console()
    challenge = await dd.section("Herausforderung")
    cases: list[tuple[Participant, dict[str, str], int, str]] = [
        (anna, {"text": ""}, 422, "Bitte einen Text für den Beitrag eingeben."),
        (anna, {"text": " \n\t "}, 422, "Bitte einen Text für den Beitrag eingeben."),
        (anna, {"text": "x" * 281}, 422, "Der Text ist zu lang (höchstens 280 Zeichen)."),
        (anna, {"section": "gibt-es-nicht"}, 404, "Diesen Abschnitt gibt es nicht mehr."),
        (anna, {"section": ""}, 404, "Diesen Abschnitt gibt es nicht mehr."),
        (anna, {"board": "gibt-es-nicht"}, 404, "Dieses Board gibt es in diesem Workshop nicht."),
        (watcher, {}, 403, "Beiträge schreiben alle, die mitmachen; wer nur zuschaut, nicht."),
        (stranger, {}, 403, "Bitte tritt dem Workshop zuerst bei."),
    ]
    try:
        for person, changes, status, message in cases:
            form = {"board": dd.board, "section": challenge, "text": "Haltungsfrage", **changes}
            response = await person.post("/entries", **form)
            assert response.status_code == status and message in text(response.text), (changes, response.text)
    finally:
        await stranger.close()
    assert layout(await dd.console()) == layout(before) == [("Herausforderung", CHALLENGES[:1]), ("Lösungsansätze", [])]
    assert my_entries(await anna.page()) == CHALLENGES[:1]

    await dd.write(anna, "Herausforderung", "x" * 280)  # the limit itself is fine
    await dd.write(anna, "Lösungsansätze", "<b>Verbände</b> einbinden")  # shown as typed, never as markup
    page = await facilitator.page("/projector")
    assert layout(page)[1] == ("Lösungsansätze", ["<b>Verbände</b> einbinden"])
    assert "<b>Verbände</b>" not in page


async def test_participants_cannot_change_others_entries_or_shape_the_board(
    facilitator: Facilitator, people: People
) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    await dd.write(anna, "Herausforderung", CHALLENGES[0])
    await dd.write(anna, "Herausforderung", CHALLENGES[1])
    before = await dd.console()
    challenge, approaches = await dd.section("Herausforderung"), await dd.section("Lösungsansätze")
    annas = await dd.entry(CHALLENGES[0])
    not_yours, facilitator_only = "Nur eigene Beiträge lassen sich ändern.", "Das darf nur die Moderation."
    for person, path, form, message in [
        (bernd, "/entries/edit", {"entry": annas, "text": "Überschrieben"}, not_yours),
        (bernd, "/entries/delete", {"entry": annas}, not_yours),
        (bernd, "/entries/move", {"entry": annas, "step": 1}, facilitator_only),
        (bernd, "/entries/move", {"entry": annas, "to": approaches}, facilitator_only),
        (
            anna,
            "/entries/move",
            {"entry": annas, "step": 1},
            facilitator_only,
        ),  # not even her own: sorting is moderation
        (bernd, "/sections", {"title": "Eingeschleust"}, facilitator_only),
        (bernd, "/sections/rename", {"section": challenge, "title": "Eingeschleust"}, facilitator_only),
        (bernd, "/sections/move", {"section": approaches, "step": -1}, facilitator_only),
        (anna, "/sections/delete", {"section": approaches}, facilitator_only),
        (bernd, "/estimate/start", {"section": approaches, "question": "Aufwand?"}, facilitator_only),
        (bernd, "/estimate/stop", {}, facilitator_only),
    ]:
        response = await person.post(path, board=dd.board, **form)
        assert response.status_code == 403 and message in text(response.text), (path, form, response.text)
    made = await bernd.post("/boards", title="Eingeschleust", template="deep-dive", start="on")
    assert made.status_code == 403 and facilitator_only in text(made.text)
    after = await dd.console()
    assert layout(after) == layout(before) == [("Herausforderung", CHALLENGES[:2]), ("Lösungsansätze", [])]
    assert title_of(after) == AG1_TITLE and "Eingeschleust" not in after and "Aufwand?" not in after


async def test_bad_shaping_by_the_facilitator_is_refused_with_a_message(facilitator: Facilitator) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    await dd.write(facilitator, "Herausforderung", CHALLENGES[0])
    before = await dd.console()
    challenge, entry = await dd.section("Herausforderung"), await dd.entry(CHALLENGES[0])
    for path, form, status, message in [
        ("/boards", {"title": "Eigenes Board", "template": "custom", "sections": " , ;\n"}, 422, "1 bis 12 Abschnitte"),
        ("/boards", {"title": "Eigenes Board", "template": "custom", "sections": ""}, 422, "1 bis 12 Abschnitte"),
        ("/boards", {"title": "Eigenes Board", "template": "retro"}, 422, "Diese Vorlage gibt es nicht."),
        ("/boards", {"title": " ", "template": "deep-dive"}, 422, "Bitte einen Titel eingeben."),
        ("/entries/edit", {"board": dd.board, "entry": entry, "text": ""}, 422, "Bitte einen Text für den Beitrag"),
        (
            "/entries/edit",
            {"board": dd.board, "entry": "weg", "text": "Neu"},
            404,
            "Diesen Beitrag gibt es nicht mehr.",
        ),
        ("/entries/move", {"board": dd.board, "entry": entry, "step": -1}, 409, "Das steht schon ganz am Rand."),
        (
            "/entries/move",
            {"board": dd.board, "entry": entry, "to": "weg"},
            404,
            "Diesen Abschnitt gibt es nicht mehr.",
        ),
        ("/sections", {"board": dd.board, "title": "x" * 81}, 422, "höchstens 80 Zeichen"),
        ("/sections/rename", {"board": dd.board, "section": challenge, "title": ""}, 422, "Namen für den Abschnitt"),
        ("/sections/move", {"board": dd.board, "section": challenge, "step": -1}, 409, "Das steht schon ganz am Rand."),
        ("/sections/delete", {"board": dd.board, "section": "weg"}, 404, "Diesen Abschnitt gibt es nicht mehr."),
    ]:
        response = await facilitator.post(path, **form, start="on")
        assert response.status_code == status and message in text(response.text), (path, form, response.text)
    after = await dd.console()
    assert layout(after) == layout(before) == [("Herausforderung", CHALLENGES[:1]), ("Lösungsansätze", [])]
    assert title_of(after) == AG1_TITLE and "Eigenes Board" not in after  # no refused board on the agenda

    single = await BoardRoom.open(facilitator, "Machbarkeit", template="custom", sections="Machbarkeit")
    last = await facilitator.post("/sections/delete", board=single.board, section=await single.section("Machbarkeit"))
    assert last.status_code == 409 and "Ein Board braucht mindestens einen Abschnitt." in text(last.text)
    assert await single.layout() == [("Machbarkeit", [])]


async def test_a_participant_may_edit_their_own_entry(facilitator: Facilitator, people: People) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    anna = await people.join("Anna")
    await dd.write(anna, "Herausforderung", "Finanzielle Ressourcen")
    entry = await dd.entry("Finanzielle Ressourcen")
    edited = await anna.post(
        "/entries/edit", board=dd.board, entry=entry, text="Finanzielle Ressourcen (Haushaltslage)"
    )
    assert edited.status_code == 200, edited.text
    assert await dd.layout() == [
        ("Herausforderung", ["Finanzielle Ressourcen (Haushaltslage)"]),
        ("Lösungsansätze", []),
    ]
    assert my_entries(await anna.page()) == ["Finanzielle Ressourcen (Haushaltslage)"]


# -- 3. the facilitator shapes the board ------------------------------------------------------------------------


async def test_the_facilitator_edits_moves_and_deletes_entries(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    projector = await facilitator.connect("projector")
    anna = await people.join("Anna")
    phone = await anna.connect("participant")
    for entry in CHALLENGES[:4]:
        await dd.write(facilitator, "Herausforderung", entry)  # from the flipchart
    await dd.write(anna, "Herausforderung", "Finanzielle Ressourcen")
    for entry in APPROACHES[:2]:
        await dd.write(facilitator, "Lösungsansätze", entry)
    await dd.write(facilitator, "Herausforderung", APPROACHES[4])  # in the wrong section
    challenges = [*CHALLENGES[:4], "Finanzielle Ressourcen", APPROACHES[4]]
    await projector.until(on_board(("Herausforderung", challenges), ("Lösungsansätze", APPROACHES[:2])))

    async def post(path: str, **form: object) -> None:
        response = await facilitator.post(path, board=dd.board, **form)
        assert response.status_code == 200, (path, form, response.text)

    await post(
        "/entries/edit", entry=await dd.entry("Finanzielle Ressourcen"), text="Finanzielle Ressourcen (Haushaltslage)"
    )
    challenges[4] = "Finanzielle Ressourcen (Haushaltslage)"
    await projector.until(on_board(("Herausforderung", challenges), ("Lösungsansätze", APPROACHES[:2])))
    await phone.until(lambda r: my_entries(r.get("mine", "")) == ["Finanzielle Ressourcen (Haushaltslage)"])

    await post("/entries/move", entry=await dd.entry(CHALLENGES[3]), step=-1)  # up
    await post("/entries/move", entry=await dd.entry(CHALLENGES[0]), step=1)  # down
    challenges = [CHALLENGES[1], CHALLENGES[0], CHALLENGES[3], CHALLENGES[2], *challenges[4:]]
    await projector.until(on_board(("Herausforderung", challenges), ("Lösungsansätze", APPROACHES[:2])))

    await post("/entries/move", entry=await dd.entry(APPROACHES[4]), to=await dd.section("Lösungsansätze"))
    challenges.remove(APPROACHES[4])
    approaches = [*APPROACHES[:2], APPROACHES[4]]  # to the end of the other section
    await projector.until(on_board(("Herausforderung", challenges), ("Lösungsansätze", approaches)))

    await post("/entries/move", entry=await dd.entry(APPROACHES[4]), step=-1)
    approaches = [APPROACHES[0], APPROACHES[4], APPROACHES[1]]
    await projector.until(on_board(("Herausforderung", challenges), ("Lösungsansätze", approaches)))

    await post("/entries/delete", entry=await dd.entry("Finanzielle Ressourcen (Haushaltslage)"))  # anyone's
    challenges.remove("Finanzielle Ressourcen (Haushaltslage)")
    await projector.until(on_board(("Herausforderung", challenges), ("Lösungsansätze", approaches)))
    await phone.until(lambda r: my_entries(r["mine"]) == [])
    assert "7 Beiträge" in projector.region_text("stage")
    await consistent(store, facilitator.code, dd.board)


async def test_the_facilitator_adds_renames_reorders_and_deletes_sections(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    projector = await facilitator.connect("projector")
    anna = await people.join("Anna")
    phone = await anna.connect("participant")
    await dd.write(anna, "Herausforderung", CHALLENGES[0])
    await dd.write(anna, "Lösungsansätze", APPROACHES[1])

    async def post(path: str, **form: object) -> None:
        response = await facilitator.post(path, board=dd.board, **form)
        assert response.status_code == 200, (path, form, response.text)

    await post("/sections", title="Machbarkeit")
    await post("/sections", title="Sonstiges")
    await dd.write(anna, "Sonstiges", "Kaffee war gut")
    await dd.write(facilitator, "Sonstiges", "Raum zu warm")
    await projector.until(
        on_board(
            ("Herausforderung", [CHALLENGES[0]]),
            ("Lösungsansätze", [APPROACHES[1]]),
            ("Machbarkeit", []),
            ("Sonstiges", ["Kaffee war gut", "Raum zu warm"]),
        )
    )

    await post("/sections/rename", section=await dd.section("Herausforderung"), title="Herausforderungen")
    await post("/sections/move", section=await dd.section("Machbarkeit"), step=-1)  # before Lösungsansätze
    await post("/sections/move", section=await dd.section("Herausforderungen"), step=1)  # after Machbarkeit
    await projector.until(
        on_board(
            ("Machbarkeit", []),
            ("Herausforderungen", [CHALLENGES[0]]),
            ("Lösungsansätze", [APPROACHES[1]]),
            ("Sonstiges", ["Kaffee war gut", "Raum zu warm"]),
        )
    )
    await phone.until(lambda r: "Herausforderungen" in text(r.get("mine", "")))  # the phone's section choice, too

    await post("/sections/delete", section=await dd.section("Sonstiges"))  # with its entries
    expected = [("Machbarkeit", []), ("Herausforderungen", [CHALLENGES[0]]), ("Lösungsansätze", [APPROACHES[1]])]
    await projector.until(on_board(*expected))
    await phone.until(lambda r: "Kaffee war gut" not in my_entries(r["mine"]) and "Sonstiges" not in text(r["mine"]))
    assert sorted(my_entries(phone.regions["mine"])) == sorted([CHALLENGES[0], APPROACHES[1]])
    assert "2 Beiträge" in projector.region_text("stage")
    lists = await consistent(store, facilitator.code, dd.board)
    assert len(lists) == 3


async def test_moving_an_entry_to_its_own_section_leaves_it_in_place(facilitator: Facilitator) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    for entry in CHALLENGES[:3]:
        await dd.write(facilitator, "Herausforderung", entry)
    response = await facilitator.post(
        "/entries/move", board=dd.board, entry=await dd.entry(CHALLENGES[0]), to=await dd.section("Herausforderung")
    )
    assert response.status_code == 200, response.text
    assert await dd.layout() == [("Herausforderung", CHALLENGES[:3]), ("Lösungsansätze", [])]


# -- 4. a quick estimate in "Machbarkeit" -----------------------------------------------------------------------


async def _ag1_board_with_feasibility(facilitator: Facilitator) -> BoardRoom:
    """Arbeitsgruppe 1's board: the solutions template, its challenges and approaches, and a "Machbarkeit"."""
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    for entry in CHALLENGES[:2]:
        await dd.write(facilitator, "Herausforderung", entry)
    await dd.write(facilitator, "Lösungsansätze", APPROACHES[0])
    response = await facilitator.post("/sections", board=dd.board, title="Machbarkeit")
    assert response.status_code == 200, response.text
    return dd


def _leaks(frames: list[str], secrets: list[str]) -> list[str]:
    """The secrets found in any of these frames or pages (raw, or as their text reads)."""
    return [s for s in secrets for frame in frames if s in frame or s in text(frame)]


async def test_a_quick_estimate_in_machbarkeit_stays_secret_until_revealed(
    facilitator: Facilitator, people: People
) -> None:
    dd = await _ag1_board_with_feasibility(facilitator)
    projector = await facilitator.connect("projector")
    console = await facilitator.connect("facilitator")
    voters = [await people.join(name) for name, _, _ in VOTES]
    watcher = await people.join("Zuschauer", observer=True)
    phones = [await p.connect("participant") for p in voters]
    observer_phone = await watcher.connect("observer")
    board = [("Herausforderung", CHALLENGES[:2]), ("Lösungsansätze", APPROACHES[:1]), ("Machbarkeit", [])]
    await projector.until(on_board(*board))

    feasibility = await dd.section("Machbarkeit")
    started = await facilitator.post(
        "/estimate/start", board=dd.board, section=feasibility, question=QUESTION, deck="qualitative"
    )
    assert started.status_code == 200, started.text
    for phone in phones:  # the deck on the phones …
        await phone.until(lambda r: has_deck(r.get("mine", "")) and QUESTION in text(r.get("stage", "")))
        deck = BeautifulSoup(phone.regions["mine"], "html.parser").select(".deck button")
        assert [card.get_text(strip=True) for card in deck] == ["Gering", "Mittel", "Hoch"]
        assert layout(phone.regions["stage"]) == board  # … the board on their screen, too
    await projector.until(lambda r: QUESTION in text(r["stage"]) and "0 von 4 haben abgestimmt" in text(r["stage"]))
    assert layout(projector.regions["stage"]) == board  # … while the board stays on screen
    assert "mine" not in observer_phone.regions  # an observer gets no deck

    other = await dd.section("Lösungsansätze")
    second = await facilitator.post("/estimate/start", board=dd.board, section=other, question="Aufwand?")
    assert second.status_code == 409 and "läuft schon eine Schnellabschätzung" in text(second.text)

    item, round_ = await dd.estimate()
    phone_form = BeautifulSoup(await voters[0].page(), "html.parser").select_one(".vote-form")
    assert (phone_form.select_one("[name=item]")["value"], int(phone_form.select_one("[name=round]")["value"])) == (
        item,
        round_,
    )
    for person, (_, card, reason) in zip(voters, VOTES, strict=True):
        response = await person.vote(item, round_, card, reason)
        assert response.status_code == 200, response.text
    await projector.until(lambda r: "4 von 4 haben abgestimmt" in text(r["stage"]))
    await console.until(lambda r: "4 von 4 haben abgestimmt" in text(r.get("stage", "")))
    await observer_phone.until(lambda r: "4 von 4 haben abgestimmt" in text(r.get("stage", "")))
    for phone, (_, card, _) in zip(phones, VOTES, strict=True):
        await phone.until(lambda r: "4 von 4 haben abgestimmt" in text(r["stage"]))
        await phone.until(lambda r, card=card: f"Gespeichert: {card}" in text(r["mine"]))

    reasons = [reason for _, _, reason in VOTES]
    shown = ["card-chip", "dd-counts", 'class="results"', "Gespeichert"]  # what a revealed or own vote looks like
    pages = [await facilitator.page("/projector"), await facilitator.page("/facilitate"), await watcher.page()]
    screens = [*projector.frames, *console.frames, *observer_phone.frames, *pages]
    assert _leaks(screens, reasons + shown) == [] and chosen(screens) == set()
    for n, (person, phone) in enumerate(zip(voters, phones, strict=True)):
        others = reasons[:n] + reasons[n + 1 :]
        seen = [*phone.frames, await person.page()]
        assert _leaks(seen, others) == [], person.name  # no one else's justification …
        assert chosen(seen) == {VOTES[n][1]}, person.name  # … and no card but one's own

    revealed = await facilitator.reveal(item, round_)
    assert revealed.status_code == 200, revealed.text
    await projector.until(lambda r: "chart" in r["stage"] and all(reason in text(r["stage"]) for reason in reasons))
    assert layout(projector.regions["stage"]) == board

    stopped = await facilitator.post("/estimate/stop", board=dd.board)
    assert stopped.status_code == 200, stopped.text
    await projector.until(lambda r: "dd-estimate" in r["stage"] and "chart" not in r["stage"])
    result = BeautifulSoup(projector.regions["stage"], "html.parser").select_one(
        f"[data-section='{feasibility}'] .dd-estimate"
    )
    assert result is not None
    assert QUESTION in result.get_text(" ")
    counts = " ".join(result.select_one(".dd-counts").get_text(" ").split())
    assert counts.startswith("Gering × 2 · Mittel × 1 · Hoch × 1") and "Weit auseinander" in counts
    justifications = [
        (li.select_one(".card-chip").get_text(strip=True), li.select_one("q").get_text(strip=True))
        for li in result.select(".dd-reasons li")
    ]
    # the people to ask first: the lowest card, then the highest, then the middle; no names on the board
    assert justifications == [
        ("Gering", VOTES[0][2]),
        ("Gering", VOTES[2][2]),
        ("Hoch", VOTES[3][2]),
        ("Mittel", VOTES[1][2]),
    ]
    assert not any(name in result.get_text(" ") for name, _, _ in VOTES)
    for phone in phones:
        await phone.until(lambda r: not has_deck(r["mine"]) and "dd-estimate" in r["stage"])
        assert "vote-form" not in phone.regions["mine"]
    late = await voters[0].vote(item, round_, "Hoch", "Zu spät")
    assert late.status_code == 409 and "schon aufgedeckt oder neu gestartet" in text(late.text)
    assert "Zu spät" not in await facilitator.page("/projector")


async def test_a_quick_estimate_stopped_before_the_reveal_keeps_its_votes_hidden(
    facilitator: Facilitator, people: People
) -> None:
    dd = await _ag1_board_with_feasibility(facilitator)
    feasibility = await dd.section("Machbarkeit")
    projector = await facilitator.connect("projector")
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    bernd_phone = await bernd.connect("participant")
    await facilitator.post(
        "/estimate/start", board=dd.board, section=feasibility, question=QUESTION, deck="qualitative"
    )
    item, round_ = await dd.estimate()
    marker = "Geheime Begründung QX7"
    assert (await anna.vote(item, round_, "Hoch", marker)).status_code == 200

    assert (await facilitator.post("/estimate/stop", board=dd.board)).status_code == 200
    await projector.until(lambda r: "Noch nicht aufgedeckt." in text(r.get("stage", "")))
    await bernd_phone.until(lambda r: "Noch nicht aufgedeckt." in text(r.get("stage", "")) and not has_deck(r["mine"]))
    refused = await bernd.vote(item, round_, "Gering")
    assert refused.status_code == 409

    reopened = await facilitator.post("/estimate/start", board=dd.board, section=feasibility)
    assert reopened.status_code == 200, reopened.text
    await bernd_phone.until(lambda r: has_deck(r["mine"]))
    assert await dd.estimate() == (item, round_)  # the same estimate, the same round: Anna's vote still counts
    assert (await bernd.vote(item, round_, "Gering")).status_code == 200
    await projector.until(lambda r: "2 von 2 haben abgestimmt" in text(r["stage"]))
    assert _leaks([*projector.frames, *bernd_phone.frames], [marker]) == []

    await facilitator.reveal(item, round_)
    await facilitator.post("/estimate/stop", board=dd.board)
    await projector.until(lambda r: marker in text(r["stage"]) and "Gering × 1 · Hoch × 1" in text(r["stage"]))


# -- 5. a board from the winning theme --------------------------------------------------------------------------


THEMES = {
    "Partizipation & Demokratie stärken": [
        "Zentrale Bürgerapp für Verwaltungsleistungen (einheitliche Formulare, Sammelstelle für Bescheide)",
        "Etablierung von Bürgerbeiräten",
    ],
    "Interne Prozesse vereinfachen": ["Beschaffung von Hard- & Software vereinfachen"],
    "Aufenthaltsqualität & Klimaschutz fördern": [ROOFS, "freie Wand- & Dachflächen für Photovoltaik nutzen"],
}


async def test_a_board_from_the_winning_theme_holds_its_cards_in_anliegen(
    facilitator: Facilitator, people: People
) -> None:
    ideas = await IdeaRoom.open(facilitator)
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    projector = await facilitator.connect("projector")
    themes = {}
    for title, cards in THEMES.items():
        themes[title] = await ideas.theme(title)
        for n, card in enumerate(cards):
            await ideas.write((anna, bernd)[n % 2], card)
            assert await ideas.move(card, themes[title]) == 200
    climate = themes["Aufenthaltsqualität & Klimaschutz fördern"]

    assert (await facilitator.post("/dots/start", activity=ideas.activity, dots=2, on="themes")).status_code == 200
    for person, target in [
        (anna, climate),
        (anna, themes["Partizipation & Demokratie stärken"]),
        (bernd, climate),
        (bernd, themes["Interne Prozesse vereinfachen"]),
    ]:
        assert (await person.post("/dots/add", activity=ideas.activity, target=target)).status_code == 200
    await facilitator.post("/dots/close", activity=ideas.activity)
    await projector.until(lambda r: "Ergebnis" in text(r.get("stage", "")))
    winner = BeautifulSoup(projector.regions["stage"], "html.parser").select_one(".ranking li")
    assert "Aufenthaltsqualität & Klimaschutz fördern" in winner.get_text(" ")

    refused = await anna.post("/boards/from-theme", activity=ideas.activity, theme=climate, template="deep-dive")
    assert refused.status_code == 403
    unknown = await facilitator.post("/boards/from-theme", activity=ideas.activity, theme="gibt-es-nicht")
    assert unknown.status_code == 404

    response = await facilitator.post(
        "/boards/from-theme", activity=ideas.activity, theme=climate, template="deep-dive"
    )
    assert response.status_code == 200, response.text
    cards = THEMES["Aufenthaltsqualität & Klimaschutz fördern"]
    await projector.until(on_board(("Anliegen", cards), *[(s, []) for s in DEEP_DIVE[1:]]))
    assert title_of(projector.regions["stage"]) == "Aufenthaltsqualität & Klimaschutz fördern"
    assert "2 Beiträge" in projector.region_text("stage")
    phone = await anna.connect("participant")
    await phone.until(lambda r: my_entries(r.get("mine", "")) == [ROOFS])  # her card is her entry now

    dd = BoardRoom(facilitator, await BoardRoom.current(facilitator))
    await dd.write(bernd, "Herausforderung", "Finanzierung des Projekts")
    await projector.until(
        on_board(
            ("Anliegen", cards),
            ("Übergreifendes Ziel", []),
            ("Zwischenziele", []),
            ("Herausforderung", ["Finanzierung des Projekts"]),
            ("Machbarkeit", []),
        )
    )


# -- 6. concurrency -----------------------------------------------------------------------------------------------


async def test_ten_phones_writing_at_once_are_all_stored_once(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    dd = await BoardRoom.open(facilitator, f"Vertiefung „{ROOFS}“")
    crowd = [await people.join(f"Person {n}") for n in range(10)]
    concern = await dd.section("Anliegen")
    written = [f"Anliegen Nummer {n}: Nutzung eines großen Flächenpotenzials" for n in range(10)]
    answers = await asyncio.gather(
        *[
            person.post("/entries", board=dd.board, section=concern, text=t)
            for person, t in zip(crowd, written, strict=True)
        ]
    )
    assert [a.status_code for a in answers] == [200] * 10
    board = dict(await dd.layout())
    assert sorted(board["Anliegen"]) == sorted(written) and len(board["Anliegen"]) == 10
    assert all(entries == [] for title, entries in board.items() if title != "Anliegen")
    lists = await consistent(store, facilitator.code, dd.board)
    assert len(lists[concern]) == 10
    for person, t in zip(crowd, written, strict=True):
        assert my_entries(await person.page()) == [t]


async def test_moving_an_entry_while_its_author_withdraws_it_never_doubles_it(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    dd = await BoardRoom.open(facilitator, AG1_TITLE, template="solutions")
    projector = await facilitator.connect("projector")
    anna = await people.join("Anna")
    for entry in CHALLENGES:
        await dd.write(anna, "Herausforderung", entry)
    approaches = await dd.section("Lösungsansätze")
    for n, entry in enumerate(CHALLENGES[:4]):
        entry_id = await dd.entry(entry)
        move = {"to": approaches} if n % 2 == 0 else {"step": 1}
        moved, withdrawn = await asyncio.gather(
            facilitator.post("/entries/move", board=dd.board, entry=entry_id, **move),
            anna.post("/entries/delete", board=dd.board, entry=entry_id),
        )
        assert moved.status_code in (200, 404, 409), moved.text
        assert withdrawn.status_code in (200, 409), withdrawn.text
        placed = [e for _, entries in await dd.layout() for e in entries]
        if withdrawn.status_code == 200:
            assert entry not in placed
        else:
            assert moved.status_code == 200 and placed.count(entry) == 1
        await consistent(store, facilitator.code, dd.board)
    final = await dd.layout()
    assert len([e for _, entries in final for e in entries]) == len({e for _, entries in final for e in entries})
    await projector.until(lambda r: layout(r.get("stage", "")) == final)
    assert sorted(my_entries(await anna.page())) == sorted(e for _, entries in final for e in entries)


async def _sections_of(dd: BoardRoom) -> list[str]:
    soup = BeautifulSoup(await dd.console(), "html.parser")
    return [str(s["data-section"]) for s in soup.select("#stage .dd-section")]


async def test_deleting_both_sections_at_once_leaves_one(facilitator: Facilitator) -> None:
    left = []
    for attempt in range(5):
        dd = await BoardRoom.open(facilitator, f"{AG1_TITLE} ({attempt + 1})", template="solutions")
        both = await _sections_of(dd)
        answers = await asyncio.gather(*[facilitator.post("/sections/delete", board=dd.board, section=s) for s in both])
        assert sorted(a.status_code for a in answers) in ([200, 409], [200, 200]), [a.text for a in answers]
        left.append(len(await _sections_of(dd)))
    assert left == [1] * 5


async def test_sections_added_at_once_never_exceed_twelve(facilitator: Facilitator) -> None:
    counts = []
    for attempt in range(5):
        eleven = ", ".join(f"Abschnitt {n}" for n in range(1, 12))
        dd = await BoardRoom.open(facilitator, f"Eigene Abschnitte ({attempt + 1})", template="custom", sections=eleven)
        answers = await asyncio.gather(
            *[facilitator.post("/sections", board=dd.board, title=f"Neu {n}") for n in range(3)]
        )
        assert all(a.status_code in (200, 409) for a in answers)
        counts.append(len(await _sections_of(dd)))
    assert counts == [12] * 5


# -- 7. deleting the section of an estimate deletes its votes -----------------------------------------------------


async def test_deleting_machbarkeit_deletes_its_estimate_and_votes_from_redis(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    dd = await _ag1_board_with_feasibility(facilitator)
    projector = await facilitator.connect("projector")
    voters = [await people.join(name) for name, _, _ in VOTES]
    feasibility = await dd.section("Machbarkeit")
    await facilitator.post(
        "/estimate/start", board=dd.board, section=feasibility, question=QUESTION, deck="qualitative"
    )
    item, _ = await dd.estimate()
    for person, (_, card, reason) in zip(voters, VOTES, strict=True):
        assert (await person.vote(item, 1, card, reason)).status_code == 200
    await facilitator.reveal(item, 1)
    await facilitator.new_round(item, 1)  # vote again: the votes of both rounds are kept
    for person in voters:
        assert (await person.vote(item, 2, "Mittel", "Nach der Diskussion")).status_code == 200
    await facilitator.reveal(item, 2)
    await facilitator.post("/estimate/stop", board=dd.board)
    await projector.until(lambda r: "Mittel × 4" in text(r.get("stage", "")))
    assert [k for k in await store.keys_of(facilitator.code) if item in k] != []  # the votes are there …
    assert "Nach der Diskussion" in await facilitator.page("/export.md")

    response = await facilitator.post("/sections/delete", board=dd.board, section=feasibility)
    assert response.status_code == 200, response.text
    await projector.until(lambda r: "Machbarkeit" not in text(r["stage"]))
    assert layout(projector.regions["stage"]) == [
        ("Herausforderung", CHALLENGES[:2]),
        ("Lösungsansätze", APPROACHES[:1]),
    ]
    assert [k for k in await store.keys_of(facilitator.code) if item in k] == []  # … and gone with the section
    assert not await store.redis.hexists(room_key(facilitator.code, "items"), item)
    assert not await store.redis.hexists(room_key(facilitator.code, "rounds"), item)
    for reason in [r for _, _, r in VOTES] + ["Nach der Diskussion"]:
        assert reason not in await facilitator.page("/export.md")


async def test_deleting_machbarkeit_while_it_is_estimated_takes_the_deck_off_the_phones(
    facilitator: Facilitator, people: People, store: Store
) -> None:
    dd = await _ag1_board_with_feasibility(facilitator)
    anna, bernd = await people.join("Anna"), await people.join("Bernd")
    phone = await bernd.connect("participant")
    feasibility = await dd.section("Machbarkeit")
    await facilitator.post(
        "/estimate/start", board=dd.board, section=feasibility, question=QUESTION, deck="qualitative"
    )
    item, round_ = await dd.estimate()
    assert (await anna.vote(item, round_, "Hoch", "Hohe organisationskulturelle Herausforderung")).status_code == 200
    await phone.until(lambda r: has_deck(r.get("mine", "")))

    response = await facilitator.post("/sections/delete", board=dd.board, section=feasibility)
    assert response.status_code == 200, response.text
    await phone.until(lambda r: not has_deck(r["mine"]) and "Machbarkeit" not in text(r["stage"]))
    late = await bernd.vote(item, round_, "Gering")
    assert late.status_code in (404, 409)
    assert [k for k in await store.keys_of(facilitator.code) if item in k] == []
    other = await facilitator.post(
        "/estimate/start", board=dd.board, section=await dd.section("Lösungsansätze"), question=QUESTION
    )
    assert other.status_code == 200, other.text  # nothing runs any more: another section may estimate


async def test_a_board_from_a_theme_waits_for_cards_collected_hidden(facilitator: Facilitator, people: People) -> None:
    """Deepening a theme would show its cards to everyone: while cards are collected hidden, it is refused."""
    ideas = await IdeaRoom.open(facilitator, hidden="on")
    anna = await people.join("Anna")
    bernd = await people.join("Bernd")
    await ideas.write(anna, "VERDECKTE-KARTE Dachbegrünung")
    theme = await ideas.theme("Klimaschutz")
    assert await ideas.move("VERDECKTE-KARTE Dachbegrünung", theme) == 200
    phone = await bernd.connect("participant")
    refused = await facilitator.post("/boards/from-theme", activity=ideas.activity, theme=theme, template="deep-dive")
    assert refused.status_code == 409 and "noch verdeckt" in text(refused.text)
    assert "Vertiefen" not in BeautifulSoup(await ideas.console(), "html.parser").select_one(".theme-menu").get_text()
    assert "VERDECKTE-KARTE" not in await bernd.page() and "VERDECKTE-KARTE" not in await facilitator.page("/projector")
    await phone.until(lambda r: "stage" in r)
    assert all("VERDECKTE-KARTE" not in frame for frame in phone.frames)
