"""The Markdown export: a golden file of a real workshop's content, its heading tree, and hostile text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from workshop import room_commands
from workshop.activities.actions import commands as action_commands
from workshop.activities.board import commands as board_commands
from workshop.activities.board import rules as board_rules
from workshop.activities.board.rules import Board
from workshop.activities.estimate import commands as estimate_commands
from workshop.activities.estimate.rules import open_estimate
from workshop.activities.ideas import commands as idea_commands
from workshop.activities.ideas import rules as ideas_rules
from workshop.commands import Call
from workshop.demo.example import CROSS_CUTTING, GREEN_ROOFS, IDEAS_1, IDEAS_2
from workshop.domain.rooms import Room
from workshop.domain.visibility import Actor
from workshop.minutes import to_markdown
from workshop.store import Store
from workshop.web.templating import Templates

from .clients import Facilitator, text
from .conftest import People

GOLDEN = Path(__file__).parent / "golden" / "initiativen-werk-2025.md"
FAC = Actor(facilitator=True)
GERMAN = Templates("de").language_of_export

GROUP_1 = [
    ("Katrin Hoffmann", "Stadt Bochum"),
    ("Murat Yilmaz", "Emschergenossenschaft"),
    ("Sabine Krüger", "Kreis Wesel"),
    ("Jonas Becker", "Regionalverband Ruhr"),
]
GROUP_2 = [
    ("Aylin Demir", "Stadt Dortmund"),
    ("Thomas Schulte", "Ruhrverband"),
    ("Elena Wagner", "Stadt Essen"),
    ("Lena Vogt", "USB Bochum GmbH"),
]


async def _join(store: Store, code: str, group: str, people: list[tuple[str, str]], tag: str) -> list[Actor]:
    actors = []
    for n, (name, org) in enumerate(people):
        pid = f"person-{tag}{n}-xxxxxxxxxxxxx"
        await room_commands.join(Call(store, Actor(), code), pid=pid, name=name, org=org, observer=False, group=group)
        actors.append(Actor(pid))
    return actors


async def _ideas(
    store: Store, code: str, group: str, people: list[Actor], themes: dict[str, list[str]], loose: str = ""
) -> str:
    """An idea collection whose cards the people wrote and the facilitator sorted into themes."""
    ideas = await idea_commands.open_collection(
        Call(store, FAC, code), prompt="Ideen, Anliegen & Maßnahmen", show="org", group=group
    )
    n = 0
    for title, texts in themes.items():
        theme = await idea_commands.new_theme(Call(store, FAC, code), activity=ideas.id, title=title)
        for text_ in texts:
            card = await idea_commands.add_card(
                Call(store, people[n % len(people)], code), activity=ideas.id, text=text_, anonymous=False
            )
            await idea_commands.move_card(Call(store, FAC, code), activity=ideas.id, card=card.id, to=theme)
            n += 1
    if loose:
        await idea_commands.add_card(Call(store, people[-1], code), activity=ideas.id, text=loose, anonymous=True)
    return ideas.id


async def _fill(store: Store, code: str, board: Board, people: list[Actor], entries: dict[str, list[str]]) -> None:
    sections = {s.title: s.id for s in board.sections}
    n = 0
    for title, texts in entries.items():
        for text_ in texts:
            await board_commands.add_entry(
                Call(store, people[n % len(people)], code), board=board.id, section=sections[title], text=text_
            )
            n += 1


async def _workshop(store: Store) -> Room:
    """Initiativen.Werk 2025 (../shared/examples), as it was run: two working groups, each collecting ideas, sorting
    them into themes and dot-voting, then deepening on a board with a quick feasibility estimate (Gering / Mittel /
    Hoch in group 1, Fibonacci 20 to 100 in two rounds in group 2)."""
    room, _ = await room_commands.create_room(
        store, "Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit", ask_org=True
    )
    code, first = room.code, room.groups[0].id
    await room_commands.rename_group(
        Call(store, FAC, code), group=first, name="Arbeitsgruppe 1 – Mehr übergreifende Strukturen"
    )
    second = (
        await room_commands.add_group(
            Call(store, FAC, code), name="Arbeitsgruppe 2 – Partizipation & Demokratie stärken", choose_group=True
        )
    ).id
    group_1 = await _join(store, code, first, GROUP_1, "a")
    group_2 = await _join(store, code, second, GROUP_2, "b")

    # Group 1: ideas in one theme, dots on the cards, then a board on all of them.
    ideas_1 = await _ideas(store, code, first, group_1, IDEAS_1)
    await idea_commands.start_voting(
        Call(store, FAC, code), activity=ideas_1, dots=str(2), stack=False, on="cards", hide_tally=False
    )
    cards_1 = list(ideas_rules.find(await Call(store, Actor(), code).room(), ideas_1).cards)
    for n, actor in enumerate(group_1):
        for k in (0, 2 + n % 3):
            await idea_commands.dot(Call(store, actor, code), activity=ideas_1, target=cards_1[k])
    await idea_commands.close_voting(Call(store, FAC, code), activity=ideas_1)
    board_1 = await board_commands.add_board(
        Call(store, FAC, code), title="Übergreifend zu allen Ideen", template="solutions", group=first
    )
    await board_commands.add_section(Call(store, FAC, code), board=board_1.id, title="Machbarkeit")
    board_1 = board_rules.find(await Call(store, Actor(), code).room(), board_1.id)
    await _fill(store, code, board_1, group_1, CROSS_CUTTING)
    feasibility = board_1.sections[-1].id
    await board_commands.start_estimate(
        Call(store, FAC, code),
        board=board_1.id,
        section=feasibility,
        question="Wie hoch schätzt Ihr den Aufwand für die Einrichtung einer organisationsübergreifenden "
        "Projekt-Clearing-Stelle ein?",
        deck="qualitative",
    )
    quick = open_estimate((await Call(store, Actor(), code).room()).view(first))
    assert quick is not None
    for actor, card, reason in zip(
        group_1,
        ("Gering", "Mittel", "Gering", "Hoch"),
        (
            "Es ist im Wesentlichen nur eine leichter zu lösende organisatorische Herausforderung.",
            "Erfolg hängt an einzelnen Personen / Fragen erreichen nicht die richtigen Expert*innen / keine "
            "verpflichtende Aufgabe",
            "Braucht keine großen Personalressourcen und lässt sich leicht kommunizieren.",
            "Hohe organisationskulturelle Herausforderung / Verstetigung",
        ),
        strict=True,
    ):
        await estimate_commands.vote(
            Call(store, actor, code), estimate=quick.id, round_number=1, card=card, reason=reason
        )
    await estimate_commands.reveal(Call(store, FAC, code), estimate=quick.id, round_number=1)
    await board_commands.stop_estimate(Call(store, FAC, code), board=board_1.id)

    # Group 2: ideas in three themes and one without, dots on the themes, then the deep dive on green roofs.
    ideas_2 = await _ideas(store, code, second, group_2, IDEAS_2, loose="kostenlose Sportangebote für Jugendliche")
    await idea_commands.start_voting(
        Call(store, FAC, code), activity=ideas_2, dots=str(3), stack=True, on="themes", hide_tally=False
    )
    themes_2 = {t.title: t.id for t in ideas_rules.find(await Call(store, Actor(), code).room(), ideas_2).themes}
    for actor, title in [
        (group_2[0], "Aufenthaltsqualität & Klimaschutz fördern"),
        (group_2[1], "Aufenthaltsqualität & Klimaschutz fördern"),
        (group_2[2], "Partizipation & Demokratie stärken"),
        (group_2[3], "Aufenthaltsqualität & Klimaschutz fördern"),
    ]:
        await idea_commands.dot(Call(store, actor, code), activity=ideas_2, target=themes_2[title])
    await idea_commands.close_voting(Call(store, FAC, code), activity=ideas_2)
    board_2 = await board_commands.add_board(
        Call(store, FAC, code), title="Dachbegrünung in Innenstädten fördern", template="deep-dive", group=second
    )
    await _fill(store, code, board_2, group_2, GREEN_ROOFS)
    await board_commands.start_estimate(
        Call(store, FAC, code),
        board=board_2.id,
        section=board_2.sections[-1].id,
        question="Wie hoch schätzt Ihr den Aufwand zur Begrünung einer Innenstadt ein?",
        deck="fibonacci",
    )
    green = open_estimate((await Call(store, Actor(), code).room()).view(second))
    assert green is not None
    for actor, card in zip(group_2, ("20", "40", "40", "100"), strict=True):
        await estimate_commands.vote(Call(store, actor, code), estimate=green.id, round_number=1, card=card)
    await estimate_commands.reveal(Call(store, FAC, code), estimate=green.id, round_number=1)
    await estimate_commands.new_round(Call(store, FAC, code), estimate=green.id, round_number=1)
    for actor, card in zip(group_2, ("40", "40", "100", "100"), strict=True):
        reason = (
            "Das Anliegen ist identifiziert, muss zur Umsetzung aber immer wieder eingebracht werden."
            if actor == group_2[3]
            else ""
        )
        await estimate_commands.vote(
            Call(store, actor, code), estimate=green.id, round_number=2, card=card, reason=reason
        )
    await estimate_commands.reveal(Call(store, FAC, code), estimate=green.id, round_number=2)

    # What the groups agreed to do, with who and by when; one is done already.
    await action_commands.add_action(
        Call(store, FAC, code),
        activity=ideas_1,
        place=ideas_rules.find(await Call(store, Actor(), code).room(everything=True), ideas_1).themes[0].id,
        text="Konzept für die Projekt-Clearingstelle entwerfen",
        owner="Katrin Hoffmann",
        due="2025-12-31",
    )
    sections_2 = {s.title: s.id for s in board_2.sections}
    await action_commands.add_action(
        Call(store, FAC, code),
        activity=board_2.id,
        place=sections_2["Herausforderung"],
        text="Fördermöglichkeiten für Dachbegrünung recherchieren",
        owner="Lena Vogt",
        due="30.09.2025",
    )
    talk = await action_commands.add_action(
        Call(store, FAC, code),
        activity=board_2.id,
        place=sections_2["Zwischenziele"],
        text="Gespräch mit den Klimaschutzmanagements der drei Kommunen führen",
        owner="Aylin Demir, Thomas Schulte",
    )
    await action_commands.set_done(Call(store, FAC, code), activity=board_2.id, action=talk.id, done="1")
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
        ("h2", "Arbeitsgruppe 1 – Mehr übergreifende Strukturen"),
        ("h3", "1. Ideensammlung: Ideen, Anliegen & Maßnahmen"),
        ("h4", "Mehr übergreifende Strukturen schaffen und nutzen (8 Punkte)"),
        ("h3", "2. Vertiefung: Übergreifend zu allen Ideen"),
        ("h4", "Herausforderung"),
        ("h4", "Lösungsansätze"),
        ("h4", "Machbarkeit"),
        ("h2", "Arbeitsgruppe 2 – Partizipation & Demokratie stärken"),
        ("h3", "1. Ideensammlung: Ideen, Anliegen & Maßnahmen"),
        ("h4", "Aufenthaltsqualität & Klimaschutz fördern (3 Punkte)"),
        ("h4", "Partizipation & Demokratie stärken (1 Punkt)"),
        ("h4", "Interne Prozesse vereinfachen (0 Punkte)"),
        ("h4", "Ohne Thema"),
        ("h3", "2. Vertiefung: Dachbegrünung in Innenstädten fördern"),
        ("h4", "Anliegen"),
        ("h4", "Übergreifendes Ziel"),
        ("h4", "Zwischenziele"),
        ("h4", "Herausforderung"),
        ("h4", "Machbarkeit"),
        ("h5", "Runde 1"),
        ("h5", "Runde 2"),
        ("h2", "Maßnahmen"),
    ]
    assert sum(t.type == "table_open" for t in tokens) == 4


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
    room, _ = await room_commands.create_room(store, "Feindlicher Text | <b>Titel</b>")
    await room_commands.join(
        Call(store, Actor(), room.code),
        pid="hostile-xxxxxxxxxxxxxxx",
        name="<img src=x onerror=alert(1)>",
        org="",
        observer=False,
    )
    ideas = await idea_commands.open_collection(Call(store, FAC, room.code), prompt="# Leitfrage | mit <i>HTML</i>")
    theme = await idea_commands.new_theme(Call(store, FAC, room.code), activity=ideas.id, title="## Thema | [x](y)")
    for card_text in HOSTILE:
        card = await idea_commands.add_card(
            Call(store, Actor("hostile-xxxxxxxxxxxxxxx"), room.code), activity=ideas.id, text=card_text, anonymous=False
        )
        await idea_commands.move_card(Call(store, FAC, room.code), activity=ideas.id, card=card.id, to=theme)
    item = await estimate_commands.add(
        Call(store, FAC, room.code), question="Frage mit | und <script>", deck="custom", cards="a|b, <i>, #1"
    )
    await estimate_commands.vote(
        Call(store, Actor("hostile-xxxxxxxxxxxxxxx"), room.code),
        estimate=item.id,
        round_number=1,
        card="a|b",
        reason="Grund | <script>",
    )
    await estimate_commands.reveal(Call(store, FAC, room.code), estimate=item.id, round_number=1)
    # A second group (so the minutes have group headings) with a board of hostile sections and entries.
    await room_commands.rename_group(
        Call(store, FAC, room.code), group=room.groups[0].id, name="# Gruppe | <u>eins</u>"
    )
    other = await room_commands.add_group(Call(store, FAC, room.code), name="[Gruppe](javascript:alert(1)) *zwei*")
    board = await board_commands.add_board(
        Call(store, FAC, room.code),
        title="1. Board | <b>x</b>",
        template="custom",
        sections="# A, B | c",
        group=other.id,
    )
    for entry_text in HOSTILE:
        await board_commands.add_entry(
            Call(store, FAC, room.code), board=board.id, section=board.sections[0].id, text=entry_text
        )
    loaded = await store.load(room.code, everything=True)
    assert loaded is not None
    tokens = MarkdownIt("commonmark").enable("table").parse(to_markdown(loaded, GERMAN))
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_inline", "em_open", "s_open"}
    headings = [rendered(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        "Feindlicher Text | <b>Titel</b>",
        "# Gruppe | <u>eins</u>",
        "1. Ideensammlung: # Leitfrage | mit <i>HTML</i>",
        "## Thema | [x](y)",
        "2. Schnellabschätzung: Frage mit | und <script>",
        "[Gruppe](javascript:alert(1)) *zwei*",
        "1. Vertiefung: 1. Board | <b>x</b>",
        "# A",  # the section "B | c" has no entry: left out
    ]
    entries = [rendered(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "list_item_open"][-len(HOSTILE) :]
    assert entries == [" ".join(h.split()) for h in HOSTILE]  # every entry one item, shown as typed
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
        "Vertiefung:",
    ):
        assert german not in english, german
    assert "Quick estimate" in english and "Round 2" in english and "Far apart" in english
    assert "Deep dive: Dachbegrünung in Innenstädten fördern" in english


async def test_the_minutes_of_one_group(store: Store) -> None:
    room = await _workshop(store)
    second = room.groups[1]
    minutes = to_markdown(room, GERMAN, second.id)
    tokens = MarkdownIt("commonmark").enable("table").parse(minutes)
    headings = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[:3] == [
        ("h1", "Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit"),
        ("h2", "Arbeitsgruppe 2 – Partizipation & Demokratie stärken"),
        ("h3", "1. Ideensammlung: Ideen, Anliegen & Maßnahmen"),
    ]
    assert "Arbeitsgruppe 1" not in minutes and "Projekt-Clearing-Stelle" not in minutes
    whole = GOLDEN.read_text().split("## Arbeitsgruppe 2", 1)[1]
    assert minutes.split("## Arbeitsgruppe 2", 1)[1].split("## Maßnahmen")[0] == whole.split("## Maßnahmen")[0]
    actions = minutes.split("## Maßnahmen", 1)[1]  # the group's own action items, without a group column
    assert "Lena Vogt" in actions and "Katrin Hoffmann" not in actions and "Arbeitsgruppe" not in actions
