"""The one Jinja environment: autoescaping everywhere, gettext for every visible string."""

from __future__ import annotations

import gettext
import io
from typing import Any

import jinja2
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from .. import __version__, prepared
from ..activities.actions.rules import due_label
from ..config import languages
from ..domain import codes, lists
from ..domain.errors import DomainError
from ..domain.markdown import Language
from ..kinds import KINDS
from ..resources import LOCALES, STATIC, TEMPLATES

SOURCE_LANGUAGE = "de"  # the texts in templates and code are German; other languages are catalogues


def translations(language: str) -> gettext.NullTranslations:
    """German is the source language; another language is read from its catalogue: the `.po` in a checkout (the
    source, compiled here), the `.mo` compiled at packaging time in an installed wheel (which has no `.po`)."""
    folder = LOCALES / language / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if language == SOURCE_LANGUAGE or not (po.exists() or mo.exists()):
        return gettext.NullTranslations()
    if not po.exists():
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Templates:
    def __init__(self, language: str = SOURCE_LANGUAGE) -> None:
        self.language = language if (language == SOURCE_LANGUAGE or (LOCALES / language).exists()) else "de"
        self._locale = Locale.parse(self.language)  # parsed once: babel would parse it again for every number
        self.gettext = translations(self.language)
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,  # every template, whatever its file name
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.install_gettext_translations(self.gettext, newstyle=True)  # type: ignore[attr-defined]
        env.filters.update(code=codes.display, number=self.number, due=due_label)
        styles = [kind for kind in KINDS if (STATIC / f"{kind}.css").exists()]  # a kind's own stylesheet
        env.globals.update(
            lang=self.language,
            version=__version__,
            kind_label=self.kind_label,
            kinds=list(KINDS),
            kind_styles=styles,
            built_in=prepared.BUILT_IN,  # the start page's templates
            list_max=lists.LIST_MAX,  # entries a pasted or imported list adds at once
        )
        for kind in KINDS.values():  # what each kind's templates use: filters and functions of its own
            env.filters.update(kind.helpers)
            env.globals.update(kind.helpers)
        self.env = env

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    def message(self, error: DomainError) -> str:
        """The error's text in the interface language, with its (translated) parameters filled in."""
        params = {k: self.gettext.gettext(v) if isinstance(v, str) else v for k, v in error.params.items()}
        return self.gettext.gettext(error.message).format(**params)

    @property
    def language_of_export(self) -> Language:
        return Language(self.gettext.gettext, self.gettext.ngettext, self.number)

    def number(self, value: float) -> str:
        return format_decimal(round(value, 1), format="#,##0.#", locale=self._locale)

    def kind_label(self, kind: str) -> str:
        return self.gettext.gettext(KINDS[kind].label)


LANGUAGE_COOKIE = "workshop_lang"


class Languages:
    """The interface in every language it has (one `Templates` each), and which one a browser gets: the one it chose
    (a cookie), else the first its Accept-Language names that we have, else the installation's default."""

    def __init__(self, default: str = SOURCE_LANGUAGE) -> None:
        self.by_code = {code: Templates(code) for code in languages()}
        self.default = default if default in self.by_code else SOURCE_LANGUAGE

    def __getitem__(self, code: str) -> Templates:
        return self.by_code.get(code) or self.by_code[self.default]

    def choose(self, chosen: str | None, accept: str) -> str:
        if chosen in self.by_code:
            return chosen
        return next((code for code in preferred(accept) if code in self.by_code), self.default)


def preferred(accept: str) -> list[str]:
    """The languages of an Accept-Language header ("en-GB,en;q=0.9,de;q=0.5"), most wanted first, as primary tags."""
    wanted = []
    for position, part in enumerate(accept.split(",")):
        tag, _, params = part.strip().partition(";")
        try:
            weight = float(params.strip().removeprefix("q=")) if params.strip().startswith("q=") else 1.0
        except ValueError:
            weight = 0.0
        if tag and weight > 0:
            wanted.append((-weight, position, tag.split("-")[0].lower()))
    return [tag for _, _, tag in sorted(wanted)]
