"""Fixtures for peer learning: learning profiles in Kenya on top of the shared small network."""

from __future__ import annotations

import pytest


@pytest.fixture
def profiles(network):
    """Two Kenyan learners and two Kenyan sharers (one in another unit, who works in English),
    a Senegalese learner who speaks only French."""
    from datacircle.accounts.models import Person, Unit
    from datacircle.peers.models import Profile

    nakuru = Unit.objects.create(organisation=network["kenya"], name="Nakuru branch")
    baraka = Person.objects.create(
        organisation=network["kenya"],
        unit=nakuru,
        given_name="Baraka",
        family_name="Mwangi",
        email="baraka@example.org",
        kind="staff",
        role="facilitator",
        languages=["en", "sw"][:1],
        timezone="Africa/Nairobi",
    )

    def profile(person, wants=None, shares=None, capacity=1, **extra):
        return Profile.objects.create(
            person=person,
            wants=wants or {},
            shares=shares or {},
            capacity=capacity,
            source="coordinator",
            **extra,
        )

    return {
        "wanjiru": profile(network["kenyan"], wants={"gis": 1}),
        "achieng": profile(network["kenyan_nologin"], wants={"analysis": 0}),
        "otieno": profile(
            network["kenyan_coordinator"], shares={"gis": 4, "analysis": 3}, capacity=1
        ),
        "baraka": profile(baraka, shares={"gis": 3, "analysis": 4}, capacity=1),
        "awa": profile(network["senegalese"], wants={"gis": 0}),
        "baraka_person": baraka,
    }
