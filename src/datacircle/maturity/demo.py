"""Demo maturity scans: Kenya a year apart (the later one still open, so the demo logins can
answer it), answered by about 25 colleagues across several units, and one scan in each of
seven other National Societies, so that Kenya's results show the benchmark against peers.

Answers are invented but deterministic for a seed: each organisation has a level per dimension,
and each respondent answers near it. People with a demo login are left out so that they can
take the scan themselves.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from datacircle.accounts.models import Organisation, Person
from datacircle.core import maturity as core
from datacircle.maturity import services
from datacircle.maturity.models import Scan, ScanResponse

# (organisation, title, opens, closes, status, respondents, level shift)
KENYA_SCANS = (
    ("kenya-rc", "Maturity quick scan 2025", date(2025, 4, 7), date(2025, 5, 2), "closed", 22, 0.0),
    ("kenya-rc", "Maturity quick scan 2026", date(2026, 4, 6), None, "open", 25, 0.45),
)
PEER_SCANS = (
    ("senegal-rc", "Scan de maturité 2026", 8),
    ("lebanese-rc", "Maturity quick scan 2026", 9),
    ("jordan-rc", "Maturity quick scan 2026", 6),
    ("moroccan-rc", "Scan de maturité 2026", 7),
    ("colombian-rc", "Escaneo de madurez 2026", 10),
    ("philippine-rc", "Maturity quick scan 2026", 9),
    ("bangladesh-rc", "Maturity quick scan 2026", 6),
)
UNITS_PER_ORGANISATION = 4
SKIP_SHARE = 0.06  # "I don't know"


def _levels(q: core.Questionnaire, rng: random.Random, base: float) -> dict[str, float]:
    return {d.id: min(4.6, max(1.2, base + rng.uniform(-0.9, 0.9))) for d in q.dimensions}


def _answers(q, levels, rng: random.Random) -> tuple[dict[str, int], dict[str, int]]:
    answers, targets = {}, {}
    for d in q.dimensions:
        wanted = levels[d.id] + rng.gauss(0, 0.7)
        for question in d.questions:
            if rng.random() < SKIP_SHARE:
                continue
            value = wanted + rng.gauss(0, 0.5)
            offered = [a.score for a in question.answers]
            answers[question.id] = min(offered, key=lambda s: (abs(s - value), s))
        if rng.random() < 0.9:
            targets[d.id] = max(1, min(5, round(levels[d.id] + rng.uniform(0.8, 2.0))))
    return answers, targets


def _respondents(organisation: Organisation, count: int, rng: random.Random) -> list[Person]:
    """`count` people without a login, from a few of the organisation's units."""
    by_unit: dict[int, list[Person]] = defaultdict(list)
    people = (
        Person.objects.filter(organisation=organisation, user__isnull=True, unit__isnull=False)
        .select_related("unit")
        .order_by("external_key", "pk")
    )
    for person in people:
        by_unit[person.unit_id].append(person)
    units = sorted((u for u, members in by_unit.items() if len(members) >= 3), key=str)
    units = sorted(units, key=lambda u: -len(by_unit[u]))[:UNITS_PER_ORGANISATION]
    chosen: list[Person] = []
    for index in range(count):
        if not units:
            break
        pool = by_unit[units[index % len(units)]]
        left = [p for p in pool if p not in chosen]
        if left:
            chosen.append(rng.choice(left))
    return chosen


def _scan(organisation, title, opens, closes, status, questionnaire) -> Scan | None:
    if Scan.objects.filter(organisation=organisation, title=title).exists():
        return None
    return Scan.objects.create(
        organisation=organisation,
        title=title,
        questionnaire=questionnaire,
        opens_on=opens,
        closes_on=closes,
        status=status,
    )


def _answer(scan: Scan, people, q, levels, rng: random.Random) -> int:
    rows = []
    for person in people:
        answers, targets = _answers(q, levels, rng)
        when = datetime.combine(
            scan.opens_on + timedelta(days=rng.randint(0, 20)), time(9), tzinfo=UTC
        ) + timedelta(minutes=rng.randint(0, 480))
        rows.append(
            ScanResponse(
                scan=scan,
                person=person,
                unit_id=person.unit_id,
                answers=answers,
                targets=targets,
                submitted_at=when,
            )
        )
    ScanResponse.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def load_demo(seed: int = 2026) -> dict:
    """Create the demo scans with their answers; organisations missing from the database are
    skipped. Returns counts for the demo summary."""
    rng = random.Random(seed)  # noqa: S311 (invented demo answers, not secrets)
    questionnaire = services.load_builtin_questionnaire()
    q = questionnaire.parsed()
    made = {"scans": 0, "responses": 0, "organisations": set()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    kenya = organisations.get("kenya-rc")
    if kenya is not None:
        levels = _levels(q, rng, 2.3)
        for _slug, title, opens, closes, status, count, shift in KENYA_SCANS:
            scan = _scan(kenya, title, opens, closes, status, questionnaire)
            if scan is None:
                continue
            shifted = {d: min(5.0, v + shift) for d, v in levels.items()}
            people = _respondents(kenya, count, rng)
            made["responses"] += _answer(scan, people, q, shifted, rng)
            made["scans"] += 1
            made["organisations"].add(kenya.slug)
    for slug, title, count in PEER_SCANS:
        organisation = organisations.get(slug)
        if organisation is None:
            continue
        scan = _scan(
            organisation, title, date(2026, 3, 2), date(2026, 4, 30), "closed", questionnaire
        )
        if scan is None:
            continue
        levels = _levels(q, rng, rng.uniform(1.8, 3.4))
        people = _respondents(organisation, count, rng)
        made["responses"] += _answer(scan, people, q, levels, rng)
        made["scans"] += 1
        made["organisations"].add(slug)
    made["organisations"] = len(made["organisations"])
    return made
