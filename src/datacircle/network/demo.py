"""Demo reach: deliveries of published library modules across the demo network in 2025 and 2026,
recorded by hand, and a few sessions held in Kenya and Senegal with attendance and feedback, so
that the network pages show a map, small counts and the confidence participants gained.

The same seed gives the same deliveries; a database that already holds deliveries is left as it
is (loading twice adds nothing).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from datacircle.accounts.models import Organisation, Person
from datacircle.core.demo import reference
from datacircle.library.models import ModuleVersion
from datacircle.programme import sessions
from datacircle.programme.models import Delivery, Feedback, Session

FIRST_DAY = date(2025, 1, 13)
LAST_DAY = date(2026, 10, 30)

CITIES = {
    "KE": ["Nairobi", "Mombasa", "Kisumu", "Garissa", "Nakuru"],
    "SN": ["Dakar", "Thiès", "Saint-Louis", "Ziguinchor"],
    "LB": ["Beirut", "Tripoli", "Saida", "Zahle"],
    "JO": ["Amman", "Irbid", "Zarqa"],
    "MA": ["Rabat", "Casablanca", "Marrakech", "Fès"],
    "CO": ["Bogotá", "Medellín", "Cali", "Riohacha"],
    "HT": ["Port-au-Prince", "Cap-Haïtien", "Les Cayes"],
    "PH": ["Manila", "Cebu", "Davao", "Iloilo"],
    "BD": ["Dhaka", "Cox's Bazar", "Sylhet"],
    "ES": ["Madrid", "Sevilla", "Málaga"],
    "PA": ["Panamá"],
    "MY": ["Kuala Lumpur"],
    "HU": ["Budapest"],
    "CH": ["Geneva"],
    "FR": ["Paris", "Lyon"],
}
# Where offices that serve several countries run sessions (their own country first).
COUNTRIES = {
    "ro-africa": ["KE", "SN"],
    "ro-mena": ["LB", "JO", "MA"],
    "ro-americas": ["PA", "CO", "HT"],
    "ro-asia-pacific": ["MY", "PH", "BD"],
    "ro-europe": ["HU", "ES"],
    "open-maps-collective": ["FR", "SN", "HT"],
}
# How many deliveries an organisation of each kind records, at least and at most, before the
# bonus of larger National Societies (their share of the demo's people).
DELIVERIES = {
    Organisation.Kind.NATIONAL_SOCIETY: (3, 8),
    Organisation.Kind.REGIONAL_OFFICE: (2, 5),
    Organisation.Kind.PARTNER: (1, 4),
    Organisation.Kind.SECRETARIAT: (1, 3),
}
ONLINE = 0.1
SMALL_SESSIONS = 0.12
# Held sessions with feedback: (organisation, first member, people registered, came, answered).
# Kenya's two sessions give 8 different people's answers (enough to show the confidence
# gained); Senegal's three answers stay too few to show.
HELD = (("kenya-rc", 0, 8, 7, 5), ("kenya-rc", 4, 6, 5, 4), ("senegal-rc", 0, 5, 4, 3))


def _reference(organisation: Organisation):
    return next((o for o in reference().organisations if o.key == organisation.slug), None)


def _languages(organisation: Organisation) -> list[str]:
    demo = _reference(organisation)
    return list(demo.languages) if demo else ["en"]


def _how_many(rng, organisation: Organisation) -> int:
    low, high = DELIVERIES.get(organisation.kind, (1, 3))
    demo = _reference(organisation)
    bonus = round(demo.share) if demo and demo.kind == "national_society" else 0
    return rng.randint(low, high) + bonus


def _versions() -> list[ModuleVersion]:
    """The latest published version of every module, starter library first."""
    latest = {}
    for version in ModuleVersion.objects.select_related("module__organisation").order_by(
        "module_id", "number"
    ):
        latest[version.module_id] = version
    return sorted(
        latest.values(),
        key=lambda v: (v.module.organisation_id is not None, v.module.reference),
    )


def _pick_version(rng, versions, organisation, language) -> ModuleVersion:
    usable = [
        v
        for v in versions
        if v.module.organisation_id in (None, organisation.pk) and v.module.language == language
    ] or [v for v in versions if v.module.organisation_id is None and v.module.language == "en"]
    # An organisation runs its own adaptations more than anything else.
    weights = [4 if v.module.organisation_id == organisation.pk else 1 for v in usable]
    return rng.choices(usable, weights=weights)[0]


def _participants(rng) -> int:
    # Some sessions are tiny (a branch's three volunteers): the pages then show "<5".
    if rng.random() < SMALL_SESSIONS:
        return rng.randint(3, 4)
    return max(5, min(30, round(rng.triangular(5, 30, 14))))


def _recorder(organisation: Organisation) -> Person | None:
    return (
        Person.objects.filter(organisation=organisation, role__in=["coordinator", "facilitator"])
        .order_by("role", "pk")
        .first()
    )


def _record(rng, versions, organisation) -> list[Delivery]:
    languages = _languages(organisation)
    countries = COUNTRIES.get(organisation.slug, [str(organisation.country)])
    recorder = _recorder(organisation)
    made = []
    for _ in range(_how_many(rng, organisation)):
        language = rng.choices(languages, weights=[6] + [2] * (len(languages) - 1))[0]
        country = rng.choice(countries)
        online = rng.random() < ONLINE
        made.append(
            Delivery(
                module_version=_pick_version(rng, versions, organisation, language),
                organisation=organisation,
                held_on=FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days)),
                online=online,
                city="" if online else rng.choice(CITIES.get(country, [""])),
                country="" if online else country,
                language=language,
                participants=_participants(rng),
                recorded_by=recorder,
            )
        )
    return made


def _hold(rng, versions, slug, first, registered, came, answered, when) -> int:
    """A session that took place: registrations, attendance, held, feedback. Returns answers."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return 0
    coordinator = Person.objects.filter(organisation=organisation, role="coordinator").first()
    people = list(
        Person.objects.filter(organisation=organisation, role="member").order_by("pk")[
            first : first + registered
        ]
    )
    if coordinator is None or len(people) < came:
        return 0
    language = _languages(organisation)[0]
    version = _pick_version(rng, versions, organisation, language)
    city = CITIES.get(str(organisation.country), [""])[0]
    session = Session.objects.create(
        organisation=organisation,
        module_version=version,
        starts_at=timezone.now() + timedelta(days=1),
        minutes=60,
        city=city,
        country=organisation.country,
        language=language,
        capacity=registered,
        status=Session.Status.SCHEDULED,
    )
    session.facilitators.add(coordinator)
    for person in people:
        sessions.register(session, person)
    # Registration closes when a session starts: people registered before it took place.
    Session.objects.filter(pk=session.pk).update(starts_at=when)
    session.refresh_from_db()
    sessions.mark_attendance(session, {p.pk: i < came for i, p in enumerate(people)}, coordinator)
    sessions.mark_held(session, coordinator)
    outcomes = len(sessions.outcomes_of(session))
    for person in people[:answered]:
        pairs = []
        for _ in range(outcomes):
            before = rng.randint(1, 3)
            pairs.append((before, min(5, before + rng.randint(0, 2))))
        sessions.give_feedback(session, person, pairs, rng.randint(3, 5))
    return answered


def summary() -> dict:
    deliveries = Delivery.objects.all()
    return {
        "deliveries": deliveries.count(),
        "countries": deliveries.exclude(country="").values("country").distinct().count(),
        "organisations": deliveries.values("organisation").distinct().count(),
        "feedback": Feedback.objects.count(),
    }


@transaction.atomic
def load_demo(seed: int = 2026) -> dict:
    """Deliveries across the network and a few held sessions; a summary of what is there."""
    if Delivery.objects.exists():
        return summary()
    versions = _versions()
    if not versions:
        return summary()
    rng = random.Random(seed)  # noqa: S311 (invented deliveries for a demo, not secrets)
    made = []
    for organisation in Organisation.objects.order_by("slug"):
        made.extend(_record(rng, versions, organisation))
    Delivery.objects.bulk_create(made)
    for index, held in enumerate(HELD):
        when = datetime(2026, 9, 8 + 7 * index, 7, 0, tzinfo=UTC)
        _hold(rng, versions, *held, when)
    return summary()
