"""Reading the shared catalogue as another Data Circle (or anyone) does: no login, JSON only,
published versions only."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.catalogue.conftest import ADAPTED, DRAFT_TITLE

STARTER_COUNT = 14


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_root_names_the_instance_and_links_everything(client, settings):
    settings.DATACIRCLE_INSTANCE_NAME = "Kenya's Circle"
    body = client.get("/api/v1/").json()
    assert body == {
        "name": "Kenya's Circle",
        "software": "Data Circle",
        "api_version": "1",
        "links": {
            "modules": "http://testserver/api/v1/modules",
            "organisations": "http://testserver/api/v1/organisations",
            "deliveries": "http://testserver/api/v1/deliveries",
            "openapi": "http://testserver/api/v1/openapi.json",
        },
    }


def test_the_instance_name_defaults_to_data_circle(client):
    assert client.get("/api/v1/").json()["name"] == "Data Circle"


def test_organisations_are_listed_by_slug_with_parent_and_peer(client, network, pulled):
    body = client.get("/api/v1/organisations").json()
    assert body["count"] == 4
    assert [o["slug"] for o in body["results"]] == ["far-rc", "ifrc", "kenya-rc", "senegal-rc"]
    far, _ifrc, kenya, _senegal = body["results"]
    assert kenya == {
        "slug": "kenya-rc",
        "name": "Kenya Red Cross Society",
        "short_name": "KRCS",
        "kind": "national_society",
        "country": "KE",
        "parent": "ifrc",
        "pulled_from": None,
    }
    assert far["pulled_from"] == "https://circle.example.net/api/v1/"
    assert far["parent"] is None


def test_modules_are_paged_in_a_stable_order_with_absolute_links(client, adapted):
    first = client.get("/api/v1/modules?page_size=5").json()
    assert first["count"] == STARTER_COUNT + 1
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/modules?page=2&page_size=5"
    references = [m["reference"] for m in first["results"]]
    for page in (2, 3):
        body = client.get(f"/api/v1/modules?page={page}&page_size=5").json()
        references += [m["reference"] for m in body["results"]]
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/modules?page=2&page_size=5"
    assert len(references) == len(set(references)) == STARTER_COUNT + 1
    # Starter modules ("datacircle/…") before Kenya's, each organisation's by slug.
    assert references == sorted(references)
    assert references[-1] == f"kenya-rc/{ADAPTED}"
    assert references[0].startswith("datacircle/")


def test_a_page_past_the_end_is_empty_and_points_back_to_the_last(client, starter):
    body = client.get("/api/v1/modules?page=9&page_size=10").json()
    assert body["count"] == STARTER_COUNT
    assert body["results"] == []
    assert body["next"] is None
    assert body["previous"] == "http://testserver/api/v1/modules?page=2&page_size=10"


@pytest.mark.parametrize("query", ["page=0", "page_size=101", "page_size=0", "page=x"])
def test_bad_paging_is_refused_with_the_parameter_named(client, starter, query):
    response = client.get(f"/api/v1/modules?{query}")
    assert response.status_code == 422
    field = query.split("=")[0]
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert field in response.json()["detail"]


def test_a_module_is_described_by_its_latest_published_version_never_its_draft(client, adapted):
    response = client.get("/api/v1/modules?organisation=kenya-rc")
    (summary,) = response.json()["results"]
    v2 = adapted.versions.get(number=2)
    assert summary == {
        "reference": f"kenya-rc/{ADAPTED}",
        "organisation": "kenya-rc",
        "slug": ADAPTED,
        "title": "One chart, one message in Nairobi",
        "summary": summary["summary"],
        "language": "en",
        "skills": ["storytelling", "visualisation"],
        "level": 1,
        "duration": 30,
        "unplugged": True,
        "licence": "CC-BY-4.0",
        "version": 2,
        "published_at": summary["published_at"],
        "sha256": sha(v2.source),
        "translation_of": None,
        "derived_from": f"datacircle/{ADAPTED}@1",
        "origin": None,
        "url": f"http://testserver/api/v1/modules/kenya-rc/{ADAPTED}",
        "html_url": f"http://testserver/library/{adapted.pk}/",
    }
    assert summary["summary"].startswith("A short version")
    assert summary["published_at"].startswith(v2.published_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert adapted.title == DRAFT_TITLE  # the row holds the draft…
    assert DRAFT_TITLE not in response.content.decode()  # …which never shows


def test_the_detail_has_the_file_and_every_version(client, adapted):
    response = client.get(f"/api/v1/modules/kenya-rc/{ADAPTED}")
    assert response.status_code == 200
    body = response.json()
    v1, v2 = adapted.versions.order_by("number")
    assert body["source"] == v2.source
    assert body["version"] == 2
    assert body["versions"] == [
        {
            "number": v.number,
            "published_at": body["versions"][i]["published_at"],
            "sha256": sha(v.source),
            "url": f"http://testserver/api/v1/modules/kenya-rc/{ADAPTED}/versions/{v.number}",
        }
        for i, v in enumerate((v1, v2))
    ]
    assert DRAFT_TITLE not in response.content.decode()
    old = client.get(body["versions"][0]["url"]).json()
    assert old == {
        "number": 1,
        "published_at": body["versions"][0]["published_at"],
        "sha256": sha(v1.source),
        "source": v1.source,
    }
    assert "title: One chart, one message (30-minute version)" in old["source"]


def test_starter_modules_are_under_datacircle(client, starter):
    body = client.get("/api/v1/modules/datacircle/spreadsheet-habits").json()
    assert body["organisation"] == "datacircle"
    assert body["reference"] == "datacircle/spreadsheet-habits"
    assert [v["number"] for v in body["versions"]] == [1]


def test_a_draft_only_module_is_not_in_the_catalogue(client, adapted, network, facilitator):
    from datacircle.library import services
    from datacircle.library.models import ModuleVersion

    original = ModuleVersion.objects.get(module__slug="spreadsheet-habits")
    draft = services.adapt(original, network["kenya"], facilitator)
    assert client.get(f"/api/v1/modules/kenya-rc/{draft.slug}").status_code == 404
    listed = client.get("/api/v1/modules?organisation=kenya-rc").json()
    assert [m["slug"] for m in listed["results"]] == [ADAPTED]
    versions = client.get(f"/api/v1/modules/kenya-rc/{draft.slug}/versions/1")
    assert versions.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/modules/kenya-rc/nothing-here",
        "/api/v1/modules/nowhere/spreadsheet-habits",
        "/api/v1/modules/kenya-rc/x%00y",
        f"/api/v1/modules/kenya-rc/{ADAPTED}/versions/3",
        f"/api/v1/modules/kenya-rc/{ADAPTED}/versions/99999999999999999999",
    ],
)
def test_what_is_not_here_is_a_json_404(client, adapted, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"]


def test_filters_read_the_published_file(client, adapted, pulled):
    def references(query):
        return [m["reference"] for m in client.get(f"/api/v1/modules?{query}").json()["results"]]

    # The draft says French, GIS, 20 minutes; the published version does not.
    assert f"kenya-rc/{ADAPTED}" not in references("language=fr")
    assert f"kenya-rc/{ADAPTED}" not in references("skill=gis")
    assert f"kenya-rc/{ADAPTED}" in references("skill=storytelling")
    french = references("language=fr")
    assert french == ["datacircle/questions-avant-produit-information"]
    assert references("organisation=datacircle&skill=storytelling") == [
        "datacircle/one-chart-one-message",
        f"datacircle/{ADAPTED}",
    ]
    assert references("organisation=far-rc") == ["far-rc/habits-far"]
    assert references("organisation=nowhere") == []
    paged = client.get("/api/v1/modules?skill=storytelling&page_size=1&page=2").json()
    assert paged["count"] == 3
    assert [m["reference"] for m in paged["results"]] == [f"datacircle/{ADAPTED}"]


def test_changed_since_keeps_modules_published_from_then(client, adapted):
    from datacircle.library.models import ModuleVersion

    ModuleVersion.objects.filter(module__organisation=None).update(
        published_at=timezone.now() - timedelta(days=30)
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    body = client.get("/api/v1/modules", {"changed_since": since}).json()
    assert [m["reference"] for m in body["results"]] == [f"kenya-rc/{ADAPTED}"]
    naive = (timezone.now() - timedelta(days=40)).replace(tzinfo=None).isoformat()
    assert client.get("/api/v1/modules", {"changed_since": naive}).json()["count"] == 15
    bad = client.get("/api/v1/modules", {"changed_since": "last week"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "changed_since"


@pytest.mark.parametrize("query", ["language=de", "skill=GIS!", "organisation=a%00b"])
def test_malformed_filters_are_refused(client, starter, query):
    response = client.get(f"/api/v1/modules?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


def test_a_pulled_module_says_where_it_came_from(client, pulled):
    body = client.get("/api/v1/modules/far-rc/habits-far").json()
    assert body["origin"] == {
        "peer": "https://circle.example.net/api/v1/",
        "reference": "far-rc/habits-far",
        "url": "https://circle.example.net/library/7/",
    }
    assert body["version"] == 3
    native = client.get("/api/v1/modules/datacircle/spreadsheet-habits").json()
    assert native["origin"] is None


def test_the_openapi_document_describes_the_contract(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Data Circle catalogue"
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == {
        "/api/v1/",
        "/api/v1/organisations",
        "/api/v1/modules",
        "/api/v1/modules/{organisation}/{slug}",
        "/api/v1/modules/{organisation}/{slug}/versions/{number}",
        "/api/v1/deliveries",
    }
    assert document["paths"]["/api/v1/modules"]["post"]["security"] == [{"TokenAuth": []}]
    assert "security" not in document["paths"]["/api/v1/modules"]["get"]


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses and all(a.startswith("/static/") for a in addresses)
    assert "//" not in "".join(addresses)
    assert '"validatorUrl": null' in html  # no badge fetched from swagger.io
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("delete", "/api/v1/modules", 405),
        ("put", "/api/v1/organisations", 405),
        ("post", "/api/v1/modules/datacircle/spreadsheet-habits", 405),
        ("get", "/api/v1/nothing/here", 404),
        ("get", "/api/v1/modules/", 404),
    ],
)
def test_every_error_is_json_even_for_methods_and_addresses_the_api_lacks(
    client, method, path, status
):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    if status == 405:
        assert response.json()["detail"].startswith(method.upper())
        assert response["Allow"]


def test_a_page_of_modules_takes_a_few_queries_however_many_modules(
    client, adapted, pulled, django_assert_max_num_queries
):
    for query in ("page_size=100", "page_size=100&skill=storytelling"):
        with django_assert_max_num_queries(3):
            body = client.get(f"/api/v1/modules?{query}").json()
        assert body["results"]
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/organisations").json()["count"] == 4
