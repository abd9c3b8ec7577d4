"""The minutes' print view, printed to PDF by a real Chromium as "Save as PDF" does: the example workshop comes in
through the start page's archive upload, the console opens the print view, and the PDF's text has the minutes'
headings in order, every table row whole on one page, and page numbers."""

from __future__ import annotations

import asyncio
import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from workshop.archive import to_archive
from workshop.connection import client_for
from workshop.kinds import KINDS
from workshop.store import Store

from .clients import Server
from .test_browser import DESKTOP, Watch, browser  # noqa: F401 - the module-scoped Chromium fixture
from .test_export import _workshop


def _example_archive(redis_url: str, folder: Path) -> Path:
    async def build() -> dict[str, object]:
        client = client_for(redis_url)
        try:
            return to_archive(await _workshop(Store(client, 3600, KINDS)))
        finally:
            await client.aclose()

    path = folder / "initiativen-werk-2025.json"
    with ThreadPoolExecutor(1) as thread:  # Playwright's own event loop runs in this one
        archive = thread.submit(asyncio.run, build()).result()
    path.write_text(json.dumps(archive, ensure_ascii=False))
    return path


@pytest.mark.browser
def test_the_print_view_prints_the_minutes_as_a_pdf(
    server: Server,
    browser: Browser,  # noqa: F811
    redis_url: str,
    tmp_path: Path,
) -> None:
    watch = Watch()
    console = watch.context(browser, "facilitator", viewport=DESKTOP).new_page()
    console.goto(server.url + "/")
    console.get_by_text("Eigene Vorlage oder Archiv öffnen").click()
    console.get_by_label("JSON-Archiv").set_input_files(_example_archive(redis_url, tmp_path))
    console.get_by_role("button", name="Als neuen Raum öffnen").click()
    console.wait_for_url("**/facilitate")
    console.get_by_text("Ergebnisse", exact=True).click()
    with console.context.expect_page() as opened:
        console.get_by_role("link", name="Druckansicht (PDF)").click()
    minutes = opened.value
    expect(minutes.get_by_role("heading", level=1)).to_have_text(
        "Initiativen.Werk 2025 – Organisationsübergreifende Zusammenarbeit"
    )
    expect(minutes.get_by_role("button", name="Drucken oder als PDF speichern")).to_be_visible()
    pdf = PdfReader(io.BytesIO(minutes.pdf(format="A4")))  # print media, as the print dialog: no buttons
    pages = [page.extract_text() for page in pdf.pages]
    whole = "\n".join(pages)
    assert 2 <= len(pages) <= 6
    assert "Drucken oder als PDF speichern" not in whole and "Zurück zur Konsole" not in whole
    headings = [
        "Arbeitsgruppe 1 – Mehr übergreifende Strukturen",
        "Vertiefung: Übergreifend zu allen Ideen",
        "Arbeitsgruppe 2 – Partizipation & Demokratie stärken",
        "Vertiefung: Dachbegrünung in Innenstädten fördern",
        "\nMaßnahmen\n",
        "Maßnahme Verantwortlich Bis wann Stand Vereinbart in",  # a header row wide enough for its words
        "Lena Vogt 30.09.2025 offen",
    ]
    positions = [whole.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions), positions
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in text, text[-200:]  # the page number from the print stylesheet
    assert not watch.csp and not watch.errors, (watch.csp, watch.errors)
