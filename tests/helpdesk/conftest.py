"""Fixtures for the help desk: data leaders with learning profiles in Kenya and Senegal."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def leaders(network):
    """Grace (GIS, spreadsheets; English) and Hassan (spreadsheets; Arabic and English) are
    facilitators in Kenya; Otieno, Kenya's coordinator, shares analysis; Fatou coordinates
    Senegal and shares spreadsheets."""
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person
    from datacircle.peers.models import Profile

    users = get_user_model()

    def leader(organisation, given, family, role, languages, shares, login):
        person = Person.objects.create(
            organisation=network[organisation],
            given_name=given,
            family_name=family,
            email=f"{given.lower()}@example.org",
            kind="staff",
            role=role,
            languages=list(languages),
            timezone="Africa/Nairobi",
            user=users.objects.create_user(login, password=PASSWORD),
        )
        Profile.objects.create(person=person, shares=shares, source="self")
        return person

    Profile.objects.create(
        person=network["kenyan_coordinator"], shares={"analysis": 4}, source="self"
    )
    return {
        "grace": leader(
            "kenya", "Grace", "Mutua", "facilitator", ["en"], {"gis": 4, "spreadsheets": 3}, "grace"
        ),
        "hassan": leader(
            "kenya", "Hassan", "Ali", "facilitator", ["ar", "en"], {"spreadsheets": 4}, "hassan"
        ),
        "fatou": leader(
            "senegal", "Fatou", "Sarr", "coordinator", ["fr"], {"spreadsheets": 4}, "fatou"
        ),
    }


@pytest.fixture
def ask(client, login, django_capture_on_commit_callbacks):
    """Ask a question through the web form as `person`; returns the stored question."""
    from datacircle.helpdesk.models import Question

    def asking(person, title, skill, language="en", body=""):
        login(person)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/helpdesk/ask/",
                {"title": title, "body": body, "skill": skill, "language": language},
            )
        assert response.status_code == 302, response.content
        return Question.objects.get(title=title)

    return asking
