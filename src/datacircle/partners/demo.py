"""Demo partners and allies: invented universities, a mapping community, a telecom business, a
statistics office and others, kept by Kenya, Senegal, Lebanon and Colombia, with contacts who
agreed to be contacted (invented people, example.org addresses) and engagements linked to the
Kenyan programme's sessions and to library modules.

Runs after the library and programme demos; whatever is missing (an organisation, the
programme) is skipped, so it also works on a partial demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from datacircle.accounts.models import Organisation, Person
from datacircle.library.models import Module
from datacircle.partners.models import Contact, Engagement, Partner
from datacircle.programme.models import Session
from datacircle.programme.sessions import local_day


@dataclass(frozen=True)
class DemoEngagement:
    kind: str
    title: str
    days_ago: int = 0  # ignored when linked to a session: the session's day is used
    description: str = ""
    session_skills: tuple[str, ...] = ()  # link to the first programme session on one of these
    module: str = ""  # slug of a starter module, or "adapted" for the organisation's own


@dataclass(frozen=True)
class DemoContact:
    name: str
    role: str
    email: str
    phone: str = ""
    consent_how: str = Contact.Consent.EMAIL


@dataclass(frozen=True)
class DemoPartner:
    organisation: str
    name: str
    kind: str
    country: str
    expertise: tuple[str, ...]
    website: str = ""
    agreement: tuple[int, int | None] | None = None  # days since signing, days until the end
    notes: str = ""
    contacts: tuple[DemoContact, ...] = ()
    engagements: tuple[DemoEngagement, ...] = field(default=())


PARTNERS: tuple[DemoPartner, ...] = (
    DemoPartner(
        "kenya-rc",
        "Savannah University Data Science Lab",
        Partner.Kind.UNIVERSITY,
        "KE",
        ("analysis", "statistics", "visualisation", "programming"),
        website="https://savannah-university.example.org/data-lab",
        agreement=(400, 330),
        notes=(
            "Memorandum of understanding for **guest talks** and *student placements*.\n\n"
            "- Masters students help branches analyse assessment data\n"
            "- Lecturers give one guest talk a quarter"
        ),
        contacts=(
            DemoContact("Amani Wekesa", "Lab director", "amani.wekesa@example.org"),
            DemoContact(
                "Joy Kiprotich",
                "Student placements officer",
                "placements@example.org",
                "+254 700 000 101",
                Contact.Consent.FORM,
            ),
        ),
        engagements=(
            DemoEngagement(
                Engagement.Kind.GUEST_TALK,
                "What a sample can and cannot tell you",
                session_skills=("analysis", "statistics", "visualisation"),
                description="A lecturer joins the session to answer questions on sampling.",
            ),
            DemoEngagement(
                Engagement.Kind.MENTORING,
                "Mentoring two branch officers on survey analysis",
                days_ago=90,
            ),
            DemoEngagement(
                Engagement.Kind.CONTENT,
                "Examples from branch reports for the adapted chart module",
                days_ago=40,
                module="adapted",
            ),
        ),
    ),
    DemoPartner(
        "kenya-rc",
        "Open Maps Collective",
        Partner.Kind.OTHER,
        "FR",
        ("gis", "open-data", "collection"),
        website="https://open-maps-collective.example.org",
        notes="A volunteer mapping community; they run remote mapathons with our branches.",
        contacts=(
            DemoContact("Lucie Marchand", "Community coordinator", "lucie.marchand@example.org"),
        ),
        engagements=(
            DemoEngagement(
                Engagement.Kind.JOINT_EVENT,
                "Mapathon for the Garissa branch",
                days_ago=45,
                module="reading-a-map-of-needs",
            ),
            DemoEngagement(
                Engagement.Kind.CONTENT,
                "Base maps for the map-reading exercise",
                days_ago=120,
                module="reading-a-map-of-needs",
            ),
        ),
    ),
    DemoPartner(
        "kenya-rc",
        "Kilele Mobile",
        Partner.Kind.BUSINESS,
        "KE",
        ("data-protection", "databases", "dashboards"),
        website="https://kilele-mobile.example.org",
        agreement=(380, -15),
        notes="Telecom company; the data-for-good agreement ended and is being renewed.",
        contacts=(
            DemoContact(
                "Faith Njoroge",
                "Head of data partnerships",
                "faith.njoroge@example.org",
                "+254 700 000 123",
            ),
        ),
        engagements=(
            DemoEngagement(
                Engagement.Kind.GUEST_TALK,
                "How a telecom keeps customer data safe",
                session_skills=("data-protection", "data-management"),
            ),
            DemoEngagement(
                Engagement.Kind.MENTORING,
                "Dashboard clinic for the information management unit",
                days_ago=200,
                module="designing-with-data-protection",
            ),
        ),
    ),
    DemoPartner(
        "kenya-rc",
        "Savannah National Statistics Office",
        Partner.Kind.GOVERNMENT,
        "KE",
        ("statistics", "open-data", "data-management"),
        website="https://statistics.savannah.example.org",
        agreement=(700, None),
        notes="Shares census and household survey tables; their staff speak at our sessions.",
        contacts=(
            DemoContact(
                "Peter Mutua",
                "Dissemination officer",
                "peter.mutua@example.org",
                consent_how=Contact.Consent.VERBAL,
            ),
        ),
        engagements=(
            DemoEngagement(
                Engagement.Kind.GUEST_TALK,
                "Finding official figures for your branch",
                session_skills=("data-literacy", "spreadsheets", "information-products"),
            ),
            DemoEngagement(
                Engagement.Kind.JOINT_EVENT,
                "Open Data Day with the statistics office",
                days_ago=260,
            ),
        ),
    ),
    DemoPartner(
        "kenya-rc",
        "Nairobi Civic Data Meetup",
        Partner.Kind.OTHER,
        "KE",
        ("programming", "visualisation", "dashboards"),
        notes="Monthly meetup of volunteers who code; informal.",
        engagements=(
            DemoEngagement(
                Engagement.Kind.MENTORING,
                "Pairing volunteers with coders for a first dashboard",
                days_ago=30,
            ),
        ),
    ),
    DemoPartner(
        "senegal-rc",
        "Université du Cap-Vert – Laboratoire de données",
        Partner.Kind.UNIVERSITY,
        "SN",
        ("analysis", "statistics", "data-literacy"),
        website="https://universite-cap-vert.example.org/donnees",
        agreement=(250, 480),
        notes="Convention pour des **conférences** et des stages d'étudiants.",
        contacts=(
            DemoContact("Mariama Faye", "Responsable du laboratoire", "mariama.faye@example.org"),
        ),
        engagements=(
            DemoEngagement(
                Engagement.Kind.CONTENT,
                "Relecture du module sur les produits d'information",
                days_ago=75,
                module="questions-avant-produit-information",
            ),
            DemoEngagement(
                Engagement.Kind.JOINT_EVENT,
                "Journée des données ouvertes à Dakar",
                days_ago=150,
            ),
        ),
    ),
    DemoPartner(
        "senegal-rc",
        "Collectif Carto Libre Dakar",
        Partner.Kind.OTHER,
        "SN",
        ("gis", "collection"),
        engagements=(
            DemoEngagement(
                Engagement.Kind.MENTORING,
                "Accompagnement des volontaires pour la cartographie des quartiers",
                days_ago=60,
                module="reading-a-map-of-needs",
            ),
        ),
    ),
    DemoPartner(
        "senegal-rc",
        "Baobab Analytique",
        Partner.Kind.BUSINESS,
        "SN",
        ("dashboards", "spreadsheets"),
        contacts=(
            DemoContact(
                "Cheikh Sarr",
                "Directeur",
                "cheikh.sarr@example.org",
                "+221 70 000 00 12",
                Contact.Consent.FORM,
            ),
        ),
    ),
    DemoPartner(
        "lebanese-rc",
        "Cedar Coast University – Applied Statistics Centre",
        Partner.Kind.UNIVERSITY,
        "LB",
        ("statistics", "analysis", "cleaning"),
        website="https://cedar-coast-university.example.org/statistics",
        agreement=(120, 610),
        contacts=(DemoContact("Rania Haddad", "Associate professor", "rania.haddad@example.org"),),
        engagements=(
            DemoEngagement(
                Engagement.Kind.CONTENT,
                "Arabic examples for the data protection module",
                days_ago=100,
                module="designing-with-data-protection-ar",
            ),
        ),
    ),
    DemoPartner(
        "lebanese-rc",
        "Levant Humanitarian Data Forum",
        Partner.Kind.HUMANITARIAN,
        "LB",
        ("data-protection", "data-management", "information-products"),
        engagements=(
            DemoEngagement(
                Engagement.Kind.JOINT_EVENT,
                "Responsible data workshop with NGOs in Beirut",
                days_ago=180,
                module="mapping-a-data-flow",
            ),
        ),
    ),
    DemoPartner(
        "colombian-rc",
        "Universidad Andina del Valle – Semillero de Datos",
        Partner.Kind.UNIVERSITY,
        "CO",
        ("visualisation", "storytelling"),
        agreement=(60, 670),
        contacts=(
            DemoContact("Camila Rojas", "Coordinadora del semillero", "camila.rojas@example.org"),
        ),
        engagements=(
            DemoEngagement(
                Engagement.Kind.GUEST_TALK,
                "Contar una historia con un solo gráfico",
                days_ago=20,
                module="one-chart-one-message",
            ),
        ),
    ),
)


def _session(organisation: Organisation, skills: tuple[str, ...], taken: set[int]):
    """The first programme session of `organisation` on one of `skills` (else its first),
    not yet given to another engagement."""
    sessions = [
        s
        for s in Session.objects.filter(organisation=organisation, programme__isnull=False)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("module_version__module", "programme")
        .order_by("starts_at", "pk")
        if s.pk not in taken
    ]
    for session in sessions:
        if set(session.module_version.module.skills) & set(skills):
            return session
    return sessions[0] if sessions else None


def _module(organisation: Organisation, slug: str) -> Module | None:
    if slug == "adapted":
        return (
            Module.objects.filter(organisation=organisation, status=Module.Status.PUBLISHED)
            .order_by("pk")
            .first()
        )
    return Module.objects.filter(organisation__isnull=True, slug=slug).first()


@transaction.atomic
def load_demo(seed: int = 2026) -> dict:
    rng = random.Random(seed)  # noqa: S311 (invented dates for a demo, not secrets)
    today = timezone.localdate()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    counts = {"partners": 0, "contacts": 0, "engagements": 0}
    taken: set[int] = set()
    for demo in PARTNERS:
        organisation = organisations.get(demo.organisation)
        if organisation is None:
            continue
        keeper = (
            Person.objects.filter(organisation=organisation, role=Person.Role.COORDINATOR)
            .order_by("pk")
            .first()
        )
        signed = ends = None
        if demo.agreement:
            since, until = demo.agreement
            signed = today - timedelta(days=since + rng.randint(0, 6))
            ends = today + timedelta(days=until) if until is not None else None
        partner = Partner(
            organisation=organisation,
            name=demo.name,
            kind=demo.kind,
            country=demo.country,
            website=demo.website,
            relationship=Partner.Relationship.FORMAL
            if demo.agreement
            else Partner.Relationship.INFORMAL,
            agreement_signed_on=signed,
            agreement_ends_on=ends,
            expertise=list(demo.expertise),
            notes=demo.notes,
        )
        partner.full_clean()
        partner.save()
        counts["partners"] += 1
        for contact in demo.contacts:
            Contact.objects.create(
                partner=partner,
                name=contact.name,
                role=contact.role,
                email=contact.email,
                phone=contact.phone,
                consent_on=today - timedelta(days=rng.randint(10, 300)),
                consent_how=contact.consent_how,
                recorded_by=keeper,
            )
            counts["contacts"] += 1
        for item in demo.engagements:
            session = (
                _session(organisation, item.session_skills, taken) if item.session_skills else None
            )
            if item.session_skills and session is None:
                continue  # no programme: a guest talk at a session that does not exist
            if session is not None:
                taken.add(session.pk)
            Engagement.objects.create(
                partner=partner,
                kind=item.kind,
                title=item.title,
                description=item.description,
                happened_on=local_day(session)
                if session
                else today - timedelta(days=item.days_ago + rng.randint(0, 6)),
                session=session,
                module=_module(organisation, item.module) if item.module else None,
                recorded_by=keeper,
            )
            counts["engagements"] += 1
    return counts
