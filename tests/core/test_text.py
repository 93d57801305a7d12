"""clean_text: what every stored string passes through (issue 11: NUL broke PostgreSQL batches)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backstride.core.text import clean_text


def test_nul_and_control_characters_go():
    assert clean_text("Daily\x00 trainer\x07\x1b[31m") == "Daily trainer[31m"


def test_a_one_line_field_turns_line_breaks_into_spaces():
    assert clean_text("Old\nfaithful\tshoe") == "Old faithful shoe"


def test_a_note_keeps_its_lines_and_tabs():
    assert (
        clean_text("Line one\r\nline two\r\tindented\x00", multiline=True) == "Line one\nline two\n\tindented"
    )


def test_lone_surrogates_go_and_the_result_encodes():
    assert clean_text("a\ud800b") == "ab"


def test_ordinary_text_is_untouched():
    assert clean_text("Crème brûlée 5 km – ça va? 🏃") == "Crème brûlée 5 km – ça va? 🏃"


@given(st.text())
def test_whatever_comes_in_stores_as_utf8_without_nul(value):
    for multiline in (False, True):
        cleaned = clean_text(value, multiline=multiline)
        assert "\x00" not in cleaned
        cleaned.encode("utf-8")  # no lone surrogate left
        assert clean_text(cleaned, multiline=multiline) == cleaned  # idempotent
