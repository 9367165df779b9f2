"""The partners registry as CSV rows, safe to open in a spreadsheet.

Contacts are personal data: their column is there only for people who keep partners, and it is
filled only for the partners they manage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from datacircle.core.spreadsheet import safe_text
from datacircle.core.taxonomy import Taxonomy
from datacircle.partners.models import Partner

HEADER = [
    "organisation",
    "partner",
    "kind",
    "country",
    "website",
    "relationship",
    "agreement_signed_on",
    "agreement_ends_on",
    "expertise",
    "skill_codes",
    "engagements",
    "last_engagement_on",
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def csv_rows(
    partners: Iterable[Partner],
    taxonomy_of: Callable[[Partner], Taxonomy],
    language: str,
    contacts_of: Callable[[Partner], list] | None = None,
) -> Iterator[list]:
    """Header, then one row per partner (annotated with `engagement_count` and
    `last_engagement`). `contacts_of(partner)` gives the contacts the reader may see; without
    it the contacts column is left out."""
    yield HEADER + (["contacts"] if contacts_of else [])
    for partner in partners:
        taxonomy = taxonomy_of(partner)
        row = [
            safe_text(partner.organisation.name),
            safe_text(partner.name),
            partner.kind,
            partner.country.code,
            safe_text(partner.website),
            partner.relationship,
            _day(partner.agreement_signed_on),
            _day(partner.agreement_ends_on),
            safe_text("; ".join(taxonomy.label_or_code(c, language) for c in partner.expertise)),
            safe_text(" ".join(map(str, partner.expertise))),
            partner.engagement_count,
            _day(partner.last_engagement),
        ]
        if contacts_of:
            row.append(
                safe_text(
                    "; ".join(
                        " ".join(
                            part
                            for part in (
                                c.name,
                                f"({c.role})" if c.role else "",
                                f"<{c.email}>" if c.email else "",
                                c.phone,
                            )
                            if part
                        )
                        for c in contacts_of(partner)
                    )
                )
            )
        yield row
