"""The registry list with its filters, and its CSV export: formula-safe, and with contacts only
for those who may see them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from datacircle.partners.models import Contact, Engagement, Partner


@pytest.fixture
def more(network, partners):
    """Two more Kenyan partners: a telecom business (informal) and a statistics office."""
    telecom = Partner.objects.create(
        organisation=network["kenya"],
        name="Kilele Mobile",
        kind="business",
        country="KE",
        expertise=["data-protection", "dashboards"],
        notes="Data-for-good team.",
    )
    office = Partner.objects.create(
        organisation=network["kenya"],
        name="Savannah National Statistics Office",
        kind="government",
        country="UG",
        relationship="formal",
        expertise=["statistics", "open-data"],
    )
    return {"telecom": telecom, "office": office}


def names(client, **params) -> set[str]:
    page = client.get(reverse("partners"), params).content.decode()
    return {
        name
        for name in (
            "Savannah University Data Science Lab",
            "Kilele Mobile",
            "Savannah National Statistics Office",
            "Collectif Carto Libre Dakar",
        )
        if name in page
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            {
                "Savannah University Data Science Lab",
                "Kilele Mobile",
                "Savannah National Statistics Office",
            },
        ),
        ({"kind": "business"}, {"Kilele Mobile"}),
        ({"country": "UG"}, {"Savannah National Statistics Office"}),
        (
            {"skill": "statistics"},
            {"Savannah University Data Science Lab", "Savannah National Statistics Office"},
        ),
        (
            {"skill": "data"},
            {
                "Savannah University Data Science Lab",
                "Kilele Mobile",
                "Savannah National Statistics Office",
            },
        ),
        (
            {"relationship": "formal"},
            {"Savannah University Data Science Lab", "Savannah National Statistics Office"},
        ),
        ({"q": "data-for-good"}, {"Kilele Mobile"}),
        ({"q": "savannah", "kind": "government"}, {"Savannah National Statistics Office"}),
    ],
)
def test_list_filters(network, more, login, params, expected):
    assert names(login(network["kenyan"]), **params) == expected


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def hostile(network, partners):
    """A partner whose name and contact are written to run as spreadsheet formulas."""
    partner = Partner.objects.create(
        organisation=network["kenya"],
        name='=HYPERLINK("http://evil.example","click")',
        kind="other",
        country="KE",
        website="https://evil.example.org",
        expertise=["gis"],
    )
    Contact.objects.create(
        partner=partner,
        name="@SUM(1+1)",
        email="x@example.org",
        consent_on=date(2026, 1, 1),
        consent_how="email",
    )
    Engagement.objects.create(
        partner=partner, kind="mentoring", title="-1+1", happened_on=date(2026, 2, 3)
    )
    return partner


def test_export_is_formula_safe_and_has_contacts_for_the_coordinator(network, hostile, login):
    rows = read_csv(login(network["kenyan_coordinator"]).get(reverse("partners-export")))
    by_name = {row["partner"]: row for row in rows}
    assert set(by_name) == {
        '\'=HYPERLINK("http://evil.example","click")',
        "Savannah University Data Science Lab",
    }
    evil = by_name['\'=HYPERLINK("http://evil.example","click")']
    assert evil["contacts"] == "'@SUM(1+1) <x@example.org>"
    assert evil["engagements"] == "1" and evil["last_engagement_on"] == "2026-02-03"
    assert evil["expertise"] == "Maps and GIS" and evil["skill_codes"] == "gis"
    savannah = by_name["Savannah University Data Science Lab"]
    assert savannah["contacts"] == (
        "Amani Wekesa (Lab director) <amani.wekesa@example.org> +254 700 000 101"
    )
    assert savannah["agreement_ends_on"] == "2027-01-14"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_export_has_no_contacts_for_members(network, hostile, login):
    response = login(network["kenyan"]).get(reverse("partners-export"))
    text = response.content.decode("utf-8-sig")
    assert "contacts" not in text.splitlines()[0]
    assert "amani.wekesa@example.org" not in text and "x@example.org" not in text
    assert len(read_csv(response)) == 2


def test_export_gives_admins_only_their_own_organisations_contacts(network, partners, login):
    from datacircle.partners.models import Partner

    ifrc = Partner.objects.create(
        organisation=network["ifrc"], name="Geneva Data Forum", kind="other", country="CH"
    )
    Contact.objects.create(
        partner=ifrc,
        name="Léa Martin",
        email="lea@example.org",
        consent_on=date(2026, 1, 1),
        consent_how="email",
    )
    rows = read_csv(login(network["admin"]).get(reverse("partners-export")))
    contacts = {row["partner"]: row["contacts"] for row in rows}
    assert contacts == {
        "Collectif Carto Libre Dakar": "",
        "Geneva Data Forum": "Léa Martin <lea@example.org>",
        "Savannah University Data Science Lab": "",
    }


def test_export_follows_the_lists_filters(network, more, login):
    rows = read_csv(
        login(network["kenyan"]).get(reverse("partners-export"), {"kind": "government"})
    )
    assert [row["partner"] for row in rows] == ["Savannah National Statistics Office"]
    assert rows[0]["country"] == "UG" and rows[0]["relationship"] == "formal"
