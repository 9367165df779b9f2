"""Making text safe to open in a spreadsheet: no cell may start a formula.

A unit name such as `=HYPERLINK("http://…")` typed into a form must not run when a coordinator
opens an export in Excel or LibreOffice (OWASP "CSV injection"); such text gets a leading
apostrophe, which spreadsheets show as plain text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_text(value: object) -> object:
    """`value` unchanged unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
