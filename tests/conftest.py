"""Shared fixtures: a small network of two National Societies with people who can log in."""

from __future__ import annotations

import pytest

PASSWORD = "a-long-test-password"


@pytest.fixture
def network(db):
    """Kenya RC and Senegalese RC under an IFRC secretariat, each with units and people."""
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Organisation, Person, Unit

    users = get_user_model()
    ifrc = Organisation.objects.create(
        slug="ifrc", name="IFRC", short_name="IFRC", kind="secretariat", country="CH"
    )
    kenya = Organisation.objects.create(
        slug="kenya-rc",
        name="Kenya Red Cross Society",
        short_name="KRCS",
        kind="national_society",
        country="KE",
        parent=ifrc,
    )
    senegal = Organisation.objects.create(
        slug="senegal-rc",
        name="Croix-Rouge sénégalaise",
        short_name="CRS",
        kind="national_society",
        country="SN",
        parent=ifrc,
    )
    health = Unit.objects.create(organisation=kenya, name="Health")
    dakar = Unit.objects.create(organisation=senegal, name="Comité de Dakar")

    def person(organisation, unit, given, family, role="member", login=None, languages=("en",)):
        user = users.objects.create_user(login, password=PASSWORD) if login else None
        return Person.objects.create(
            organisation=organisation,
            unit=unit,
            given_name=given,
            family_name=family,
            email=f"{given.lower()}@example.org",
            kind="volunteer",
            role=role,
            languages=list(languages),
            timezone="Africa/Nairobi",
            user=user,
        )

    return {
        "ifrc": ifrc,
        "kenya": kenya,
        "senegal": senegal,
        "admin": person(ifrc, None, "Ada", "Admin", role="network_admin", login="admin"),
        "kenyan": person(kenya, health, "Wanjiru", "Kamau", login="wanjiru"),
        "kenyan_coordinator": person(
            kenya, health, "Otieno", "Odhiambo", role="coordinator", login="otieno"
        ),
        "kenyan_nologin": person(kenya, health, "Achieng", "Njeri"),
        "senegalese": person(senegal, dakar, "Awa", "Diop", login="awa", languages=("fr",)),
        "senegalese_nologin": person(senegal, dakar, "Moussa", "Ndiaye", languages=("fr", "ar")),
    }


@pytest.fixture
def login(client):
    def as_person(person):
        assert client.login(username=person.user.username, password=PASSWORD)
        return client

    return as_person


@pytest.fixture(autouse=True)
def back_to_english():
    """A page request leaves its language active in the thread; every test starts in English."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture
def weasyprint_html(monkeypatch):
    """The HTML documents handed to WeasyPrint while the test runs, in order."""
    import weasyprint

    fed: list[str] = []
    real = weasyprint.HTML

    def recording(*args, **kwargs):
        fed.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    return fed


def pdf_text(pdf: bytes) -> str:
    """A PDF's text as poppler's pdftotext reads it, bidi controls left out (skips without it)."""
    import os
    import re
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        if os.environ.get("DATACIRCLE_REQUIRE_BROWSER"):
            pytest.fail("pdftotext is missing: install poppler-utils")
        pytest.skip("pdftotext is missing: install poppler-utils to read PDFs back")
    text = subprocess.run(  # noqa: S603 - a fixed command on our own PDF
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
