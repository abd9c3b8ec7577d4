"""The Markdown export: a golden file of a real workshop's content, its heading tree, and hostile text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from workshop import commands, estimate_commands, idea_commands
from workshop.commands import Actor
from workshop.domain.export import to_markdown
from workshop.domain.rooms import Room
from workshop.store import Store
from workshop.web.templating import Templates

from .clients import Facilitator, text
from .conftest import People

GOLDEN = Path(__file__).parent / "golden" / "initiativen-werk-2025.md"
FAC = Actor(facilitator=True)
GERMAN = Templates("de").language_of_export

PEOPLE = [
    ("Katrin Hoffmann", "Stadt Bochum"),
    ("Murat Yilmaz", "Emschergenossenschaft"),
    ("Sabine Krüger", "Kreis Wesel"),
    ("Jonas Becker", "Regionalverband Ruhr"),
]


async def _workshop(store: Store) -> Room:
    """Initiativen.Werk 2025 (../shared/examples), as it was run: a qualitative and a Fibonacci estimate, and ideas
    sorted into themes and dot-voted."""
    room, _ = await commands.create_room(
        store, "Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit", ask_org=True
    )
    code = room.code
    pids = []
    for n, (name, org) in enumerate(PEOPLE):
        pid = f"person-{n}-xxxxxxxxxxxxxx"
        await commands.join(store, code, pid, name, org, observer=False)
        pids.append(Actor(pid))

    ideas = await idea_commands.open_collection(store, FAC, code, "Ideen, Anliegen & Maßnahmen", show="org")
    themes = {}
    for title in (
        "Partizipation & Demokratie stärken",
        "Interne Prozesse vereinfachen",
        "Aufenthaltsqualität & Klimaschutz fördern",
    ):
        themes[title] = await idea_commands.new_theme(store, FAC, code, ideas.id, title)
    cards = {
        "Partizipation & Demokratie stärken": [
            "Zentrale Bürgerapp für Verwaltungsleistungen (einheitliche Formulare, Sammelstelle für Bescheide)",
            "Etablierung von Bürgerbeiräten",
        ],
        "Interne Prozesse vereinfachen": [
            "Beschaffung von Hard- & Software vereinfachen",
            "Robotic Automation für Routineaufgaben am Computer fördern",
        ],
        "Aufenthaltsqualität & Klimaschutz fördern": [
            "Dachbegrünung in Innenstädten fördern",
            "freie Wand- & Dachflächen für Photovoltaik nutzen",
        ],
    }
    for n, (title, texts) in enumerate(cards.items()):
        for text_ in texts:
            card = await idea_commands.add_card(store, pids[n], code, ideas.id, text_, anonymous=False)
            await idea_commands.move_card(store, FAC, code, ideas.id, card.id, themes[title])
    await idea_commands.add_card(store, pids[3], code, ideas.id, "kostenlose Sportangebote für Jugendliche", True)
    await idea_commands.start_voting(store, FAC, code, ideas.id, 3, stack=True, on="themes", hide_tally=False)
    for actor, title in [
        (pids[0], "Aufenthaltsqualität & Klimaschutz fördern"),
        (pids[1], "Aufenthaltsqualität & Klimaschutz fördern"),
        (pids[2], "Partizipation & Demokratie stärken"),
        (pids[3], "Aufenthaltsqualität & Klimaschutz fördern"),
    ]:
        await idea_commands.dot(store, actor, code, ideas.id, themes[title])
    await idea_commands.close_voting(store, FAC, code, ideas.id)

    quick = await estimate_commands.add_item(
        store,
        FAC,
        code,
        "Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer "
        "organisationsübergreifenden Projekt-Clearing-Stelle ein?",
        "qualitative",
    )
    for actor, card, reason in [
        (pids[0], "Gering", "Es ist im Wesentlichen nur eine leichter zu lösende organisatorische Herausforderung."),
        (pids[1], "Mittel", "Erfolg hängt an einzelnen Personen / Fragen erreichen nicht die richtigen Expert*innen"),
        (pids[2], "Gering", "Braucht keine großen Personalressourcen und lässt sich leicht kommunizieren."),
        (pids[3], "Hoch", "Hohe organisationskulturelle Herausforderung / Verstetigung"),
    ]:
        await estimate_commands.vote(store, actor, code, quick.id, 1, card, reason)
    await estimate_commands.reveal(store, FAC, code, quick.id, 1)

    green = await estimate_commands.add_item(
        store, FAC, code, "Wie hoch schätzt Ihr den Aufwand zur Begrünung einer Innenstadt ein?", "fibonacci"
    )
    for actor, card in zip(pids, ("20", "40", "40", "100"), strict=True):
        await estimate_commands.vote(store, actor, code, green.id, 1, card)
    await estimate_commands.reveal(store, FAC, code, green.id, 1)
    await estimate_commands.new_round(store, FAC, code, green.id, 1)
    for actor, card in zip(pids, ("40", "40", "100", "100"), strict=True):
        reason = (
            "Das Anliegen ist identifiziert, muss zur Umsetzung aber immer wieder eingebracht werden."
            if card == "100" and actor == pids[3]
            else ""
        )
        await estimate_commands.vote(store, actor, code, green.id, 2, card, reason)
    await estimate_commands.reveal(store, FAC, code, green.id, 2)
    loaded = await store.load(code, everything=True)
    assert loaded is not None
    return replace(loaded, created="2025-06-12")  # the golden file names the day of the workshop


async def test_a_real_workshop_exports_the_expected_minutes(store: Store) -> None:
    markdown = to_markdown(await _workshop(store), GERMAN)
    assert markdown == GOLDEN.read_text()


async def test_the_minutes_have_the_structure_of_the_workshop(store: Store) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(to_markdown(await _workshop(store), GERMAN))
    headings = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        ("h1", "Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit"),
        ("h2", "1. Ideensammlung: Ideen, Anliegen & Maßnahmen"),
        ("h3", "Aufenthaltsqualität & Klimaschutz fördern (3 Punkte)"),
        ("h3", "Partizipation & Demokratie stärken (1 Punkt)"),
        ("h3", "Interne Prozesse vereinfachen (0 Punkte)"),
        ("h3", "Ohne Thema"),
        (
            "h2",
            "2. Schnellabschätzung: Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer "
            "organisationsübergreifenden Projekt-Clearing-Stelle ein?",
        ),
        ("h2", "3. Schnellabschätzung: Wie hoch schätzt Ihr den Aufwand zur Begrünung einer Innenstadt ein?"),
        ("h3", "Runde 1"),
        ("h3", "Runde 2"),
    ]
    assert sum(t.type == "table_open" for t in tokens) == 3


def rendered(inline: Token) -> str:
    """The text a reader sees: escapes resolved."""
    return "".join(c.content for c in inline.children or [] if c.type == "text")


HOSTILE = [
    "# Keine Überschrift",
    "Spalte | mit | Strichen",
    "<script>alert(1)</script>",
    "[klick](javascript:alert(1))",
    "<!-- Kommentar",
    "**nicht fett** _nicht kursiv_ `kein Code`",
    "1. keine Liste",
    "- auch keine Liste",
    "&amp; bleibt &amp;",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz" * 3,
    "Emoji 👩‍💻 🌳 und Zeilen\numbruch",
]


async def test_hostile_text_stays_text(store: Store) -> None:
    room, _ = await commands.create_room(store, "Feindlicher Text | <b>Titel</b>")
    await commands.join(store, room.code, "hostile-xxxxxxxxxxxxxxx", "<img src=x onerror=alert(1)>", "", False)
    ideas = await idea_commands.open_collection(store, FAC, room.code, "# Leitfrage | mit <i>HTML</i>")
    theme = await idea_commands.new_theme(store, FAC, room.code, ideas.id, "## Thema | [x](y)")
    for card_text in HOSTILE:
        card = await idea_commands.add_card(
            store, Actor("hostile-xxxxxxxxxxxxxxx"), room.code, ideas.id, card_text, False
        )
        await idea_commands.move_card(store, FAC, room.code, ideas.id, card.id, theme)
    item = await estimate_commands.add_item(store, FAC, room.code, "Frage mit | und <script>", "custom", "a|b, <i>, #1")
    await estimate_commands.vote(
        store, Actor("hostile-xxxxxxxxxxxxxxx"), room.code, item.id, 1, "a|b", "Grund | <script>"
    )
    await estimate_commands.reveal(store, FAC, room.code, item.id, 1)
    loaded = await store.load(room.code, everything=True)
    assert loaded is not None
    tokens = MarkdownIt("commonmark").enable("table").parse(to_markdown(loaded, GERMAN))
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_inline", "em_open", "s_open"}
    headings = [rendered(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Feindlicher Text | <b>Titel</b>",
        "1. Ideensammlung: # Leitfrage | mit <i>HTML</i>",
        "## Thema | [x](y)",
        "2. Schnellabschätzung: Frage mit | und <script>",
    ]
    # Each card is one item of one list, shown as typed (line breaks become spaces), with its author.
    items = [rendered(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "list_item_open"]
    author = " – <img src=x onerror=alert(1)>"
    assert items[: len(HOSTILE)] == [" ".join(h.split()) + author for h in HOSTILE]
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 2  # header and the one card "a|b": the "|" inside did not split the table


async def test_the_export_is_for_the_facilitator_and_never_shows_hidden_votes(
    facilitator: Facilitator, people: People
) -> None:
    item = await facilitator.add_item("Noch verdeckt")
    anna = await people.join("Anna")
    await anna.vote(item, 1, "13", "GEHEIMER-GRUND")
    assert (await anna.http.get(f"/r/{facilitator.code}/export.md")).status_code == 403
    response = await facilitator.http.get(f"/r/{facilitator.code}/export.md")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="workshop-')
    assert "GEHEIMER-GRUND" not in response.text and "| 13 |" not in response.text
    assert "1 Stimme, nicht aufgedeckt." in text(response.text)
    await facilitator.reveal(item, 1)
    assert "GEHEIMER-GRUND" in (await facilitator.http.get(f"/r/{facilitator.code}/export.md")).text


async def test_the_minutes_follow_the_interface_language(store: Store) -> None:
    english = to_markdown(await _workshop(store), Templates("en").language_of_export)
    for german in (
        "Schnellabschätzung",
        "Runde",
        "Stimmen",
        "Begründungen",
        "Ideensammlung",
        "Ohne Thema",
        "Punkte",
        "Mittelwert",
        "Weit auseinander",
        "Karten:",
    ):
        assert german not in english, german
    assert "Quick estimate" in english and "Round 2" in english and "Far apart" in english
