"""A list pasted or imported at once: questions to estimate, cards for an idea collection.

One entry per line of the pasted text, or the first column of a CSV file (UTF-8 with or without BOM, `;` or `,`,
a header line optional). Each entry is checked like one typed into the form; an empty line, one too long, a repeat
(in the list, or of what is there already) or a broken CSV line is left out and reported with its line number.
The rest goes in as one change, or nothing does (the command's business). Pure.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from .errors import N_, Invalid
from .text import clean_line

LIST_MAX = 200  # entries added at once: a whole day's agenda, not a database
REPORTED_MAX = 20  # skipped lines named one by one in the report; the rest are counted

EMPTY = N_("leer")
TOO_LONG = N_("zu lang")
REPEATED = N_("doppelt")
THERE_ALREADY = N_("schon vorhanden")
BROKEN = N_("nicht lesbar")
TOO_MANY = N_(
    "Die Liste hat {count} Einträge; auf einmal gehen höchstens {max}. Es wurde nichts angelegt. "
    "Bitte in mehreren Teilen einfügen."
)
NOTHING = N_("In der Liste ist keine Zeile, die sich anlegen lässt. Es wurde nichts angelegt. {skipped}")
REPORT = N_("Angelegt: {added}.")
SKIPPED = N_("Übersprungen: {lines}.")
LINE = N_("Zeile {line} ({reason})")
MORE = N_("und {count} weitere")


@dataclass(frozen=True)
class Skipped:
    line: int  # counted from 1, in the pasted text or the file
    reason: str  # EMPTY, TOO_LONG, REPEATED, THERE_ALREADY or BROKEN (translatable)


@dataclass(frozen=True)
class Checked:
    entries: tuple[str, ...]
    skipped: tuple[Skipped, ...]


Line = tuple[int, str | None]  # (line number, its text; None: a CSV line that cannot be read)


def lines_from(listing: str, file: str, *, header: bool = False) -> list[Line]:
    """The candidates of a form: the CSV file's if one was sent, else the pasted list's."""
    return lines_of(file, csv_file=True, header=header) if file.strip() else lines_of(listing, header=header)


def lines_of(text: str, *, csv_file: bool = False, header: bool = False) -> list[Line]:
    """The candidates of a pasted text (one per line) or of a CSV file's text (its first column)."""
    lines = text.removeprefix("\ufeff").splitlines()
    numbered = list(enumerate(lines, start=1))
    if header:
        numbered = numbered[1:]
    if not csv_file:
        return [(n, line) for n, line in numbered]
    delimiter = _delimiter(lines[0] if lines else "")
    return [(n, _first_cell(line, delimiter)) for n, line in numbered]


def _delimiter(first_line: str) -> str:
    """`;` (spreadsheets set to German) unless the first line has more commas than semicolons."""
    return "," if first_line.count(",") > first_line.count(";") else ";"


def _first_cell(line: str, delimiter: str) -> str | None:
    """The first cell of one CSV line; None if the line is broken (an unclosed quote)."""
    try:
        rows = list(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return rows[0][0] if rows and rows[0] else ""


def check(
    lines: Iterable[Line],
    *,
    max_length: int,
    label: str,
    translate: Callable[[str], str],
    there: Collection[str] = (),
) -> Checked:
    """The entries to add, in order, and the lines left out with the reason; Invalid if there are more entries than
    `LIST_MAX` or none at all (nothing is added then; the message names the lines left out, in the asker's
    language)."""
    already = {_key(t) for t in there}
    seen: set[str] = set()
    entries: list[str] = []
    skipped: list[Skipped] = []
    for number, raw in lines:
        if raw is None:
            skipped.append(Skipped(number, BROKEN))
            continue
        entry = clean_line(raw, label=label, max_length=10**9, required=False)
        reason = (
            EMPTY
            if not entry
            else TOO_LONG
            if len(entry) > max_length
            else THERE_ALREADY
            if _key(entry) in already
            else REPEATED
            if _key(entry) in seen
            else ""
        )
        if reason:
            skipped.append(Skipped(number, reason))
            continue
        seen.add(_key(entry))
        entries.append(entry)
    if len(entries) > LIST_MAX:
        raise Invalid(TOO_MANY, count=len(entries), max=LIST_MAX)
    if not entries:
        raise Invalid(NOTHING, skipped=skipped_lines(tuple(skipped), translate))
    return Checked(tuple(entries), tuple(skipped))


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def report(checked: Checked, translate: Callable[[str], str]) -> str:
    """What the asker is told: how many were added, and which lines were left out and why."""
    said = translate(REPORT).format(added=len(checked.entries))
    return f"{said} {skipped_lines(checked.skipped, translate)}".strip()


def skipped_lines(skipped: tuple[Skipped, ...], translate: Callable[[str], str]) -> str:
    if not skipped:
        return ""
    named = [translate(LINE).format(line=s.line, reason=translate(s.reason)) for s in skipped[:REPORTED_MAX]]
    if len(skipped) > REPORTED_MAX:
        named.append(translate(MORE).format(count=len(skipped) - REPORTED_MAX))
    return translate(SKIPPED).format(lines=", ".join(named))
