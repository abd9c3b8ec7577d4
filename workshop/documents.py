"""The minutes as other documents: an ODF text document (ODT, for LibreOffice, Word and the file store of a public
body) and an HTML page to print (the browser's "print to PDF").

Both are made from the Markdown minutes (minutes.py), read back with markdown-it as headings, paragraphs, lists and
tables: one place decides what the minutes say, and typed text, escaped there, comes back literally as text here
(raw HTML is not read; markdown-it escapes every text it writes as HTML). The ODT has real ODF structures
(text:h with outline levels, text:list, table:table with a repeated header row), the document's language and its
title in the metadata. Pure.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from odfdo import (
    Cell,
    Column,
    Document,
    Element,
    Header,
    HeaderRows,
    List,
    ListItem,
    Paragraph,
    Row,
    Span,
    Style,
    Table,
)

from . import __version__

_READER = MarkdownIt("commonmark", {"html": False}).enable("table")
# What XML 1.0 cannot carry (an archive may bring it): dropped from the ODT, where lxml would refuse it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

STRONG = "Strong"
CELL = "Minutes_20_Cell"
HEAD_CELL = "Minutes_20_Head_20_Cell"


def to_html(markdown: str) -> str:
    """The minutes' body as HTML, for the print view's template; a column's alignment as a class, not a style
    attribute (the Content-Security-Policy allows none)."""
    return re.sub(r' style="text-align:(left|right|center)"', r' class="\1"', str(_READER.render(markdown)))


def to_odt(markdown: str, *, title: str, language: str) -> bytes:
    """The minutes as an ODF text document; `language` as in RFC 3066 ("de-DE", "en")."""
    document = Document("text")
    document.set_language(language)
    document.meta.set_title(_xml(title))
    document.meta.set_generator(f"workshop {__version__}")
    _styles(document)
    body = document.body
    body.clear()
    for element in _blocks(_READER.parse(markdown)):
        body.append(element)
    for number, table in enumerate(body.get_tables(), start=1):
        table.name = f"Tabelle{number}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _styles(document: Document) -> None:
    document.insert_style(Style("text", name=STRONG, bold=True), automatic=False)
    border, padding = "0.5pt solid #808080", "0.08cm"
    document.insert_style(Style("table-cell", name=CELL, border=border, padding=padding), automatic=True)
    head = Style("table-cell", name=HEAD_CELL, background_color="#e6e6e6", border=border, padding=padding)
    document.insert_style(head, automatic=True)


def _blocks(tokens: Sequence[Token]) -> Iterator[Element]:
    """ODF elements of the block tokens at one level (a document, or a list item's content)."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        end = _closing(tokens, i)
        if token.type == "heading_open":
            header = Header(int(token.tag[1:]), _xml(tokens[i + 1].content))
            header.style = f"Heading_20_{token.tag[1:]}"  # odfdo's constructor leaves the style out
            yield header
        elif token.type == "paragraph_open":
            yield _paragraph(tokens[i + 1], "Text_20_body")
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            yield _list(tokens[i + 1 : end])
        elif token.type == "table_open":
            yield _table(tokens[i + 1 : end])
        i = end + 1


def _closing(tokens: Sequence[Token], start: int) -> int:
    """The index of the token that closes the one at `start` (itself, for a token that opens nothing)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _paragraph(inline: Token, style: str | None = None) -> Paragraph:
    paragraph = Paragraph(style=style)
    strong = False
    for child in inline.children or []:
        if child.type in ("strong_open", "strong_close"):
            strong = child.type == "strong_open"
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.append(" ")
        elif child.content:
            content = _xml(child.content)
            paragraph.append(Span(content, style=STRONG) if strong else content)
    return paragraph


def _list(tokens: Sequence[Token]) -> List:
    odf_list = List(style="List_20_1")  # the bullets of the document's own list style
    i = 0
    while i < len(tokens):
        end = _closing(tokens, i)
        if tokens[i].type == "list_item_open":
            item = ListItem()
            for element in _blocks(tokens[i + 1 : end]):
                item.append(element)
            odf_list.append(item)
        i = end + 1
    return odf_list


def _table(tokens: Sequence[Token]) -> Table:
    rows: list[tuple[bool, list[Token]]] = []  # (in the header?, its cells' inline tokens)
    head = False
    for token in tokens:
        if token.type in ("thead_open", "thead_close"):
            head = token.type == "thead_open"
        elif token.type == "tr_open":
            rows.append((head, []))
        elif token.type == "inline":
            rows[-1][1].append(token)
    width = max((len(cells) for _, cells in rows), default=1)
    table = Table()
    table.append(Column(repeated=width) if width > 1 else Column())
    header = HeaderRows()
    for in_head, cells in rows:
        row = Row()
        for inline in cells:
            cell = Cell(style=HEAD_CELL if in_head else CELL)
            cell.append(_paragraph(inline))
            row.append(cell)
        (header if in_head else table).append(row)
    if len(header.children):
        table.insert(header, position=1)
    return table


def _xml(value: str) -> str:
    return _NOT_XML.sub("", value)
