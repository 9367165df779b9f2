"""The network's reach from the database: deliveries as reach records, the breakdowns the network
pages show (people counts under the small-cell rule, see `core.reach`), what each
organisation contributed to the library, and the confidence its participants gained.

Who may see the network's reach is decided here (`deliveries_visible_to`): everyone signed in,
in aggregate only. The pages never list a delivery, its participants or who recorded it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from datacircle.accounts.models import Organisation
from datacircle.core.reach import Delivery as Record
from datacircle.core.reach import Reach, Row, breakdowns
from datacircle.core.suppression import DEFAULT_K, Published
from datacircle.library.models import STARTER, Module, ModuleVersion
from datacircle.programme.models import Delivery, Feedback

K = DEFAULT_K

# Everything the network, organisation and module pages show, protected as one publication so
# that a count has the same status on every page it appears in (an organisation's people on the
# network page and on its own page, a module's countries beside the network's countries).
NETWORK_TABLES: tuple[tuple[str, ...], ...] = (
    ("organisation",),
    ("country",),
    ("organisation", "module"),
    ("organisation", "year"),
    ("organisation", "language"),
    ("country", "module"),
    ("country", "module", "city"),
)
# A filtered network page shows only these two, over the filtered deliveries.
FILTERED_TABLES: tuple[tuple[str, ...], ...] = (("organisation",), ("country",))


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    """Everyone signed in sees the whole network's deliveries, in aggregate; nobody else."""
    if not user.is_authenticated:
        return Delivery.objects.none()
    return Delivery.objects.all()


def module_reference(organisation_slug: str | None, slug: str) -> str:
    return f"{organisation_slug or STARTER}/{slug}"


def records(deliveries: QuerySet[Delivery]) -> list[Record]:
    """The deliveries as reach records: the delivered version's module reference, the
    organisation's slug, the country ("" online or unknown), the year held, the city."""
    rows = deliveries.values(
        "online",
        "country",
        "city",
        "held_on",
        "language",
        "participants",
        module_org=F("module_version__module__organisation__slug"),
        module_slug=F("module_version__module__slug"),
        organisation_slug=F("organisation__slug"),
    ).order_by()
    return [
        Record(
            module=module_reference(row["module_org"], row["module_slug"]),
            organisation=row["organisation_slug"],
            country="" if row["online"] else str(row["country"] or ""),
            year=row["held_on"].year,
            language=row["language"],
            participants=row["participants"],
            city="" if row["online"] else (row["city"] or "").strip(),
        )
        for row in rows
    ]


def network_tables(
    items: Sequence[Record], tables: Sequence[tuple[str, ...]] = NETWORK_TABLES
) -> dict[tuple[str, ...], Reach]:
    """The breakdowns of `items` (see NETWORK_TABLES), people counts published together."""
    return breakdowns(items, tables, K)


def filtered(
    deliveries: QuerySet[Delivery],
    *,
    year: int | None = None,
    language: str | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[Delivery]:
    if year is not None:
        deliveries = deliveries.filter(held_on__year=year)
    if language:
        deliveries = deliveries.filter(language=language)
    if organisation is not None:
        deliveries = deliveries.filter(organisation=organisation)
    return deliveries


def delivery_counts(items: Iterable[Record], dimension: str) -> list[tuple[str | int, int]]:
    """Deliveries (not people: they need no suppression) by one dimension, most first."""
    counts = Counter(getattr(item, dimension) for item in items)
    return sorted(counts.items(), key=lambda pair: (-pair[1], str(pair[0])))


# ---------------------------------------------------------------- organisations


@dataclass(frozen=True)
class Confidence:
    """Mean confidence gained (after − before, on 1–5) over every outcome answered in the
    feedback of an organisation's delivered sessions; None below k people."""

    people: int
    gain: float | None

    @property
    def shown(self) -> bool:
        return self.gain is not None


NO_CONFIDENCE = Confidence(0, None)


def confidence_gained(organisation_ids: Iterable[int], k: int = K) -> dict[int, Confidence]:
    """Per organisation, from the feedback on sessions that became its deliveries. Always over
    all of them (no filter), so that two views cannot be subtracted to single out one person;
    shown only once k different people answered."""
    answers = Feedback.objects.filter(
        session__delivery__organisation_id__in=list(organisation_ids)
    ).values_list("session__delivery__organisation_id", "person_id", "confidence")
    people: dict[int, set[int]] = defaultdict(set)
    gains: dict[int, list[int]] = defaultdict(list)
    for organisation_id, person_id, confidence in answers:
        people[organisation_id].add(person_id)
        for pair in confidence or ():
            if isinstance(pair, list | tuple) and len(pair) == 2:
                before, after = pair
                if isinstance(before, int) and isinstance(after, int):
                    gains[organisation_id].append(after - before)
    result = {}
    for organisation_id, who in people.items():
        pairs = gains[organisation_id]
        enough = len(who) >= k and pairs
        result[organisation_id] = Confidence(len(who), sum(pairs) / len(pairs) if enough else None)
    return result


def library_contributions(organisation_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """Per organisation: published modules of its own (`contributed`) and published adaptations
    or translations (`adapted`). Drafts are not counted: they are not in the library yet."""
    modules = Module.objects.filter(
        organisation__isnull=False, pk__in=ModuleVersion.objects.values("module_id")
    )
    if organisation_ids is not None:
        modules = modules.filter(organisation_id__in=list(organisation_ids))
    derived = Q(derived_from__isnull=False) | Q(translation_of__isnull=False)
    rows = (
        modules.values("organisation_id")
        .annotate(
            contributed=Count("pk", filter=~derived),
            adapted=Count("pk", filter=derived),
        )
        .order_by()
    )
    return {row["organisation_id"]: row for row in rows}


@dataclass(frozen=True)
class OrganisationReach:
    organisation: Organisation
    contributed: int
    adapted: int
    deliveries: int
    people: Published | None  # None: no delivery at all
    confidence: Confidence


def organisation_rows(
    by_organisation: Reach, organisation: Organisation | None = None
) -> list[OrganisationReach]:
    """The network page's table: every organisation with a delivery in `by_organisation` or a
    module in the library (only `organisation` when given), most deliveries first."""
    reached = {row.key[0]: row for row in by_organisation.rows}
    contributions = library_contributions([organisation.pk] if organisation else None)
    organisations = Organisation.objects.filter(
        Q(slug__in=list(reached)) | Q(pk__in=list(contributions))
    )
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    organisations = list(organisations)
    confidence = confidence_gained(o.pk for o in organisations)
    rows = []
    for o in organisations:
        row: Row | None = reached.get(o.slug)
        given = contributions.get(o.pk, {})
        rows.append(
            OrganisationReach(
                organisation=o,
                contributed=given.get("contributed", 0),
                adapted=given.get("adapted", 0),
                deliveries=row.deliveries if row else 0,
                people=row.participants if row else None,
                confidence=confidence.get(o.pk, NO_CONFIDENCE),
            )
        )
    rows.sort(key=lambda r: (-r.deliveries, -r.contributed - r.adapted, r.organisation.name))
    return rows


def modules_by_reference(references: Iterable[str]) -> dict[str, Module]:
    """The library modules behind reach keys ("organisation/slug")."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for reference in references:
        organisation, _, slug = reference.partition("/")
        wanted[organisation].add(slug)
    found = {}
    for organisation, slugs in wanted.items():
        modules = Module.objects.select_related("organisation").of_organisation(organisation)
        found.update((m.reference, m) for m in modules.filter(slug__in=slugs))
    return found
