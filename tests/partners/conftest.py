"""Fixtures for the partners registry: a Senegalese coordinator, and a partner of Kenya and one
of Senegal, each with a contact who agreed to be contacted."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def senegal_coordinator(network):
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person
    from tests.conftest import PASSWORD

    return Person.objects.create(
        organisation=network["senegal"],
        given_name="Fatou",
        family_name="Sow",
        email="fatou@example.org",
        kind="staff",
        role="coordinator",
        languages=["fr"],
        timezone="Africa/Dakar",
        user=get_user_model().objects.create_user("fatou", password=PASSWORD),
    )


@pytest.fixture
def partners(network):
    """Savannah University (Kenya, formal, analysis and statistics) with a contact, and a
    Dakar mapping collective (Senegal, informal) with a contact."""
    from datacircle.partners.models import Contact, Partner

    savannah = Partner.objects.create(
        organisation=network["kenya"],
        name="Savannah University Data Science Lab",
        kind="university",
        country="KE",
        relationship="formal",
        agreement_signed_on=date(2025, 1, 15),
        agreement_ends_on=date(2027, 1, 14),
        expertise=["analysis", "statistics"],
        notes="Guest talks **every quarter**.\n\n<script>alert(1)</script>",
    )
    Contact.objects.create(
        partner=savannah,
        name="Amani Wekesa",
        role="Lab director",
        email="amani.wekesa@example.org",
        phone="+254 700 000 101",
        consent_on=date(2025, 2, 1),
        consent_how="email",
    )
    dakar = Partner.objects.create(
        organisation=network["senegal"],
        name="Collectif Carto Libre Dakar",
        kind="other",
        country="SN",
        relationship="informal",
        expertise=["gis"],
    )
    Contact.objects.create(
        partner=dakar,
        name="Ousmane Ba",
        email="ousmane.ba@example.org",
        consent_on=date(2025, 3, 1),
        consent_how="verbal",
    )
    return {"savannah": savannah, "dakar": dakar}
