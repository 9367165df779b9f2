"""API tokens as a coordinator makes and revokes them on the web, and an operator on the CLI."""

from __future__ import annotations

import hashlib
import re

import pytest

from datacircle.catalogue.models import ApiToken
from datacircle.cli import main

URL = "/catalogue/tokens/"


def test_a_coordinator_makes_a_token_that_is_shown_once_and_works(login, network, client):
    page = login(network["kenyan_coordinator"])
    response = page.post(URL, {"name": "nightly sync"})
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r"<code>(dc_[A-Za-z0-9_-]{43})</code>", html).group(1)
    assert "shown only once" in html
    assert response["Cache-Control"] == "no-store"
    row = ApiToken.objects.get()
    assert (row.organisation, row.name, row.created_by) == (
        network["kenya"],
        "nightly sync",
        network["kenyan_coordinator"],
    )
    assert row.key_prefix == token[:8]
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {getattr(row, f.attname) for f in row._meta.fields}
    again = page.get(URL).content.decode()
    assert token not in again  # only its first characters from now on
    assert f"{token[:8]}…" in again
    assert "nightly sync" in again
    page.logout()
    answer = client.get("/api/v1/modules")  # reading needs no token
    assert answer.status_code == 200
    written = client.post(
        "/api/v1/deliveries",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert written.status_code == 422  # through the door, then the body is checked


def test_a_token_needs_a_name(login, network):
    page = login(network["kenyan_coordinator"])
    response = page.post(URL, {"name": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_coordinator_sees_and_revokes_only_their_organisations_tokens(
    login, network, kenya_token
):
    from datacircle.catalogue import auth

    senegal, _secret = auth.issue(network["senegal"], "dakar sync", None)
    page = login(network["kenyan_coordinator"])
    html = page.get(URL).content.decode()
    assert "intranet sync" in html
    assert "dakar sync" not in html
    assert page.post(f"/catalogue/tokens/{senegal.pk}/revoke/").status_code == 404
    senegal.refresh_from_db()
    assert senegal.revoked_at is None
    response = page.post(f"/catalogue/tokens/{kenya_token[0].pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    kenya_token[0].refresh_from_db()
    assert kenya_token[0].revoked_at is not None
    assert "Revoked on" in response.content.decode()


def test_revoking_is_a_post(login, network, kenya_token):
    page = login(network["kenyan_coordinator"])
    assert page.get(f"/catalogue/tokens/{kenya_token[0].pk}/revoke/").status_code == 405


@pytest.mark.parametrize("who", ["kenyan", "facilitator"])
def test_members_and_facilitators_may_not_manage_tokens(login, network, facilitator, who):
    person = facilitator if who == "facilitator" else network[who]
    page = login(person)
    assert page.get(URL).status_code == 403
    assert page.post(URL, {"name": "mine"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_signing_in_is_needed(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_network_admin_manages_their_own_organisations_tokens(login, network):
    page = login(network["admin"])
    page.post(URL, {"name": "secretariat sync"})
    assert ApiToken.objects.get().organisation == network["ifrc"]


# ---------------------------------------------------------------- command line


def test_the_cli_makes_lists_and_revokes_tokens(network, capsys):
    assert main(["catalogue", "token", "create", "--organisation", "kenya-rc", "--name", "ci"]) == 0
    token = capsys.readouterr().out.strip()
    assert re.fullmatch(r"dc_[A-Za-z0-9_-]{43}", token)
    row = ApiToken.objects.get()
    assert (row.organisation, row.name, row.created_by) == (network["kenya"], "ci", None)
    assert main(["catalogue", "token", "list"]) == 0
    listed = capsys.readouterr().out
    assert token[:8] in listed and "kenya-rc" in listed and "ci" in listed
    assert token not in listed
    assert main(["catalogue", "token", "list", "--organisation", "senegal-rc"]) == 0
    assert capsys.readouterr().out.strip() == "No token."
    assert main(["catalogue", "token", "revoke", token[:8]]) == 0
    assert "is revoked" in capsys.readouterr().out
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert main(["catalogue", "token", "revoke", token[:8]]) == 0
    assert "already revoked" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["create", "--organisation", "nowhere", "--name", "x"], "no organisation “nowhere”"),
        (["create", "--organisation", "kenya-rc", "--name", " "], "name that says"),
        (["revoke", "dc_nope1"], "no token starts with"),
    ],
)
def test_the_cli_says_what_is_wrong(network, capsys, argv, words):
    assert main(["catalogue", "token", *argv]) == 2
    assert words in capsys.readouterr().err
    assert not ApiToken.objects.exists()
