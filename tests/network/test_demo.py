"""The demo's deliveries: across the network, deterministic, with small cells, online sessions,
Kenya's adaptation and enough feedback to show Kenya's confidence gained."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datacircle.accounts.demo import load_network
from datacircle.core.demo import DEMO_PASSWORD, build_network
from datacircle.network import demo
from datacircle.network import reach as services
from datacircle.programme.models import Delivery, Feedback, Session


@pytest.fixture
def demo_network(db):
    from datacircle.library.demo import load_demo as load_library

    load_network(build_network(people=400, seed=7))
    load_library()


def signature():
    return sorted(
        Delivery.objects.values_list(
            "module_version__module__slug",
            "organisation__slug",
            "held_on",
            "online",
            "city",
            "country",
            "language",
            "participants",
        )
    )


def test_demo_deliveries_across_the_network(demo_network, client):
    summary = demo.load_demo(seed=2026)
    assert summary["deliveries"] == Delivery.objects.count() > 100
    countries = set(Delivery.objects.exclude(country="").values_list("country", flat=True))
    assert {"KE", "SN", "LB", "JO", "MA", "CO", "HT", "PH", "BD", "ES"} <= countries
    assert summary["countries"] == len(countries)
    assert Delivery.objects.filter(online=True, country="", city="").exists()
    assert Delivery.objects.filter(participants__lt=5).exists()
    assert Delivery.objects.filter(
        organisation__slug="kenya-rc", module_version__module__organisation__slug="kenya-rc"
    ).exists()
    years = {d.year for d in Delivery.objects.dates("held_on", "year")}
    assert years == {2025, 2026}
    # Languages of the organisation: Lebanon's sessions in Arabic, English or French.
    assert set(
        Delivery.objects.filter(organisation__slug="lebanese-rc").values_list("language", flat=True)
    ) <= {"ar", "en", "fr"}
    assert Session.objects.filter(status="held").count() == 3
    assert summary["feedback"] == Feedback.objects.count() == 12

    confidence = services.confidence_gained(
        Delivery.objects.values_list("organisation_id", flat=True).distinct()
    )
    kenya = Delivery.objects.filter(organisation__slug="kenya-rc").first().organisation_id
    senegal = Delivery.objects.filter(organisation__slug="senegal-rc").first().organisation_id
    assert confidence[kenya].shown and confidence[kenya].people == 8
    assert not confidence[senegal].shown

    assert client.login(username="coordinator", password=DEMO_PASSWORD)
    page = client.get(reverse("area-network")).content.decode()
    assert "Jordan Red Crescent" in page and "&lt;5" in page
    assert client.get(reverse("network-organisation", args=["kenya-rc"])).status_code == 200


def test_the_same_seed_gives_the_same_deliveries_and_loading_twice_adds_nothing(demo_network):
    demo.load_demo(seed=11)
    first = signature()
    assert demo.load_demo(seed=11)["deliveries"] == len(first)
    assert signature() == first
    Delivery.objects.all().delete()
    Session.objects.filter(status="held").delete()
    demo.load_demo(seed=11)
    assert signature() == first
    Delivery.objects.all().delete()
    Session.objects.filter(status="held").delete()
    demo.load_demo(seed=12)
    assert signature() != first


def test_demo_on_the_small_network(network):
    from datacircle.library.services import load_starter_library

    load_starter_library()
    summary = demo.load_demo()
    assert summary["organisations"] == 3 and summary["deliveries"] > 0
