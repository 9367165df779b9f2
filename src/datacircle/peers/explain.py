"""Sentences for the core's reason codes, and the CSV of a round, in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from datacircle.accounts.models import LANGUAGE_CHOICES
from datacircle.core.spreadsheet import safe_text
from datacircle.core.taxonomy import Taxonomy

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def skill_text(code: str, taxonomy: Taxonomy) -> str:
    return taxonomy.label_or_code(code, get_language() or "en")


def level_text(value, taxonomy: Taxonomy) -> str:
    """A level's name; anything that is not a known level shows as it is."""
    try:
        return taxonomy.level_label(int(value), get_language() or "en")
    except (KeyError, TypeError, ValueError):
        return str(value)


def _language(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def reason_text(reason, taxonomy: Taxonomy, unmatched: bool = False) -> str:
    """One reason code of `datacircle.core.matching` (a list once stored) as a sentence."""
    kind, *args = reason
    if kind == "skill":
        code, sharer_level, learner_level = args
        return _("Shares %(skill)s at “%(sharer)s”; the learner is at “%(learner)s”.") % {
            "skill": skill_text(code, taxonomy),
            "sharer": level_text(sharer_level, taxonomy),
            "learner": level_text(learner_level, taxonomy),
        }
    if kind == "language":
        return _("Both speak %(language)s.") % {"language": _language(args[0])}
    if kind == "other-unit":
        return _("They work in different units: the circle widens.")
    if kind == "first-match":
        return _("The learner's first match.")
    if kind == "timezone" and not unmatched:
        return _("Time difference: %(hours)s h.") % {"hours": f"{float(args[0]):g}"}
    if kind == "no-wants":
        return _("Asked to learn no skill.")
    if kind == "nobody-shares":
        code, language = args
        return _("Nobody available shares %(skill)s in %(language)s.") % {
            "skill": skill_text(code, taxonomy),
            "language": _language(language),
        }
    if kind == "excluded":
        return _("Everyone who could help was paired with this person before.")
    if kind == "timezone":
        return _("Everyone who could help is too many hours away.")
    if kind == "capacity":
        return _(
            "Those who could help had no place left: their places went where they helped most."
        )
    if kind == "removed":
        return _("Removed from the round by a coordinator.")
    return " ".join(str(part) for part in reason)


HEADER = [
    "learner",
    "learner_email",
    "sharer",
    "sharer_email",
    "skill",
    "benefit",
    "status",
    "reasons",
]


def csv_rows(matches, unmatched, taxonomy: Taxonomy):
    """Rows of a round's CSV: header, matches, then unmatched learners with their reason.
    Every text cell is made safe from spreadsheet formula injection."""
    yield HEADER
    for m in matches:
        yield [
            safe_text(m.learner.full_name),
            safe_text(m.learner.email),
            safe_text(m.sharer.full_name),
            safe_text(m.sharer.email),
            m.skill,
            m.benefit,
            m.status,
            safe_text(" ".join(reason_text(r, taxonomy) for r in m.reasons)),
        ]
    for u in unmatched:
        yield [
            safe_text(u.learner.full_name),
            safe_text(u.learner.email),
            "",
            "",
            "",
            "",
            "unmatched",
            safe_text(reason_text(u.reason, taxonomy, unmatched=True)),
        ]
