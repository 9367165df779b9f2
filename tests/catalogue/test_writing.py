"""Writing to the catalogue with an organisation's token: who may, and importing module files."""

from __future__ import annotations

from dataclasses import replace

import pytest

from datacircle.core import modules as core


@pytest.fixture
def kenyan_file(starter):
    """A Kenyan module file (published, version 1) made from a starter module."""
    from datacircle.library.models import Module

    text = Module.objects.get(slug="kobo-form-on-paper-first", organisation=None).source
    m = replace(
        core.parse(text),
        organisation="kenya-rc",
        id="kobo-in-kisumu",
        title="A Kobo form on paper first, in Kisumu",
        status="published",
        version=1,
    )
    return core.dump(m)


def post(client, text, headers):
    return client.post(
        "/api/v1/modules", {"source": text}, content_type="application/json", **headers
    )


# ---------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (None, "needs an API token"),
        ("Bearer dc_not-a-token", "Unknown API token"),
        ("Bearer ", "needs an API token"),
        ("Basic d2FuamlydTpwYXNz", "needs an API token"),
        ("Bearer something-else", "Unknown API token"),
    ],
)
def test_writing_without_a_valid_token_is_401(client, kenyan_file, kenya_token, header, words):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = post(client, kenyan_file, headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert words in response.json()["detail"]
    deliveries = client.post("/api/v1/deliveries", {}, content_type="application/json", **headers)
    assert deliveries.status_code == 401


def test_a_revoked_token_no_longer_writes(client, kenyan_file, kenya_token, bearer):
    from datacircle.catalogue import auth

    auth.revoke(kenya_token[0])
    response = post(client, kenyan_file, bearer)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_using_a_token_records_when(client, kenyan_file, kenya_token, bearer):
    row, _token = kenya_token
    assert row.last_used_at is None
    assert post(client, kenyan_file, bearer).status_code == 201
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_logged_in_session_is_not_a_token(login, network, kenyan_file):
    client = login(network["kenyan_coordinator"])
    assert post(client, kenyan_file, {}).status_code == 401


# ---------------------------------------------------------------- importing


def test_a_module_file_is_imported_once_and_then_unchanged(client, kenyan_file, bearer):
    from datacircle.library.models import Module

    first = post(client, kenyan_file, bearer)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["result"], body["reference"], body["status"]) == (
        "created",
        "kenya-rc/kobo-in-kisumu",
        "published",
    )
    assert body["unresolved"] == []
    assert body["module"]["title"] == "A Kobo form on paper first, in Kisumu"
    assert body["module"]["version"] == 1
    assert body["module"]["url"] == "http://testserver/api/v1/modules/kenya-rc/kobo-in-kisumu"
    again = post(client, kenyan_file, bearer)
    assert again.status_code == 200
    assert again.json()["result"] == "unchanged"
    module = Module.objects.get(slug="kobo-in-kisumu")
    assert module.versions.count() == 1
    listed = client.get("/api/v1/modules?organisation=kenya-rc").json()
    assert [m["reference"] for m in listed["results"]] == ["kenya-rc/kobo-in-kisumu"]


def test_a_new_version_updates_and_a_changed_old_version_conflicts(client, kenyan_file, bearer):
    assert post(client, kenyan_file, bearer).status_code == 201
    m = core.parse(kenyan_file)
    v2 = core.dump(replace(m, title="Kobo on paper, second take", version=2))
    response = post(client, v2, bearer)
    assert response.status_code == 201
    assert response.json()["result"] == "updated"
    assert response.json()["module"]["version"] == 2
    rewritten = core.dump(replace(m, title="Rewriting history"))  # still version 1
    conflict = post(client, rewritten, bearer)
    assert conflict.status_code == 409
    assert "version 1 already exists with other content" in conflict.json()["detail"]
    detail = client.get("/api/v1/modules/kenya-rc/kobo-in-kisumu").json()
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["title"] == "Kobo on paper, second take"


def test_a_draft_is_kept_but_not_published(client, kenyan_file, bearer):
    draft = core.dump(replace(core.parse(kenyan_file), status="draft", version=0))
    response = post(client, draft, bearer)
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["module"]) == ("draft", None)
    assert client.get("/api/v1/modules/kenya-rc/kobo-in-kisumu").status_code == 404


def test_another_organisations_module_is_forbidden(client, kenyan_file, bearer):
    from datacircle.library.models import Module

    senegalese = core.dump(replace(core.parse(kenyan_file), organisation="senegal-rc"))
    response = post(client, senegalese, bearer)
    assert response.status_code == 403
    assert "“kenya-rc”" in response.json()["detail"]
    assert "“senegal-rc”" in response.json()["detail"]
    starter = core.dump(replace(core.parse(kenyan_file), organisation="datacircle"))
    assert post(client, starter, bearer).status_code == 403
    assert not Module.objects.filter(slug="kobo-in-kisumu").exists()


def test_format_problems_are_listed_one_by_one(client, kenyan_file, bearer):
    broken = kenyan_file.replace("duration: 60", "duration: sixty").replace(
        "language: en", "language: klingon"
    )
    assert broken != kenyan_file
    response = post(client, broken, bearer)
    assert response.status_code == 400
    body = response.json()
    assert "2 problems" in body["detail"]
    assert {e["field"] for e in body["errors"]} == {"duration", "language"}
    language = next(e for e in body["errors"] if e["field"] == "language")
    assert language["line"] == kenyan_file.splitlines().index("language: en") + 1
    assert language["column"] >= 1
    assert "en" in language["message"]


def test_an_unknown_skill_is_a_format_problem(client, kenyan_file, bearer):
    unknown = kenyan_file.replace("skills: [", "skills: [underwater-basket-weaving, ")
    response = post(client, unknown, bearer)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["skills[0]"]


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"version": 0}, 400, "version number of 1 or more"),
        ({"version": 2**40}, 400, "version number over"),
        ({"derived_from": "datacircle/spreadsheet-habits@99999999999"}, 400, "over"),
    ],
)
def test_numbers_the_database_cannot_hold_are_refused(
    client, kenyan_file, bearer, change, status, words
):
    text = core.dump(replace(core.parse(kenyan_file), **change))
    response = post(client, text, bearer)
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [{}, {"source": ""}, {"source": 3}, {"text": "x"}, {"source": "---\nid: a\x00b\n---\n"}],
)
def test_a_malformed_body_is_422(client, bearer, starter, body):
    response = client.post("/api/v1/modules", body, content_type="application/json", **bearer)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Invalid request")


def test_a_nul_in_the_text_is_refused_before_the_database_sees_it(client, kenyan_file, bearer):
    response = post(client, kenyan_file + "\nhidden\x00byte\n", bearer)
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b"\xff\xfe not json", 400), (b'{"source": "\\ud800 lone surrogate"}', 422)],
)
def test_a_body_that_is_not_json_text_is_refused(client, bearer, starter, raw, status):
    response = client.post("/api/v1/modules", raw, content_type="application/json", **bearer)
    assert response.status_code == status
    assert response.json()["detail"]
