"""The minutes as ODT, as a page to print, and the tables as CSV: golden files of a real workshop's content (the same
example as the Markdown golden), the structures a reader's program sees, who may take them, and hostile text that
stays text in each. (Who may take a group's part is the one check of the Markdown: web/exports.py `_whole_room`.)"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup
from lxml import etree

from workshop import room_commands, tables
from workshop.archive import from_archive, to_archive
from workshop.documents import to_html, to_odt
from workshop.domain.rooms import Room
from workshop.minutes import to_markdown
from workshop.store import Store

from .clients import Facilitator
from .conftest import People
from .test_export import GERMAN, _workshop

GOLDEN = Path(__file__).parent / "golden"
NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _text(element: etree._Element) -> str:
    """The text a word processor shows: a text:s is a space (text:c of them)."""
    out = [element.text or ""]
    for child in element:
        out.append(" " * int(child.get(_q("text:c"), "1")) if child.tag == _q("text:s") else _text(child))
        out.append(child.tail or "")
    return "".join(out)


def outline(odt: bytes) -> list[str]:
    """What a word processor shows of the document, one line a block: headings with their outline level, paragraphs,
    list items, table rows (the header rows marked), each from the real ODF element."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(odt)).read("content.xml")).find(".//office:text", NS)
    lines = []
    for element in body:
        if element.tag == _q("text:h"):
            lines.append(f"h{element.get(_q('text:outline-level'))} {_text(element)}")
        elif element.tag == _q("text:p"):
            lines.append(f"p {_text(element)}")
        elif element.tag == _q("text:list"):
            lines += [f"- {_text(item)}" for item in element.findall("text:list-item", NS)]
        elif element.tag == _q("table:table"):
            for row in element.iter(_q("table:table-row")):
                head = row.getparent().tag == _q("table:table-header-rows")
                cells = [_text(c) for c in row.findall("table:table-cell", NS)]
                lines.append(("‖ " if head else "| ") + " | ".join(cells))
        else:
            lines.append(f"? {element.tag}")
    return lines


async def test_the_example_workshop_as_odt(store: Store) -> None:
    room = await _workshop(store)
    odt = to_odt(to_markdown(room, GERMAN), title=room.title, language="de")
    assert outline(odt) == (GOLDEN / "initiativen-werk-2025.odt.txt").read_text().splitlines()
    package = zipfile.ZipFile(io.BytesIO(odt))
    assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    meta = etree.fromstring(package.read("meta.xml"))
    assert meta.findtext(".//dc:title", namespaces=NS) == room.title
    assert meta.findtext(".//dc:language", namespaces=NS) == "de"
    content = etree.fromstring(package.read("content.xml"))
    assert len(content.findall(".//table:table", NS)) == 4  # real tables, not text in a frame
    assert content.find(".//draw:frame", {"draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"}) is None
    headings = content.findall(".//text:h", NS)
    assert {h.get(_q("text:style-name")) for h in headings} >= {"Heading_20_1", "Heading_20_2", "Heading_20_3"}


async def test_the_example_workshop_as_tables(store: Store) -> None:
    room = await _workshop(store)
    for name in tables.NAMES:
        made = tables.to_csv(tables.rows(name, room, GERMAN))
        assert made == (GOLDEN / f"initiativen-werk-2025-{name}.csv").read_bytes(), name
        assert made.startswith(b"\xef\xbb\xbf") and b"\r\n" in made
    votes = list(
        csv.reader(io.StringIO(tables.to_csv(tables.rows("votes", room, GERMAN)).decode("utf-8-sig")), delimiter=";")
    )
    assert votes[0] == ["Arbeitsgruppe", "Frage", "Runde", "Person", "Organisation", "Karte", "Begründung"]
    assert len(votes) == 1 + 4 + 4 + 4  # group 1's quick estimate, group 2's two rounds


async def test_the_example_workshop_as_a_page_to_print(store: Store) -> None:
    room = await _workshop(store)
    page = BeautifulSoup(to_html(to_markdown(room, GERMAN)), "html.parser")
    assert [h.get_text() for h in page.select("h1, h2")] == [
        room.title,
        "Arbeitsgruppe 1 – Mehr übergreifende Strukturen",
        "Arbeitsgruppe 2 – Partizipation & Demokratie stärken",
        "Maßnahmen",
    ]
    assert len(page.select("table thead th")) == 2 + 2 + 2 + 5
    assert not page.select("[style]")  # the Content-Security-Policy allows no style attribute


HOSTILE = [
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    '@HYPERLINK("http://x")',
    "-2+3",
    "]]><!-- ende",
    "Steuer\x01zeichen\x07 und\x1b Escape",
    'Semikolon; "Zitat"',
]


async def _hostile_room(store: Store) -> Room:
    """A room from an archive (the one way text reaches a room without a command's cleaning) full of hostile text."""
    archive = to_archive(await _workshop(store))
    for activity in archive["activities"]:
        if activity["kind"] == "board":
            for section, typed in zip(activity["sections"], HOSTILE, strict=False):
                for entry in section["entries"]:
                    entry["text"] = typed
                section["title"] = typed
            for action in activity["actions"]:
                action["text"], action["owner"] = HOSTILE[0], HOSTILE[1]
        if activity["kind"] == "ideas":
            for card, typed in zip(activity["cards"], HOSTILE * 3, strict=False):
                card["text"] = typed
    archive["title"] = "]]> <b>Titel</b> =1+1"
    room, _ = await room_commands.restore_room(store, lambda code: from_archive(archive, code))
    loaded = await store.load(room.code, everything=True)
    assert loaded is not None
    return loaded


async def test_hostile_text_stays_text_in_every_document(store: Store) -> None:
    room = await _hostile_room(store)
    markdown = to_markdown(room, GERMAN)
    odt = to_odt(markdown, title=room.title, language="de")  # lxml would refuse control characters: dropped
    shown = "\n".join(outline(odt))
    content = zipfile.ZipFile(io.BytesIO(odt)).read("content.xml")
    assert b"<script" not in content and b"<b>" not in content
    for typed in HOSTILE:
        assert "".join(ch for ch in typed if ch >= " ") in shown, typed

    page = BeautifulSoup(to_html(markdown), "html.parser")
    assert not page.select("script, b, a, img") and "<!--" not in str(page)
    for typed in HOSTILE:
        assert " ".join(typed.split()) in page.get_text(), typed

    cells = [
        cell
        for name in tables.NAMES
        for row in csv.reader(
            io.StringIO(tables.to_csv(tables.rows(name, room, GERMAN)).decode("utf-8-sig")), delimiter=";"
        )
        for cell in row
    ]
    assert "'=cmd|' /C calc'!A0" in cells and "'+SUM(A1:A9)" in cells and "'-2+3" in cells
    assert '\'@HYPERLINK("http://x")' in cells and 'Semikolon; "Zitat"' in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert not [c for c in cells if any(ch < " " for ch in c)]


async def test_documents_are_the_facilitators_and_keep_unrevealed_votes_on_the_server(
    facilitator: Facilitator, people: People
) -> None:
    anna = await people.join("Anna")
    item = await facilitator.add_item("Wie aufwendig ist das?")
    await anna.vote(item, 1, "13", "GEHEIM-BIS-ZUM-AUFDECKEN")
    paths = ["/export.odt", "/minutes", *[f"/export/{name}.csv" for name in tables.NAMES]]
    for path in paths:
        assert (await anna.http.get(f"/r/{facilitator.code}{path}")).status_code == 403, path
        response = await facilitator.http.get(f"/r/{facilitator.code}{path}")
        assert response.status_code == 200, path
        assert b"GEHEIM-BIS-ZUM-AUFDECKEN" not in response.content and "13" not in tables_text(response.content)
    odt = await facilitator.http.get(f"/r/{facilitator.code}/export.odt")
    assert odt.headers["content-type"] == "application/vnd.oasis.opendocument.text"
    assert odt.headers["content-disposition"].startswith('attachment; filename="workshop-')
    votes = await facilitator.http.get(f"/r/{facilitator.code}/export/votes.csv")
    assert votes.headers["content-type"] == "text/csv; charset=utf-8"
    await facilitator.reveal(item, 1)
    votes = await facilitator.http.get(f"/r/{facilitator.code}/export/votes.csv")
    assert votes.content.decode("utf-8-sig").splitlines()[1].split(";")[-2:] == ["13", "GEHEIM-BIS-ZUM-AUFDECKEN"]
    assert (await facilitator.http.get(f"/r/{facilitator.code}/export/other.csv")).status_code == 404


def tables_text(content: bytes) -> str:
    """The cells of a CSV, or nothing for another document (only a table could hold a lone card value)."""
    if not content.startswith(b"\xef\xbb\xbf"):
        return ""
    return " ".join(
        cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";") for cell in row[1:]
    )
