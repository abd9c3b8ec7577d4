"""A pasted list or a CSV file: one entry per line (the first column), what was left out named by its line."""

from __future__ import annotations

import pytest

from workshop.domain import lists
from workshop.domain.errors import Invalid


def checked(text: str, *, csv_file: bool = False, header: bool = False, there: tuple[str, ...] = ()) -> lists.Checked:
    lines = lists.lines_of(text, csv_file=csv_file, header=header)
    return lists.check(lines, max_length=20, label="eine Frage", translate=str, there=there)


def test_a_pasted_list_gives_one_entry_per_line_and_names_what_it_leaves_out() -> None:
    result = checked("Kalender\n\n  Chatbot  \nkalender\n" + "x" * 21 + "\nBürgerapp", there=("Chatbot",))
    assert result.entries == ("Kalender", "Bürgerapp")
    assert lists.report(result, str) == (
        "Angelegt: 2. Übersprungen: Zeile 2 (leer), Zeile 3 (schon vorhanden), Zeile 4 (doppelt), Zeile 5 (zu lang)."
    )


@pytest.mark.parametrize(
    "text",
    [
        '\ufeffMaßnahme;Wer\nKalender;Anna\n"Bürger; App";Bernd\n',  # Excel "CSV UTF-8" (BOM, ;), a header
        'Maßnahme,Wer\r\nKalender,Anna\r\n"Bürger; App",Bernd\r\n',  # commas, Windows line ends
    ],
)
def test_a_csv_file_gives_its_first_column_whatever_the_separator(text: str) -> None:
    assert checked(text, csv_file=True, header=True).entries == ("Kalender", "Bürger; App")


def test_a_broken_csv_line_is_left_out_and_the_rest_stays() -> None:
    result = checked('Kalender;1\n"Chatbot;2\nBürgerapp;3\n', csv_file=True)
    assert result.entries == ("Kalender", "Bürgerapp")
    assert [(s.line, s.reason) for s in result.skipped] == [(2, lists.BROKEN)]


def test_too_many_or_nothing_at_all_adds_nothing_with_a_reason() -> None:
    with pytest.raises(Invalid) as too_many:
        checked("\n".join(f"Frage {n}" for n in range(1000)))
    assert too_many.value.params == {"count": 1000, "max": lists.LIST_MAX}
    with pytest.raises(Invalid) as nothing:
        checked("\n\n" + "x" * 30)
    assert nothing.value.params["skipped"] == "Übersprungen: Zeile 1 (leer), Zeile 2 (leer), Zeile 3 (zu lang)."


def test_a_long_report_names_the_first_lines_and_counts_the_rest() -> None:
    result = checked("Eins\n" + "\n" * 30 + "Zwei")
    assert lists.report(result, str).endswith("Zeile 21 (leer), und 10 weitere.")
