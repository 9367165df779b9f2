"""The demo scans: Kenya twice, a year apart, and enough peers for the benchmark."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datacircle.accounts.demo import load_network
from datacircle.core.demo import build_network


@pytest.fixture
def demo(db):
    from datacircle.maturity.demo import load_demo

    load_network(build_network(people=900, seed=7))
    return load_demo(seed=2026)


def test_demo_scans_are_answered_and_deterministic(demo):
    from datacircle.maturity.models import Scan, ScanResponse

    assert demo["scans"] == 9 and demo["organisations"] == 8
    kenya = Scan.objects.filter(organisation__slug="kenya-rc").order_by("opens_on")
    assert [s.status for s in kenya] == ["closed", "open"]
    assert (kenya[1].opens_on - kenya[0].opens_on).days in range(360, 370)
    latest = kenya[1]
    assert 20 <= latest.responses.count() <= 25
    units = set(latest.responses.values_list("unit", flat=True))
    assert len(units) >= 3 and None not in units
    # Demo logins are left to take the scan themselves.
    assert not latest.responses.filter(person__user__isnull=False).exists()
    first = list(ScanResponse.objects.order_by("pk").values_list("answers", "targets"))
    ScanResponse.objects.all().delete()
    Scan.objects.all().delete()
    from datacircle.maturity.demo import load_demo

    load_demo(seed=2026)
    again = list(ScanResponse.objects.order_by("pk").values_list("answers", "targets"))
    assert again == first
    assert load_demo(seed=2026)["scans"] == 0  # loading twice adds nothing


def test_demo_shows_radar_benchmark_trend_for_kenya(demo, client):
    from django.contrib.auth import get_user_model

    from datacircle.maturity.models import Scan

    client.force_login(get_user_model().objects.get(username="coordinator"))
    latest = Scan.objects.filter(organisation__slug="kenya-rc", status="open").get()
    html = client.get(reverse("maturity-results", args=[latest.pk])).content.decode()
    assert 'role="img"' in html
    assert "Peers (median)" in html
    assert "against 7 peer organisations" in html
    assert "Maturity quick scan 2025" in html  # the trend
    assert "Next steps" in html
    units = html.split('<select name="unit"')[1].split("</select>")[0]
    assert units.count("<option") >= 3
