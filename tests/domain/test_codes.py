from __future__ import annotations

import base64

from workshop.domain.codes import ALPHABET, LENGTH, display, new_code, new_id, new_secret, normalize


def test_alphabet_leaves_out_characters_that_look_alike() -> None:
    for ch in "0O1I":
        assert ch not in ALPHABET


def test_alphabet_has_no_duplicate_characters() -> None:
    assert len(set(ALPHABET)) == len(ALPHABET)


def test_code_space_is_too_large_to_guess() -> None:
    assert len(ALPHABET) ** LENGTH >= 10**11


def test_new_code_has_eight_characters() -> None:
    assert LENGTH == 8
    assert len(new_code()) == 8


def test_new_code_uses_only_the_alphabet() -> None:
    for _ in range(200):
        assert set(new_code()) <= set(ALPHABET)


def test_thousand_new_codes_are_all_distinct() -> None:
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000


def test_new_code_survives_normalize_unchanged() -> None:
    for _ in range(100):
        code = new_code()
        assert normalize(code) == code


def test_normalize_accepts_code_with_dashes_and_lowercase() -> None:
    assert normalize("kxr-7mp-qh") == "KXR7MPQH"


def test_normalize_accepts_code_with_spaces() -> None:
    assert normalize("  KXR 7MP QH ") == "KXR7MPQH"


def test_normalize_accepts_code_as_displayed() -> None:
    assert normalize(display("KXR7MPQH")) == "KXR7MPQH"


def test_normalize_rejects_too_short_code() -> None:
    assert normalize("KXR-7MP-Q") is None


def test_normalize_rejects_too_long_code() -> None:
    assert normalize("KXR-7MP-QHA") is None


def test_normalize_rejects_empty_input() -> None:
    assert normalize("") is None
    assert normalize(" - ") is None


def test_normalize_rejects_letters_outside_the_alphabet() -> None:
    assert normalize("KXR-7MP-QÄ") is None


def test_normalize_rejects_letter_o_and_i_which_no_code_contains() -> None:
    assert normalize("KXR-7MP-QO") is None
    assert normalize("KXR-7MP-QI") is None


def test_display_groups_code_in_three_three_two() -> None:
    assert display("KXR7MPQH") == "KXR-7MP-QH"


def test_new_secret_has_at_least_128_random_bits() -> None:
    secret = new_secret()
    raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    assert len(raw) * 8 >= 128
    assert len(secret) >= 22  # 128 bits at 6 bits per URL-safe character


def test_new_secret_is_url_safe() -> None:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    for _ in range(50):
        assert set(new_secret()) <= allowed


def test_new_secrets_differ() -> None:
    assert len({new_secret() for _ in range(100)}) == 100


def test_new_ids_differ() -> None:
    assert len({new_id() for _ in range(100)}) == 100


def test_typed_zero_or_one_is_not_a_code() -> None:
    # Neither 0/O nor 1/I is in the alphabet, so a code containing them was mistyped.
    assert normalize("KXR-7MP-Q0") is None
    assert normalize("KXR-7MP-Q1") is None
