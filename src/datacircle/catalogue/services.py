"""What the catalogue API reads and writes.

Reading: each module as its latest published version (a working copy or a draft never shows),
described from that version's own file. Writing, for one organisation (an API token's): import
a module file, record a delivery.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from datacircle.accounts.models import Organisation
from datacircle.core import modules as core
from datacircle.core import reach as core_reach
from datacircle.library import services as library
from datacircle.library.models import STARTER, Module, ModuleVersion
from datacircle.network import reach as network_reach
from datacircle.programme.models import Delivery
from datacircle.programme.sessions import delivery_problems, save_delivery

logger = logging.getLogger(__name__)

MAX_INT = 2**31 - 1  # the largest number an integer column holds on every database
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")  # what a slug column can hold


class ApiError(Exception):
    """A request the API refuses: an HTTP status, a sentence, and the problems one by one."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1024)
def _parse(source: str) -> core.Module | None:
    # A published version's text never changes, so its parse can be kept.
    try:
        return core.parse(source)
    except core.ModuleFormatError:
        return None


@dataclass(frozen=True)
class Entry:
    """A module of the catalogue: the row (for its identity and provenance), its latest
    published version, and that version's file read."""

    module: Module
    version: ModuleVersion
    file: core.Module

    @property
    def organisation(self) -> str:
        return self.module.organisation_slug


def published() -> QuerySet[Module]:
    """Modules with at least one published version, by organisation slug then slug; each
    annotated with its latest version's id and publication time."""
    latest = ModuleVersion.objects.filter(module=OuterRef("pk")).order_by("-number")
    return (
        Module.objects.annotate(
            published_version_id=Subquery(latest.values("pk")[:1]),
            published_version_at=Subquery(latest.values("published_at")[:1]),
            organisation_key=Coalesce("organisation__slug", Value(STARTER)),
        )
        .filter(published_version_id__isnull=False)
        .select_related("organisation", "pulled__peer")
        .defer("source", "search_text", "rank_text", "summary")
        .order_by("organisation_key", "slug", "pk")
    )


def _entries(modules: list[Module]) -> list[Entry]:
    versions = ModuleVersion.objects.in_bulk([m.published_version_id for m in modules])
    entries = []
    for module in modules:
        version = versions.get(module.published_version_id)
        if version is None:  # deleted between the two queries
            continue
        parsed = _parse(version.source)
        if parsed is None:
            # Only possible if the file format changed under a stored version; leave it out
            # rather than describe it from anything but its own file.
            logger.warning("catalogue: %s does not parse; left out", version)
            continue
        version.module = module
        entries.append(Entry(module, version, parsed))
    return entries


def listing(
    *,
    offset: int,
    limit: int,
    organisation: str = "",
    language: str = "",
    skill: str = "",
    changed_since: datetime | None = None,
) -> tuple[int, list[Entry]]:
    """How many published modules match, and the `limit` of them from `offset`."""
    modules = published()
    if organisation:
        modules = modules.of_organisation(organisation)
    if changed_since is not None:
        modules = modules.filter(published_version_at__gte=changed_since)
    if language or skill:
        # Language and skills are those of the published file, which the module's row (its
        # working copy) may not share: read the files.
        matching = [
            entry
            for entry in _entries(list(modules))
            if (not language or entry.file.language == language)
            and (not skill or skill in entry.file.skills)
        ]
        return len(matching), matching[offset : offset + limit]
    count = modules.count()
    if offset >= count:
        return count, []
    return count, _entries(list(modules[offset : offset + limit]))


def entry(organisation: str, slug: str) -> Entry | None:
    """The published module organisation/slug, or None."""
    if not (SLUG.fullmatch(organisation) and SLUG.fullmatch(slug)):
        return None
    found = _entries(list(published().of_organisation(organisation).filter(slug=slug)[:1]))
    return found[0] if found else None


def versions(module: Module) -> list[ModuleVersion]:
    return list(module.versions.order_by("number"))


def version(organisation: str, slug: str, number: int) -> ModuleVersion | None:
    if not (SLUG.fullmatch(organisation) and SLUG.fullmatch(slug) and 1 <= number <= MAX_INT):
        return None
    modules = Module.objects.of_organisation(organisation).filter(slug=slug)
    return ModuleVersion.objects.filter(module__in=modules, number=number).first()


# ---------------------------------------------------------------- reach


# The tables the API publishes are the network pages' tables, from the same suppression, so a
# count has the same status here as on every page (a table suppressed on its own, or one made
# of filtered deliveries, could be set beside another and differenced to reveal a small count).
TABLES = tuple(",".join(table) for table in network_reach.NETWORK_TABLES)


def reach(by: tuple[str, ...], **filters: str | int | None) -> core_reach.Reach:
    """The network's published table `by`, keeping only the rows that match `filters` (each a
    dimension of the table); the total stays the whole network's."""
    if ",".join(by) not in TABLES:
        raise ApiError(
            400,
            _("by must be one of the published tables: %(tables)s (not “%(by)s”).")
            % {"tables": "; ".join(TABLES), "by": ",".join(by)},
            [{"line": None, "column": None, "field": "by", "message": _("not a published table")}],
        )
    wanted = {name: value for name, value in filters.items() if value not in ("", None)}
    for name in wanted:
        if name not in by:
            raise ApiError(
                400,
                _("The filter %(filter)s needs a table that has %(filter)s, such as: %(tables)s.")
                % {
                    "filter": name,
                    "tables": "; ".join(t for t in TABLES if name in t.split(",")),
                },
                [{"line": None, "column": None, "field": name, "message": _("not in the table")}],
            )
    tables = network_reach.network_tables(network_reach.records(Delivery.objects.all()))
    table = tables[by]
    position = {name: index for index, name in enumerate(by)}
    rows = tuple(
        row
        for row in table.rows
        if all(row.key[position[name]] == value for name, value in wanted.items())
    )
    return replace(table, rows=rows)


# ---------------------------------------------------------------- writing


def _problem(problem: core.Problem) -> dict:
    return {
        "line": problem.line,
        "column": problem.column,
        "field": problem.path,
        "message": problem.message,
    }


@dataclass(frozen=True)
class Imported:
    result: str  # created, updated or unchanged
    module: Module
    unresolved: list[str]


def import_source(organisation: Organisation, text: str) -> Imported:
    """Import one module file for `organisation` (its own modules only), by the library's
    rules: all or nothing, the same file twice changes nothing, a published version's text
    never changes."""
    try:
        m = core.parse(text, source="source", skill_codes=library.skill_codes(organisation))
    except core.ModuleFormatError as error:
        raise ApiError(
            400,
            ngettext(
                "The module file has %(count)d problem; nothing was imported.",
                "The module file has %(count)d problems; nothing was imported.",
                len(error.problems),
            )
            % {"count": len(error.problems)},
            [_problem(p) for p in error.problems],
        ) from None
    if m.organisation != organisation.slug:
        raise ApiError(
            403,
            _(
                "This token writes for “%(token)s”; the module belongs to “%(module)s”. "
                "Change its organisation field, or use that organisation's token."
            )
            % {"token": organisation.slug, "module": m.organisation},
        )
    _check_numbers(m)
    try:
        report = library.import_modules([(m, text)], allowed=[organisation.slug])
    except library.LibraryError as error:
        raise ApiError(409, str(error)) from None
    result = "created" if report.created else "updated" if report.updated else "unchanged"
    module = Module.objects.get(organisation=organisation, slug=m.id)
    return Imported(result, module, list(report.unresolved))


def _check_numbers(m: core.Module) -> None:
    """What the library's rules leave to the database, said before the database says it."""
    if m.status == Module.Status.PUBLISHED and m.version < 1:
        raise ApiError(
            400,
            _("%(module)s: a published module needs a version number of 1 or more.")
            % {"module": m.reference},
            [{"line": None, "column": None, "field": "version", "message": _("at least 1")}],
        )
    numbers = [("version", m.version)]
    if m.derived_from:
        numbers.append(("derived_from", int(m.derived_from.rpartition("@")[2])))
    for field, number in numbers:
        if number > MAX_INT:
            raise ApiError(
                400,
                _("%(module)s: %(field)s has a version number over %(max)d.")
                % {"module": m.reference, "field": field, "max": MAX_INT},
                [{"line": None, "column": None, "field": field, "message": _("too large")}],
            )


@transaction.atomic
def record_delivery(
    organisation: Organisation,
    *,
    module: str,
    version: int,
    held_on: date,
    country: str,
    city: str,
    online: bool,
    language: str,
    participants: int,
    recorded_by=None,
) -> Delivery:
    """A delivery of a published module version by `organisation`, by the rules of deliveries
    recorded by hand in the programme (held already, somewhere or online)."""
    found = library.find(module)
    published_version = found.versions.filter(number=version).first() if found else None
    if found is None:
        raise ApiError(404, _("No module %(module)s here.") % {"module": module})
    if published_version is None:
        raise ApiError(
            404,
            _("%(module)s has no published version %(version)d.")
            % {"module": module, "version": version},
        )
    errors = []
    if country and country not in countries:
        errors.append(("country", _("“%(code)s” is not a country code.") % {"code": country}))
    errors += delivery_problems(
        held_on=held_on, participants=participants, online=online, city=city, country=country
    )
    if errors:
        raise ApiError(
            400,
            " ".join(message for _field, message in errors),
            [{"line": None, "column": None, "field": f, "message": m} for f, m in errors],
        )
    return save_delivery(
        recorded_by=recorded_by,
        module_version=published_version,
        organisation=organisation,
        held_on=held_on,
        online=online,
        city=city,
        country=country,
        language=language,
        participants=participants,
    )
