"""The English catalogue: complete, consistent with its German msgids, and used by pages and error messages.

German is the source language (the msgids are the German texts); English comes from
workshop/locales/en/LC_MESSAGES/messages.po. After changing texts, run the two pybabel commands in the README.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from workshop.domain.errors import N_, ROOM_NOT_FOUND, Invalid, NotFound
from workshop.web.templating import LOCALES, Templates, translations

ROOT = Path(__file__).resolve().parent.parent

EN_PO = LOCALES / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
TAG = re.compile(r"</?\w+[^>]*>")


def _catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def _entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


@pytest.fixture(scope="module")
def english() -> Catalog:
    return _catalog(EN_PO, locale="en")


# --- pages -----------------------------------------------------------------------------------------------------


def test_start_page_in_english() -> None:
    html = Templates("en").render("start.html")
    assert '<html lang="en">' in html
    for text in ("Join in", "Code from the projector", "Join", "Open a workshop room", "Title", "Open room"):
        assert f">{text}<" in html, text
    assert "Ask participants for their organisation" in html
    assert 'data-lost="Connection lost – reconnecting …"' in html


def test_start_page_in_english_has_no_german_left() -> None:
    html = Templates("en").render("start.html")
    for german in ("Mitmachen", "Beitreten", "eröffnen", "Titel", "Teilnehmende", "z. B.", "Verbindung", "Beamer"):
        assert german not in html, german


def test_start_page_in_german() -> None:
    html = Templates("de").render("start.html")
    assert '<html lang="de">' in html
    for text in ("Mitmachen", "Code vom Beamer", "Beitreten", "Workshop-Raum eröffnen", "Titel", "Raum eröffnen"):
        assert f">{text}<" in html, text
    assert "Join in" not in html
    assert "Open room" not in html


def test_plural_forms_in_english() -> None:
    template = Templates("en").env.from_string('{{ ngettext("%(num)s Stimme", "%(num)s Stimmen", n) }}')
    assert template.render(n=1) == "1 vote"
    assert template.render(n=3) == "3 votes"
    headcount = Templates("en").env.from_string(
        '{{ ngettext("<strong>%(num)s</strong> Person", "<strong>%(num)s</strong> Personen", n) }}'
    )
    assert headcount.render(n=1) == "<strong>1</strong> person"
    assert headcount.render(n=0) == "<strong>0</strong> people"


def test_deck_names_in_english() -> None:
    deck_name = Templates("en").env.from_string("{{ _(deck|deck_name) }}")
    assert deck_name.render(deck="qualitative") == "Low / Medium / High"
    assert deck_name.render(deck="custom") == "Custom cards"


# --- the catalogue itself --------------------------------------------------------------------------------------


def test_every_message_is_translated_and_none_is_fuzzy(english: Catalog) -> None:
    assert not english.fuzzy, "the catalogue header is marked fuzzy"
    entries = _entries(english)
    assert entries
    for message in entries:
        assert not message.fuzzy, message.id
        forms = _forms(message.string)
        assert len(forms) == (english.num_plurals if message.pluralizable else 1), message.id
        assert all(form.strip() for form in forms), f"untranslated: {message.id!r}"


def test_translations_keep_placeholders_and_tags(english: Catalog) -> None:
    for message in _entries(english):
        ids = _forms(message.id)
        for index, form in enumerate(_forms(message.string)):
            source = ids[min(index, len(ids) - 1)]  # English: msgstr[0] ↔ msgid, msgstr[1] ↔ msgid_plural
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), (source, form)
            assert sorted(TAG.findall(form)) == sorted(TAG.findall(source)), (source, form)


def test_catalogue_covers_every_message_in_code_and_templates(english: Catalog, tmp_path: Path) -> None:
    """A new German text without an English translation fails here: extract afresh and compare."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from babel.messages.frontend import main; sys.exit(main())",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    extracted = _entries(_catalog(pot))
    # The files the brief names must all contribute; an empty extraction would pass vacuously.
    sources = {path for message in extracted for path, _line in message.locations}
    assert any(path.startswith("templates/") for path in sources)
    assert any(path.startswith("workshop/domain/") for path in sources)
    assert any(path.startswith("workshop/activities/") for path in sources)
    assert any(path.startswith("workshop/web/") for path in sources)
    assert any(message.pluralizable for message in extracted)

    missing = [message.id for message in extracted if message.id not in english]
    assert not missing, f"not in {EN_PO.relative_to(ROOT)}: {missing}"
    for message in extracted:
        translated = english[message.id]
        assert translated is not None
        assert translated.pluralizable == message.pluralizable, message.id
        if message.pluralizable:
            assert _forms(translated.id) == _forms(message.id), message.id


# --- error messages --------------------------------------------------------------------------------------------


def test_domain_error_with_a_translated_label() -> None:
    error = Invalid(N_("Bitte {label} eingeben."), label=N_("einen Titel"))
    assert Templates("en").message(error) == "Please enter a title."
    assert Templates("de").message(error) == "Bitte einen Titel eingeben."


def test_domain_error_with_a_number() -> None:
    error = Invalid(N_("Der Text ist zu lang (höchstens {max} Zeichen)."), max=300)
    assert Templates("en").message(error) == "The text is too long (at most 300 characters)."


def test_domain_error_without_parameters() -> None:
    assert Templates("en").message(NotFound(ROOM_NOT_FOUND)) == (
        "No workshop with this code – it may have ended or been deleted."
    )


# --- languages -------------------------------------------------------------------------------------------------


def test_unknown_language_falls_back_to_german() -> None:
    templates = Templates("xx")
    assert templates.language == "de"
    assert templates.gettext.gettext("Aufdecken") == "Aufdecken"
    html = templates.render("start.html")
    assert '<html lang="de">' in html
    assert ">Mitmachen<" in html
    assert translations("xx").gettext("Aufdecken") == "Aufdecken"


def test_german_is_the_source_and_needs_no_catalogue() -> None:
    assert Templates("de").gettext.gettext("Aufdecken") == "Aufdecken"
    assert Templates("en").gettext.gettext("Aufdecken") == "Reveal"
