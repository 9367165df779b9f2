"""Fixtures for sessions: a starter module, a Kenyan facilitator, and a factory of sessions
on top of the shared small network."""

from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.fixture
def version(db):
    """The published 30-minute "One chart, one message" (two outcomes)."""
    from datacircle.library.models import ModuleVersion
    from datacircle.library.services import load_starter_library

    load_starter_library()
    return ModuleVersion.objects.get(module__slug="one-chart-one-message-short")


@pytest.fixture
def facilitator(network):
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person
    from tests.conftest import PASSWORD

    return Person.objects.create(
        organisation=network["kenya"],
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
def make_session(network, version, facilitator):
    """A Kenyan session `starts_in` from now (negative: already started), facilitated by
    Baraka; any other field may be given."""
    from django.utils import timezone

    from datacircle.programme.models import Session

    def make(starts_in=timedelta(days=7), capacity=2, status="scheduled", **fields):
        values = {
            "organisation": network["kenya"],
            "module_version": version,
            "starts_at": timezone.now() + starts_in,
            "minutes": 30,
            "city": "Nairobi",
            "country": "KE",
            "language": "en",
            "capacity": capacity,
            "status": status,
            **fields,
        }
        session = Session.objects.create(**values)
        session.facilitators.add(facilitator)
        return session

    return make


@pytest.fixture
def extra_people(network):
    """Five more Kenyan members, for waiting lists and the small-cell rule."""
    from datacircle.accounts.models import Person

    return [
        Person.objects.create(
            organisation=network["kenya"],
            given_name=f"Member{i}",
            family_name="Kenya",
            email=f"member{i}@example.org",
            kind="volunteer",
            languages=["en"],
            timezone="Africa/Nairobi",
        )
        for i in range(5)
    ]
