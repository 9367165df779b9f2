"""The network pages through the HTTP client: the reach map and its tables, filters, one
organisation's reach, where a module was delivered, the CSV, and what they never show."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from datacircle.core.worldmap import NONE_COLOUR
from datacircle.programme import sessions
from datacircle.programme.models import Delivery, Session

MAX_PAGE_BYTES = 150 * 1024


def row_of(html: str, table_id: str, label: str) -> list[str]:
    """The cells of the row headed `label` in the table with `table_id`."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in {table_id}")


def shaded(html: str, code: str) -> bool:
    path = re.search(rf'<path class="([^"]*)" data-country="{code}" fill="([^"]*)"', html)
    return path is not None and "has-count" in path.group(1) and path.group(2) != NONE_COLOUR


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("area-network", []),
        ("network-organisation", ["kenya-rc"]),
        ("network-module", ["datacircle", "one-chart-one-message"]),
        ("network-csv", ["organisations"]),
    ],
)
def test_signed_out_visitors_are_sent_to_log_in(client, deliveries, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_network_page_maps_countries_and_suppresses_small_counts(network, deliveries, login):
    response = login(network["senegalese"]).get(reverse("area-network"))
    html = response.content.decode()
    assert "<h1>Réseau et partenaires</h1>" in html  # Awa reads French
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="worldmap"' in html
    assert shaded(html, "KE") and shaded(html, "SN") and not shaded(html, "FR")
    assert row_of(html, "countries", "Kenya") == ["Kenya", "4", "50"]
    # Senegal's one delivery had 3 people: never shown as such, on the page or in the map.
    assert row_of(html, "countries", "Sénégal") == ["Sénégal", "1", "&lt;5"]
    assert "Sénégal: 1 animation, personnes touchées\N{NO-BREAK SPACE}: &lt;5" in html
    assert row_of(html, "countries", "En ligne ou lieu non indiqué")[1] == "1"
    assert row_of(html, "organisations", "Kenya Red Cross Society")[1:4] == ["0", "1", "5"]
    assert row_of(html, "organisations", "Croix-Rouge sénégalaise")[4] == "&lt;5"
    assert len(response.content) <= MAX_PAGE_BYTES


def test_no_suppressed_count_can_be_worked_out_from_the_page(network, deliveries, login):
    html = login(network["kenyan"]).get(reverse("area-network")).content.decode()
    total = row_of(html, "countries", "Total")[2]
    countries = [
        row_of(html, "countries", name)[2]
        for name in ("Kenya", "Senegal", "Online or place not given")
    ]
    organisations = [
        row_of(html, "organisations", name)[4]
        for name in ("Kenya Red Cross Society", "Croix-Rouge sénégalaise")
    ]
    # 62 people: shown, the total would give Senegal's 3 away (62 − 59).
    assert total == "–"
    assert countries == ["50", "&lt;5", "9"] and organisations == ["59", "&lt;5"]


def test_the_pages_show_no_one_by_name(network, deliveries, login):
    client = login(network["senegalese"])
    for url in (
        reverse("area-network"),
        reverse("network-organisation", args=["kenya-rc"]),
        reverse("network-module", args=["datacircle", "one-chart-one-message"]),
    ):
        html = client.get(url).content.decode()
        assert "Odhiambo" not in html  # Otieno recorded every delivery


def test_filters_narrow_the_map_and_the_tables(network, deliveries, login):
    client = login(network["kenyan"])
    html = client.get(reverse("area-network"), {"year": "2025"}).content.decode()
    # Filtered people counts could be subtracted from the unfiltered ones: only deliveries show.
    assert row_of(html, "countries", "Kenya") == ["Kenya", "2", "–"]
    assert "people reached are not shown" in html
    assert "Senegal" not in re.search(r'<table id="countries">.*?</table>', html, re.S).group(0)
    assert shaded(html, "KE") and not shaded(html, "SN")

    html = client.get(reverse("area-network"), {"organisation": "senegal-rc"}).content.decode()
    assert row_of(html, "countries", "Senegal") == ["Senegal", "1", "–"]
    assert "Kenya Red Cross Society</a>" not in html

    html = client.get(reverse("area-network"), {"language": "fr"}).content.decode()
    assert re.search(r"<strong>1</strong> delivery of a module", html)

    html = client.get(reverse("area-network"), {"year": "1999"}).content.decode()
    assert 'role="alert"' in html and "Select a valid choice" in html
    assert row_of(html, "countries", "Kenya")[1] == "4"  # the bad filter is not applied


def test_empty_network_says_so(network, login):
    html = login(network["kenyan"]).get(reverse("area-network")).content.decode()
    assert "No delivery recorded yet" in html
    assert "<svg" not in html


def test_organisation_page(network, deliveries, library, login):
    response = login(network["senegalese"]).get(reverse("network-organisation", args=["kenya-rc"]))
    html = response.content.decode()
    assert "Portée de <bdi>Kenya Red Cross Society</bdi>" in html  # Awa reads French
    assert reverse("library-module", args=[library["adaptation"].pk]) in html
    assert reverse("network-module", args=["kenya-rc", "one-chart-one-message"]) in html
    assert re.search(
        r"<th scope=\"row\">2025</th><td class=\"num\">2</td><td class=\"num\">35<", html
    )
    assert shaded(html, "KE") and not shaded(html, "SN")
    assert "pas encore assez de réponses pour l'afficher" in html
    assert (
        login(network["kenyan"])
        .get(reverse("network-organisation", args=["no-such-org"]))
        .status_code
        == 404
    )


def test_module_page_lists_countries_cities_and_adaptations(network, deliveries, login):
    html = (
        login(network["kenyan"])
        .get(reverse("network-module", args=["datacircle", "one-chart-one-message"]))
        .content.decode()
    )
    assert shaded(html, "KE") and shaded(html, "SN")
    assert row_of(html, "countries", "Kenya") == ["Kenya", "3", "38"]
    assert row_of(html, "cities", "Mombasa") == ["Mombasa", "Kenya", "1", "&lt;5"]
    # Nairobi (35) would give Mombasa's 3 away from Kenya's 38.
    assert row_of(html, "cities", "Nairobi") == ["Nairobi", "Kenya", "2", "–"]
    assert "Adaptation by <bdi>Kenya Red Cross Society</bdi>" in html
    assert "French" in html


def test_module_page_of_an_adaptation_and_unknown_modules(network, deliveries, login):
    client = login(network["senegalese"])
    html = client.get(
        reverse("network-module", args=["kenya-rc", "one-chart-one-message"])
    ).content.decode()
    assert "Adapté de" in html
    assert row_of(html, "countries", "Kenya")[1] == "1"
    for args in (["datacircle", "no-such-module"], ["kenya-rc", "spreadsheet-habits"]):
        assert client.get(reverse("network-module", args=args)).status_code == 404


def test_library_module_links_to_where_it_was_delivered(network, deliveries, library, login):
    html = (
        login(network["kenyan"])
        .get(reverse("library-module", args=[library["original"].pk]))
        .content.decode()
    )
    assert reverse("network-module", args=["datacircle", "one-chart-one-message"]) in html


def test_csv_of_the_organisations_table_is_safe_for_spreadsheets(network, deliveries, login):
    network["senegal"].name = '=HYPERLINK("http://evil.example")'
    network["senegal"].save()
    response = login(network["kenyan"]).get(reverse("network-csv", args=["organisations"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Organisation"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Kenya Red Cross Society"][3:5] == ["5", "59"]
    assert by_name['\'=HYPERLINK("http://evil.example")'][4] == "<5"
    assert rows[-1] == ["Total", "", "", "6", "–"]

    countries = login(network["kenyan"]).get(
        reverse("network-csv", args=["countries"]), {"year": "2025"}
    )
    rows = list(csv.reader(io.StringIO(countries.content.decode("utf-8-sig"))))
    assert rows[1] == ["Kenya", "KE", "2", "–"]  # filtered: people are not shown
    assert login(network["kenyan"]).get("/network/people.csv").status_code == 404


def held_session(network, version, people, answers):
    """A Kenyan session that took place with `people`, `answers` of whom gave feedback."""
    session = Session.objects.create(
        organisation=network["kenya"],
        module_version=version,
        starts_at=timezone.now() + timedelta(days=1),
        city="Nairobi",
        country="KE",
        language="en",
        capacity=len(people),
        status="scheduled",
    )
    for person in people:
        sessions.register(session, person)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    session.refresh_from_db()
    coordinator = network["kenyan_coordinator"]
    sessions.mark_attendance(session, {p.pk: True for p in people}, coordinator)
    sessions.mark_held(session, coordinator)
    outcomes = len(sessions.outcomes_of(session))
    for person, (before, after) in zip(people, answers, strict=False):
        sessions.give_feedback(session, person, [(before, after)] * outcomes, 4)
    return session


@pytest.fixture
def kenyans(network):
    from datacircle.accounts.models import Person

    return [
        Person.objects.create(
            organisation=network["kenya"],
            given_name=f"Learner{i}",
            kind="volunteer",
            languages=["en"],
        )
        for i in range(6)
    ]


def test_confidence_gained_shows_from_five_people(network, library, kenyans, login):
    version = library["original"].latest_version
    held_session(network, version, kenyans[:4], [(1, 4), (2, 4), (2, 3), (3, 3)])
    client = login(network["senegalese"])
    url = reverse("network-organisation", args=["kenya-rc"])
    html = client.get(url).content.decode()  # in French, Awa's language
    assert "pas encore assez de réponses pour l'afficher" in html
    assert "+1,5" not in html and "+1,7" not in html
    # A fifth person, in another session: five different people answered.
    held_session(network, version, kenyans[4:5], [(1, 4)])
    html = client.get(url).content.decode()
    # Gains 3, 2, 1, 0 and 3 on every outcome: mean 1.8.
    assert "+1,8" in html and "5 personnes" in html
    table = client.get(reverse("area-network")).content.decode()
    assert row_of(table, "organisations", "Kenya Red Cross Society")[5].startswith("+1,8")
    assert Delivery.objects.filter(organisation=network["kenya"]).count() == 2


def test_network_navigation_lists_the_area_pages(network, login):
    from datacircle.web.navigation import AREAS_BY_SLUG

    area = AREAS_BY_SLUG["network"]
    assert area.built
    assert [name for name, _label in area.pages][:2] == ["area-network", "partners"]


def test_the_page_leads_to_the_catalogue_api_and_coordinators_to_their_tokens(network, login):
    member = login(network["kenyan"]).get(reverse("area-network")).content.decode()
    assert 'href="/api/v1/docs"' in member
    assert reverse("catalogue-tokens") not in member
    coordinator = login(network["kenyan_coordinator"]).get(reverse("area-network")).content.decode()
    assert reverse("catalogue-tokens") in coordinator
