"""Reach through the API: deliveries counted, people reached under the small-cell rule; and
deliveries recorded with an organisation's token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.catalogue.conftest import ADAPTED
from tests.network.test_views import row_of


def table(client, query):
    response = client.get(f"/api/v1/deliveries?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    return body, {tuple(row["key"].values()): row for row in body["rows"]}


def test_reach_by_country_hides_small_counts_and_what_would_give_them_away(client, deliveries):
    body, rows = table(client, "")  # by country unless told
    assert body["dimensions"] == ["country"]
    assert body["k"] == 5
    assert body["total"] == {"deliveries": 4, "participants": 47, "participants_shown": "47"}
    # Two people online: shown as "<5" …
    assert rows[("",)] == {
        "key": {"country": ""},
        "deliveries": 1,
        "participants": None,
        "participants_shown": "<5",
    }
    assert rows[("SN",)]["participants"] == 30
    # … and Kenya's 15 hidden too, or 47 - 30 - 15 would give the 2 away.
    assert rows[("KE",)] == {
        "key": {"country": "KE"},
        "deliveries": 2,
        "participants": None,
        "participants_shown": "–",
    }


def test_reach_by_two_dimensions_keys_each_row_by_both(client, deliveries):
    body, rows = table(client, "by=organisation,year")
    assert body["dimensions"] == ["organisation", "year"]
    assert set(rows) == {("kenya-rc", 2025), ("kenya-rc", 2024), ("senegal-rc", 2025)}
    assert rows[("kenya-rc", 2024)]["participants_shown"] == "<5"
    assert body["total"]["deliveries"] == 4  # always the whole network's


def test_reach_by_module_uses_references(client, deliveries):
    _body, rows = table(client, "by=organisation,module")
    assert rows[("kenya-rc", f"kenya-rc/{ADAPTED}")]["participants_shown"] in ("17", "–")
    assert rows[("senegal-rc", "datacircle/data-literacy-warm-up")]["participants"] == 30


def test_reach_tables_agree_with_the_network_page(client, deliveries, network):
    """The API publishes the network page's tables from the same suppression: a count the page
    hides is hidden here too, whatever table or filter is asked for."""
    from django.urls import reverse

    from tests.conftest import PASSWORD

    api = client.get("/api/v1/deliveries?by=country").json()
    assert client.login(username=network["kenyan"].user.username, password=PASSWORD)
    html = client.get(reverse("area-network")).content.decode()
    names = {"KE": "Kenya", "SN": "Senegal"}
    for row in api["rows"]:
        if row["key"]["country"] in names:
            cells = row_of(html, "countries", names[row["key"]["country"]])
            assert cells[1:] == [str(row["deliveries"]), row["participants_shown"]]
    assert row_of(html, "countries", "Kenya")[2] == "–"


@pytest.mark.parametrize(
    ("by", "query", "rows_counted"),
    [
        ("organisation,module", f"module=kenya-rc/{ADAPTED}", 1),
        ("organisation,module", "module=datacircle/data-literacy-warm-up", 1),
        ("organisation", "organisation=senegal-rc", 1),
        ("organisation,year", "year=2024", 1),
        ("organisation,language", "language=fr", 0),
        ("organisation,year", "organisation=kenya-rc&year=2025", 1),
        ("country", "country=SN", 1),
    ],
)
def test_reach_filters_keep_matching_rows_and_the_network_total(
    client, deliveries, by, query, rows_counted
):
    whole, _rows = table(client, f"by={by}")
    body, rows = table(client, f"by={by}&{query}")
    assert len(rows) == rows_counted
    assert body["total"] == whole["total"]
    for key, row in rows.items():
        assert row == whole["rows"][[tuple(r["key"].values()) for r in whole["rows"]].index(key)]


@pytest.mark.parametrize("by", ["nope", "country,country", ",", "country,people", "country,year"])
def test_a_table_that_is_not_published_is_refused_with_the_ones_that_are(client, deliveries, by):
    response = client.get("/api/v1/deliveries", {"by": by})
    assert response.status_code == 400
    body = response.json()
    assert "organisation; country; organisation,module" in body["detail"]
    assert body["errors"][0]["field"] == "by"


def test_a_filter_outside_the_table_is_refused(client, deliveries):
    response = client.get("/api/v1/deliveries", {"by": "country", "year": "2025"})
    assert response.status_code == 400
    body = response.json()
    assert "organisation,year" in body["detail"]
    assert body["errors"][0]["field"] == "year"


@pytest.mark.parametrize(
    "query", ["year=0", "year=x", "module=kenya-rc", "language=de", "country=kenya"]
)
def test_malformed_reach_filters_are_refused(client, deliveries, query):
    response = client.get(f"/api/v1/deliveries?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


# ---------------------------------------------------------------- recording


def delivery(**changes):
    return {
        "module": f"kenya-rc/{ADAPTED}",
        "version": 2,
        "held_on": "2025-09-01",
        "country": "KE",
        "city": "Kisumu",
        "online": False,
        "language": "en",
        "participants": 9,
        **changes,
    }


def post(client, body, headers):
    return client.post("/api/v1/deliveries", body, content_type="application/json", **headers)


def test_a_token_records_a_delivery_for_its_organisation(client, adapted, bearer, network):
    from datacircle.programme.models import Delivery

    response = post(client, delivery(), bearer)
    assert response.status_code == 201, response.content
    body = response.json()
    recorded = Delivery.objects.get(pk=body["id"])
    assert body == {
        "id": recorded.pk,
        "module": f"kenya-rc/{ADAPTED}",
        "version": 2,
        "organisation": "kenya-rc",
        "held_on": "2025-09-01",
        "country": "KE",
        "city": "Kisumu",
        "online": False,
        "language": "en",
        "participants": 9,
    }
    assert recorded.organisation == network["kenya"]
    assert recorded.module_version == adapted.versions.get(number=2)
    assert recorded.recorded_by == network["kenyan_coordinator"]
    _body, rows = table(client, "by=organisation")
    assert rows[("kenya-rc",)]["participants"] == 9


def test_any_published_module_may_be_delivered_and_online_drops_the_place(client, starter, bearer):
    body = delivery(module="datacircle/spreadsheet-habits", version=1, online=True)
    response = post(client, body, bearer)
    assert response.status_code == 201
    assert (response.json()["city"], response.json()["country"]) == ("", "")


@pytest.mark.parametrize(
    ("changes", "status", "field", "words"),
    [
        ({"module": "kenya-rc/nothing"}, 404, None, "No module kenya-rc/nothing"),
        ({"version": 3}, 404, None, "no published version 3"),
        ({"held_on": "2999-01-01"}, 400, "held_on", "once it has taken place"),
        ({"country": "", "city": " "}, 400, "city", "or that it was online"),
        ({"country": "XX"}, 400, "country", "not a country code"),
        ({"participants": 0}, 422, "participants", "greater than or equal to 1"),
        ({"language": "de"}, 422, "language", "'en', 'fr', 'es' or 'ar'"),
        ({"held_on": "yesterday"}, 422, "held_on", "date"),
        ({"city": "Nai\x00robi"}, 422, "city", "NUL"),
        ({"module": "kenya-rc"}, 422, "module", "pattern"),
    ],
)
def test_a_wrong_delivery_says_what_is_wrong(
    client, adapted, bearer, changes, status, field, words
):
    from datacircle.programme.models import Delivery

    response = post(client, delivery(**changes), bearer)
    assert response.status_code == status, response.content
    body = response.json()
    assert words in body["detail"]
    if field:
        assert field in [e["field"] for e in body["errors"]]
    assert not Delivery.objects.exists()


def test_a_delivery_today_is_accepted(client, adapted, bearer):
    today = timezone.localdate().isoformat()
    assert post(client, delivery(held_on=today), bearer).status_code == 201
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert post(client, delivery(held_on=tomorrow), bearer).status_code == 400
