from hypothesis import given
from hypothesis import strategies as st

from datacircle.core.spreadsheet import FORMULA_STARTS, safe_text


def test_formulas_become_text():
    assert (
        safe_text('=HYPERLINK("http://evil.example","x")')
        == '\'=HYPERLINK("http://evil.example","x")'
    )
    assert safe_text("+254 700 000") == "'+254 700 000"
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("-1+2") == "'-1+2"


def test_plain_values_are_untouched():
    assert safe_text("Nairobi branch") == "Nairobi branch"
    assert safe_text(-3) == -3
    assert safe_text(None) is None


@given(st.text())
def test_no_safe_text_starts_a_formula(text):
    result = safe_text(text)
    assert not result.startswith(FORMULA_STARTS)
    assert result.lstrip("'") == text.lstrip("'") or result == "'" + text
