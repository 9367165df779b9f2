"""The core's texts (`datacircle.core.i18n`) in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from datacircle.core.i18n import translate


def translated(text: object) -> str:
    """A core message, a stored one (`as_json`) or a plain text, in the active language."""
    return translate(text, gettext, ngettext)
