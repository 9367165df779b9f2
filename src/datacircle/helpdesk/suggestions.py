"""What to read before asking: documents that may already answer a question being typed.

Each source (the FAQ, the library's modules) lists its candidate documents for a reader and the
text typed so far; one call of the core's ranker orders all of them together, so the page, the
endpoint and the script do not depend on where a document comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from datacircle.core.helpdesk import Document, Vocabulary, rank, vocabulary_of
from datacircle.core.taxonomy import builtin_taxonomy
from datacircle.helpdesk.models import FaqEntry


@dataclass(frozen=True)
class Candidate:
    document: Document  # its id is unique across sources ("faq:12")
    url: str
    group: str  # documents of one group (translations of one entry) are shown once
    excerpt: str


@dataclass(frozen=True)
class Suggestion:
    kind: str
    title: str
    url: str
    language: str
    excerpt: str
    score: float


class Source(Protocol):
    kind: str
    label: str

    def candidates(self, user, query: str) -> Iterable[Candidate]: ...


class FaqSource:
    kind = "faq"
    label = _("FAQ")

    def candidates(self, user, query: str) -> Iterator[Candidate]:
        entries = FaqEntry.objects.visible_to(user).only(
            "pk", "title", "body", "language", "original_id"
        )
        for entry in entries:
            yield Candidate(
                Document(f"faq:{entry.pk}", entry.title, entry.body, entry.language),
                reverse("helpdesk-faq-entry", args=[entry.pk]),
                f"faq:{entry.original_id or entry.pk}",
                Truncator(entry.body).chars(160),
            )


class ModuleSource:
    """Published library modules. The library can hold thousands, so its full-text index picks
    the few worth ranking instead of handing every module to the ranker."""

    kind = "module"
    label = _("Library module")
    shortlist = 20

    def candidates(self, user, query: str) -> Iterator[Candidate]:
        from datacircle.library.models import Module
        from datacircle.library.search import search

        visible = Module.objects.visible_to(user)
        ids = search(visible.filter(versions__isnull=False), query)[: self.shortlist]
        modules = Module.objects.in_bulk(ids)
        for pk in ids:
            module = modules[pk]
            yield Candidate(
                Document(f"module:{pk}", module.title, module.summary, module.language),
                reverse("library-module", args=[pk]),
                f"module:{module.translation_of_id or pk}",
                Truncator(module.summary).chars(160),
            )


SOURCES: tuple[Source, ...] = (FaqSource(), ModuleSource())


@cache
def vocabulary() -> Vocabulary:
    """Skill names of the built-in taxonomy in every language: the FAQ serves the whole
    network, so no one organisation's own wording applies."""
    return vocabulary_of(builtin_taxonomy())


def suggest(user, query: str, *, language: str = "", limit: int = 5) -> list[Suggestion]:
    """The best documents for `query` across every source, each group once, those in
    `language` first."""
    by_id: dict[str, tuple[Source, Candidate]] = {}
    for source in SOURCES:
        for candidate in source.candidates(user, query):
            by_id[str(candidate.document.id)] = (source, candidate)
    ranked = rank(
        query,
        (candidate.document for _source, candidate in by_id.values()),
        vocabulary=vocabulary(),
        prefer_language=language,
    )
    seen: set[str] = set()
    found: list[Suggestion] = []
    for item in ranked:
        source, candidate = by_id[str(item.id)]
        if candidate.group in seen:
            continue
        seen.add(candidate.group)
        found.append(
            Suggestion(
                str(source.label),
                candidate.document.title,
                candidate.url,
                candidate.document.language,
                candidate.excerpt,
                item.score,
            )
        )
        if len(found) == limit:
            break
    return found
