from __future__ import annotations

import pytest

from workshop.domain.errors import Invalid
from workshop.domain.text import clean_line


def test_clean_line_trims_surrounding_whitespace() -> None:
    assert clean_line("  Anna  ", label="Name", max_length=40) == "Anna"


def test_clean_line_collapses_inner_whitespace() -> None:
    assert clean_line("Anna   Maria", label="Name", max_length=40) == "Anna Maria"


def test_clean_line_turns_line_breaks_into_spaces() -> None:
    assert clean_line("erste\nzweite\r\ndritte", label="Begründung", max_length=200) == "erste zweite dritte"


def test_clean_line_removes_control_characters() -> None:
    assert clean_line("\x07Anna\x00\x1b", label="Name", max_length=40) == "Anna"


def test_clean_line_keeps_control_characters_from_gluing_words_together() -> None:
    assert clean_line("Anna\x00Maria", label="Name", max_length=40) == "Anna Maria"


def test_clean_line_keeps_umlauts_and_punctuation() -> None:
    assert clean_line("Jörg Müller-Lüdenscheidt, ß!", label="Name", max_length=40) == "Jörg Müller-Lüdenscheidt, ß!"


def test_clean_line_required_empty_is_invalid_with_label() -> None:
    with pytest.raises(Invalid) as caught:
        clean_line("", label="Name", max_length=40)
    assert caught.value.params["label"] == "Name"


def test_clean_line_required_whitespace_only_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        clean_line(" \n\t ", label="einen Titel", max_length=120)
    assert caught.value.params["label"] == "einen Titel"


def test_clean_line_required_non_text_is_invalid() -> None:
    with pytest.raises(Invalid):
        clean_line(None, label="Name", max_length=40)


def test_clean_line_optional_empty_gives_empty_string() -> None:
    assert clean_line("   ", label="Organisation", max_length=60, required=False) == ""


def test_clean_line_optional_non_text_gives_empty_string() -> None:
    assert clean_line(None, label="Organisation", max_length=60, required=False) == ""
    assert clean_line(42, label="Organisation", max_length=60, required=False) == ""


def test_clean_line_accepts_exactly_max_length() -> None:
    assert clean_line("x" * 40, label="Name", max_length=40) == "x" * 40


def test_clean_line_over_max_length_is_invalid_with_the_max() -> None:
    with pytest.raises(Invalid) as caught:
        clean_line("x" * 41, label="Name", max_length=40)
    assert caught.value.params == {"max": 40}
    assert caught.value.message == "Der Text ist zu lang (höchstens {max} Zeichen)."


def test_clean_line_measures_length_after_trimming() -> None:
    assert clean_line("  " + "x" * 40 + "  ", label="Name", max_length=40) == "x" * 40


def test_invalid_error_has_status_422() -> None:
    with pytest.raises(Invalid) as caught:
        clean_line("", label="Name", max_length=40)
    assert caught.value.status == 422


def test_clean_line_keeps_emoji_joined() -> None:
    assert clean_line("Anna 👩‍💻", label="Name", max_length=40) == "Anna 👩‍💻"


def test_clean_line_drops_direction_overrides() -> None:
    assert clean_line("Anna\u202eanoM", label="Name", max_length=40) == "AnnaanoM"


def test_clean_line_turns_unicode_line_separators_into_spaces() -> None:
    assert clean_line("eins\u2028zwei\u2029drei", label="Karte", max_length=40) == "eins zwei drei"
