"""Workflows of the maturity scan: questionnaire versions, responses, and results (load the
responses, hand them to datacircle.core.maturity, put back the names people read).

Results are always computed with the scan's own questionnaire version, so editing the
questionnaire later never changes what an older scan says.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from datacircle.accounts.models import Organisation, Person, Unit
from datacircle.core import maturity as core
from datacircle.core.suppression import Line, Published, Status, SuppressionError, publish
from datacircle.maturity.models import MIN_RESPONDENTS, Questionnaire, Scan, ScanResponse
from datacircle.web import localised

ALL = "all"
NO_UNIT = "none"


# Questionnaire versions


def load_builtin_questionnaire() -> Questionnaire:
    """The built-in questionnaire's row for this release; safe to run at every start. A new
    release with a higher version adds a row; rows already written never change."""
    builtin = core.builtin()
    row = Questionnaire.objects.filter(organisation__isnull=True, version=builtin.version).first()
    if row is None:
        row = Questionnaire.objects.create(
            organisation=None, version=builtin.version, content=builtin.to_data()
        )
    return row


def current_questionnaire(organisation: Organisation | None) -> Questionnaire:
    """The version new scans of `organisation` use: its own latest copy, else the built-in."""
    if organisation is not None:
        own = Questionnaire.objects.filter(organisation=organisation).order_by("-version").first()
        if own is not None:
            return own
    builtin = Questionnaire.objects.filter(organisation__isnull=True).order_by("-version").first()
    return builtin or load_builtin_questionnaire()


def versions_of(organisation: Organisation) -> list[Questionnaire]:
    """The organisation's own versions, newest first, then the built-in ones."""
    return list(
        Questionnaire.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .select_related("organisation", "created_by")
        .order_by("organisation_id", "-version")
    )


def skill_codes(organisation: Organisation) -> tuple[str, ...]:
    from datacircle.scoping.services import taxonomy_for

    return taxonomy_for(organisation).codes


def check_text(organisation: Organisation, text: str) -> core.Questionnaire:
    """The questionnaire in `text`, or core.QuestionnaireError listing every problem."""
    return core.parse_text(text, skill_codes=skill_codes(organisation))


@transaction.atomic
def save_questionnaire(organisation: Organisation, text: str, person: Person | None):
    """Save `text` as the organisation's next version (the version number in the text is
    replaced by the next free one). Raises core.QuestionnaireError with every problem."""
    parsed = check_text(organisation, text)
    # Lock the organisation row so that two coordinators saving at once get two versions.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    highest = Questionnaire.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True)
    ).aggregate(top=Max("version"))["top"]
    number = (highest or 0) + 1
    parsed = dataclasses.replace(parsed, version=number)
    return Questionnaire.objects.create(
        organisation=organisation, version=number, content=parsed.to_data(), created_by=person
    )


# Scans and responses


@transaction.atomic
def start_scan(organisation: Organisation, person: Person | None, **fields) -> Scan:
    return Scan.objects.create(
        organisation=organisation,
        questionnaire=current_questionnaire(organisation),
        created_by=person,
        **fields,
    )


class ScanClosed(Exception):
    """The scan no longer takes answers."""


@transaction.atomic
def submit(scan: Scan, person: Person, answers: dict[str, int], targets: dict[str, int]):
    """Save `person`'s answers, replacing their earlier ones; only while the scan is open.
    Raises ValueError with the problems when the answers do not fit the scan's questionnaire."""
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
    if not scan.is_open:
        raise ScanClosed(scan.title)
    problems = core.validate_response(scan.questionnaire.parsed(), answers, targets)
    if problems:
        raise ValueError("; ".join(problems))
    response, _created = ScanResponse.objects.update_or_create(
        scan=scan,
        person=person,
        defaults={
            "unit_id": person.unit_id if person.unit_id else None,
            "answers": dict(answers),
            "targets": dict(targets),
            "submitted_at": timezone.now(),
        },
    )
    return response


def respondent_counts(scans) -> dict[int, int]:
    counts = Counter(ScanResponse.objects.filter(scan__in=scans).values_list("scan_id", flat=True))
    return dict(counts)


def shown_count(count: int) -> str:
    """A respondent count on its own: exact from MIN_RESPONDENTS up, "<3" below."""
    return str(count) if count >= MIN_RESPONDENTS else f"<{MIN_RESPONDENTS}"


# Results


@dataclass(frozen=True)
class UnitChoice:
    key: str  # unit pk as text
    name: str
    respondents: Published


@dataclass
class Results:
    scan: Scan
    questionnaire: core.Questionnaire  # the scan's version, in the reader's language
    unit: Unit | None
    respondents: Published
    enough: bool  # at least MIN_RESPONDENTS in the selection: results may show
    units: list[UnitChoice] = field(default_factory=list)  # units whose results may show
    small_units: int = 0  # units with answers but too few to show on their own
    combined: dict[str, core.Combined] = field(default_factory=dict)
    strengths: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)
    benchmark: dict[str, core.Benchmark] | None = None
    peers: int = 0  # peer organisations with a comparable scan
    trend: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)
    trend_labels: list[str] = field(default_factory=list)
    steps: list[core.Step] = field(default_factory=list)
    module_ids: dict[str, int] = field(default_factory=dict)  # module reference -> pk
    demand_display: dict[str, str] = field(default_factory=dict)  # skill -> shown count

    def means(self) -> dict[str, float | None]:
        return {d: c.mean for d, c in self.combined.items()}

    def targets(self) -> dict[str, float | None]:
        return {d: c.target for d, c in self.combined.items()}

    def peer_medians(self) -> dict[str, float | None] | None:
        if not self.benchmark:
            return None
        return {d: (b.median if b else None) for d, b in self.benchmark.items()}


def _responses(scan: Scan, unit: Unit | None = None) -> list[core.Response]:
    rows = ScanResponse.objects.filter(scan=scan)
    if unit is not None:
        rows = rows.filter(unit=unit)
    return [r.as_core() for r in rows.order_by("pk")]


def published_counts(scan: Scan) -> tuple[Published, dict[int, Published], dict[int, int]]:
    """Respondents of the whole scan and per unit, published with the small-cell rule
    (k = MIN_RESPONDENTS), and the raw counts per unit id, None for people without a unit
    (raw counts decide which results show; only published ones are displayed)."""
    per_unit = Counter(
        ScanResponse.objects.filter(scan=scan).values_list("unit_id", flat=True).order_by()
    )
    counts: dict[tuple, int] = {(ALL,): sum(per_unit.values())}
    parts = []
    for unit_id, n in per_unit.items():
        key = ("unit", unit_id if unit_id is not None else NO_UNIT)
        counts[key] = n
        parts.append(key)
    try:
        published = publish(counts, [Line((ALL,), tuple(parts))], k=MIN_RESPONDENTS)
    except SuppressionError:
        # Statuses alone would give a count away (e.g. 2 split into two "<3"): show none.
        published = {
            key: Published(None, Status.HIDDEN if n >= MIN_RESPONDENTS else Status.SMALL, 3)
            for key, n in counts.items()
        }
    units = {unit_id: published[("unit", unit_id)] for unit_id in per_unit if unit_id is not None}
    return published[(ALL,)], units, dict(per_unit)


def combined_means(scan: Scan, questionnaire: core.Questionnaire | None = None, unit=None):
    """Mean score per dimension of the scan's respondents (None without enough of them)."""
    responses = _responses(scan, unit)
    if len(responses) < MIN_RESPONDENTS:
        return None
    q = questionnaire or scan.questionnaire.parsed()
    return {d: c.mean for d, c in core.combine(q, responses).items()}


def peer_means(scan: Scan, q: core.Questionnaire) -> list[dict[str, float | None]]:
    """For each other organisation, the combined means of its latest scan on a questionnaire
    with the same dimensions (only scans with at least MIN_RESPONDENTS respondents count)."""
    wanted = {d.id for d in q.dimensions}
    candidates = (
        Scan.objects.exclude(organisation_id=scan.organisation_id)
        .filter(responses__isnull=False)
        .distinct()
        .select_related("questionnaire")
        .order_by("organisation_id", "-opens_on", "-pk")
    )
    parsed: dict[int, core.Questionnaire] = {}
    done: set[int] = set()
    found = []
    for candidate in candidates:
        if candidate.organisation_id in done:
            continue
        if candidate.questionnaire_id not in parsed:
            parsed[candidate.questionnaire_id] = candidate.questionnaire.parsed()
        their = parsed[candidate.questionnaire_id]
        if {d.id for d in their.dimensions} != wanted:
            continue
        means = combined_means(candidate, their)
        if means is None:
            continue
        done.add(candidate.organisation_id)
        found.append(means)
    return found


def trend_for(scan: Scan, q: core.Questionnaire, unit: Unit | None):
    """Means per dimension across the organisation's scans up to this one, oldest first."""
    earlier = (
        Scan.objects.filter(organisation_id=scan.organisation_id)
        .filter(Q(opens_on__lt=scan.opens_on) | Q(opens_on=scan.opens_on, pk__lte=scan.pk))
        .select_related("questionnaire")
        .order_by("opens_on", "pk")
    )
    rounds = []
    for other in earlier:
        their = q if other.pk == scan.pk else other.questionnaire.parsed()
        means = combined_means(other, their, unit)
        if means is not None:
            rounds.append((other.title, their, means))
    if len(rounds) < 2:
        return [], {}
    return [label for label, _q, _m in rounds], core.trend(q, rounds)


def demand_for(organisation: Organisation) -> tuple[dict[str, int], dict[str, str]]:
    """People who want to learn each skill, with the count as it may be shown: from the
    organisation's latest scoping round with answers, else from learning profiles."""
    from datacircle.scoping.models import Round
    from datacircle.scoping.services import analysis_for

    latest = (
        Round.objects.filter(organisation=organisation, responses__isnull=False)
        .distinct()
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None:
        try:
            analysis = analysis_for(latest)
        except SuppressionError:
            analysis = None
        if analysis is not None:
            return (
                {s.code: s.demand.value for s in analysis.skills if s.demand.shown},
                {s.code: s.demand.display for s in analysis.skills},
            )
    from datacircle.peers.models import Profile

    counts: Counter[str] = Counter()
    for wants in Profile.objects.filter(person__organisation=organisation).values_list(
        "wants", flat=True
    ):
        counts.update(list(wants or {}))
    k = 5
    return (
        {code: n for code, n in counts.items() if n >= k},
        {code: (str(n) if n >= k else f"<{k}") for code, n in counts.items()},
    )


def library_modules() -> tuple[list[core.ModuleRef], dict[str, int]]:
    """Published modules of the library (everyone signed in may read them) for next steps."""
    from datacircle.library.models import Module, ModuleVersion

    rows = (
        Module.objects.filter(
            Q(status=Module.Status.PUBLISHED) | Q(pk__in=ModuleVersion.objects.values("module_id"))
        )
        .select_related("organisation")
        .order_by("pk")
    )
    refs, ids = [], {}
    for m in rows:
        refs.append(core.ModuleRef(m.reference, m.title, tuple(m.skills or ()), m.language))
        ids[m.reference] = m.pk
    return refs, ids


def results(scan: Scan, unit: Unit | None = None, language: str = "en") -> Results:
    """Everything the results page and the exports show for `scan` (or one of its units), with
    the questionnaire's texts in `language` (English where a text has none). A questionnaire in
    another language has the same ids and scores, so the figures are the same in every one."""
    q = scan.questionnaire.shown(language)
    total, per_unit, raw = published_counts(scan)
    names = dict(Unit.objects.filter(pk__in=per_unit).values_list("pk", "name"))
    units = sorted(
        (
            UnitChoice(str(pk), names.get(pk, "?"), per_unit[pk])
            for pk, n in raw.items()
            if pk is not None and n >= MIN_RESPONDENTS
        ),
        key=lambda u: u.name.casefold(),
    )
    small_units = sum(1 for pk, n in raw.items() if pk is not None and n < MIN_RESPONDENTS)
    if unit is not None:
        count = raw.get(unit.pk, 0)
        respondents = per_unit.get(unit.pk, Published(None, Status.SMALL, MIN_RESPONDENTS))
    else:
        count = sum(raw.values())
        respondents = total
    found = Results(
        scan=scan,
        questionnaire=q,
        unit=unit,
        respondents=respondents,
        enough=count >= MIN_RESPONDENTS,
        units=units,
        small_units=small_units,
    )
    if not found.enough:
        return found
    found.combined = core.combine(q, _responses(scan, unit))
    found.strengths, found.weaknesses = core.strengths_and_weaknesses(q, found.combined)
    if unit is None:
        peers = peer_means(scan, q)
        found.peers = len(peers)
        found.benchmark = core.benchmark(q, found.means(), peers)
    found.trend_labels, found.trend = trend_for(scan, q, unit)
    demand, found.demand_display = demand_for(scan.organisation)
    modules, found.module_ids = library_modules()
    found.steps = core.next_steps(q, found.weaknesses, demand, modules, language)
    return found


def radar_svg(found: Results, *, rtl: bool = False) -> str:
    series = [
        (_("Now"), found.means(), "current"),
        (_("In two years (target)"), found.targets(), "target"),
    ]
    peers = found.peer_medians()
    if peers:
        series.append((_("Peers (median)"), peers, "peers"))
    where = found.unit.name if found.unit else found.scan.organisation.name
    return core.radar(
        found.questionnaire,
        series,
        title=_("Maturity per dimension: %(where)s, %(scan)s")
        % {"where": where, "scan": found.scan.title},
        rtl=rtl,
        score_text=localised.figure,
        separators=(
            localised.own_format("LIST_SEPARATOR"),
            localised.own_format("GROUP_SEPARATOR"),
        ),
    )
