"""A catalogue with something in it: the starter library, a Kenyan adaptation published twice
with a newer draft on top, a module pulled from a peer, deliveries, a session with feedback,
and a Kenyan API token."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

ADAPTED = "one-chart-one-message-short"  # the slug Kenya's adaptation keeps
DRAFT_TITLE = "Unpublished working title that must not leak"
FEEDBACK_COMMENT = "Wanjiru found the blood drive example confusing"


@pytest.fixture
def starter(db):
    from datacircle.library.services import load_starter_library

    return load_starter_library()


@pytest.fixture
def facilitator(network):
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person
    from tests.conftest import PASSWORD

    return Person.objects.create(
        organisation=network["kenya"],
        unit=network["kenyan"].unit,
        given_name="Baraka",
        family_name="Mwangi",
        email="baraka@example.org",
        kind="staff",
        role="facilitator",
        languages=["en"],
        timezone="Africa/Nairobi",
        user=get_user_model().objects.create_user("baraka", password=PASSWORD),
    )


@pytest.fixture
def adapted(network, starter, facilitator):
    """Kenya's adaptation of the 30-minute chart module (credited to Baraka), published as
    versions 1 and 2, with a draft working copy on top."""
    from datacircle.library import services
    from datacircle.library.models import ModuleVersion

    original = ModuleVersion.objects.get(module__slug=ADAPTED, module__organisation=None)
    module = services.adapt(original, network["kenya"], facilitator)
    services.publish(module, network["kenyan_coordinator"])
    m = services.parsed(module)
    services.save_working_copy(module, replace(m, title="One chart, one message in Nairobi"))
    services.publish(module, network["kenyan_coordinator"])
    m = services.parsed(module)
    services.save_working_copy(
        module, replace(m, title=DRAFT_TITLE, language="fr", skills=("gis",), duration=20)
    )
    module.refresh_from_db()
    return module


@pytest.fixture
def pulled(network, starter):
    """A module of "far-rc", an organisation known here only through a peer."""
    from django.utils import timezone

    from datacircle.accounts.models import Organisation
    from datacircle.core import modules as core
    from datacircle.federation.models import Peer, PulledModule, PulledOrganisation
    from datacircle.library import services
    from datacircle.library.models import Module

    peer = Peer.objects.create(url="https://circle.example.net/api/v1/", name="Far circle")
    far = Organisation.objects.create(
        slug="far-rc", name="Far Red Cross", kind="national_society", country="FJ"
    )
    PulledOrganisation.objects.create(organisation=far, peer=peer)
    text = Module.objects.get(slug="spreadsheet-habits", organisation=None).source
    m = replace(core.parse(text), organisation="far-rc", id="habits-far", version=3)
    source = core.dump(m)
    services.import_modules([(core.parse(source), source)])
    module = Module.objects.get(organisation=far, slug="habits-far")
    PulledModule.objects.create(
        module=module,
        peer=peer,
        reference="far-rc/habits-far",
        remote_url="https://circle.example.net/api/v1/modules/far-rc/habits-far",
        html_url="https://circle.example.net/library/7/",
        version=3,
        sha256="0" * 64,
        pulled_at=timezone.now(),
    )
    return module


@pytest.fixture
def deliveries(network, adapted, starter):
    """Kenya: 12 + 3 people in 2025 (Kenya, Nairobi) and 2 online in 2024 of its adaptation;
    Senegal: 30 people in 2025 of a starter module."""
    from datacircle.library.models import ModuleVersion
    from datacircle.programme.models import Delivery

    kenyan = adapted.versions.get(number=2)
    starter_version = ModuleVersion.objects.get(
        module__slug="data-literacy-warm-up", module__organisation=None
    )
    rows = [
        (kenyan, network["kenya"], date(2025, 3, 1), "KE", "Nairobi", False, 12),
        (kenyan, network["kenya"], date(2025, 6, 1), "KE", "Nakuru", False, 3),
        (kenyan, network["kenya"], date(2024, 5, 1), "", "", True, 2),
        (starter_version, network["senegal"], date(2025, 4, 2), "SN", "Dakar", False, 30),
    ]
    return [
        Delivery.objects.create(
            module_version=version,
            organisation=organisation,
            held_on=held_on,
            country=country,
            city=city,
            online=online,
            language="en",
            participants=participants,
            recorded_by=network["kenyan_coordinator"],
        )
        for version, organisation, held_on, country, city, online, participants in rows
    ]


@pytest.fixture
def feedback(network, adapted, facilitator):
    """A held Kenyan session of the adaptation, with Wanjiru's registration and feedback."""
    from django.utils import timezone

    from datacircle.programme import sessions
    from datacircle.programme.models import Registration, Session

    session = Session.objects.create(
        organisation=network["kenya"],
        module_version=adapted.versions.get(number=2),
        starts_at=timezone.now() - timedelta(hours=2),
        minutes=30,
        city="Nairobi",
        country="KE",
        language="en",
        capacity=10,
        status="scheduled",
    )
    session.facilitators.add(facilitator)
    Registration.objects.create(session=session, person=network["kenyan"], status="registered")
    sessions.mark_held(session, facilitator)
    return sessions.give_feedback(session, network["kenyan"], [(2, 4), (1, 3)], 4, FEEDBACK_COMMENT)


@pytest.fixture
def kenya_token(network):
    """A token of Kenya Red Cross, made by its coordinator: (row, token)."""
    from datacircle.catalogue import auth

    return auth.issue(network["kenya"], "intranet sync", network["kenyan_coordinator"])


@pytest.fixture
def bearer(kenya_token):
    return {"HTTP_AUTHORIZATION": f"Bearer {kenya_token[1]}"}
