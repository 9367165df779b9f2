"""Fixtures for the library: the starter library loaded, and a Kenyan facilitator."""

from __future__ import annotations

import pytest


@pytest.fixture
def starter(db):
    from datacircle.library.services import load_starter_library

    return load_starter_library()


@pytest.fixture
def facilitator(network):
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person
    from tests.conftest import PASSWORD

    user = get_user_model().objects.create_user("baraka", password=PASSWORD)
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
        user=user,
    )
