"""Pulling from a peer through a fake catalogue: what comes in, with which provenance, what is
skipped and why, and that a failed pull changes nothing but the peer's last result."""

from __future__ import annotations

import json
import socket

import pytest

from datacircle.accounts.models import Organisation
from datacircle.federation import pull
from datacircle.federation.models import Peer, PulledModule, PulledOrganisation
from datacircle.library.models import Module, ModuleVersion
from tests.federation.conftest import PEER_BASE, module_text, sha


def test_a_first_pull_brings_organisations_and_modules_with_their_provenance(
    fake_peer, peer_row, network
):
    steps = []
    report = pull.pull(peer_row, fetch=fake_peer, progress=lambda *a: steps.append(a))

    assert sorted(report.created) == ["ghana-rc/counting-kits", "ghana-rc/maps-on-paper"]
    assert report.organisations == ["ghana-rc"]
    ghana = Organisation.objects.get(slug="ghana-rc")
    assert (ghana.name, ghana.kind, ghana.country.code) == (
        "Ghana Red Cross Society",
        "national_society",
        "GH",
    )
    assert ghana.parent == network["ifrc"], "the parent is linked: it exists here too"
    assert PulledOrganisation.objects.get(organisation=ghana).peer == peer_row

    module = Module.objects.get(organisation=ghana, slug="counting-kits")
    assert module.status == "published" and module.title == "Counting kits (version 1)"
    assert list(module.versions.values_list("number", flat=True)) == [1]
    provenance = module.pulled
    text = fake_peer.modules["ghana-rc/counting-kits"][0]
    assert (provenance.peer, provenance.reference, provenance.version, provenance.sha256) == (
        peer_row,
        "ghana-rc/counting-kits",
        1,
        sha(text),
    )
    assert provenance.remote_url == f"{PEER_BASE}modules/ghana-rc/counting-kits"
    assert provenance.html_url == "http://peer.example/library/ghana-rc/counting-kits/"
    assert module.source == text, "the file is kept exactly as the peer published it"

    peer_row.refresh_from_db()
    assert peer_row.last_status == Peer.Status.OK and peer_row.last_pulled_at is not None
    assert peer_row.last_report["created"] == report.created
    assert any("modules" in step[2].lower() for step in steps), "progress was reported"


def test_starter_modules_and_organisations_managed_here_are_skipped_with_a_reason(
    fake_peer, peer_row, network
):
    report = pull.pull(peer_row, fetch=fake_peer)
    reasons = dict(report.skipped)
    assert set(reasons) == {"datacircle/data-literacy-warm-up", "kenya-rc/kenyan-session"}
    assert "starter library" in reasons["datacircle/data-literacy-warm-up"]
    assert reasons["kenya-rc/kenyan-session"] == "“Kenya Red Cross Society” is managed here"
    assert not Module.objects.filter(slug="kenyan-session").exists()
    assert not PulledOrganisation.objects.filter(organisation=network["kenya"]).exists()
    assert peer_row.last_report["skipped"] == [list(pair) for pair in report.skipped]


def test_a_second_pull_fetches_no_module_and_changes_nothing(fake_peer, peer_row):
    pull.pull(peer_row, fetch=fake_peer)
    pulled_at = dict(PulledModule.objects.values_list("reference", "pulled_at"))
    fake_peer.requests.clear()

    report = pull.pull(peer_row, fetch=fake_peer)

    assert fake_peer.details_fetched() == []
    assert (report.created, report.updated) == ([], [])
    assert sorted(report.unchanged) == ["ghana-rc/counting-kits", "ghana-rc/maps-on-paper"]
    assert dict(PulledModule.objects.values_list("reference", "pulled_at")) == pulled_at
    assert ModuleVersion.objects.filter(module__organisation__slug="ghana-rc").count() == 2
    assert Organisation.objects.filter(slug="ghana-rc").count() == 1


def test_a_new_version_upstream_updates_only_that_module(fake_peer, peer_row):
    pull.pull(peer_row, fetch=fake_peer)
    maps_pulled_at = PulledModule.objects.get(reference="ghana-rc/maps-on-paper").pulled_at
    fake_peer.publish(module_text("ghana-rc", "counting-kits", version=2))
    fake_peer.requests.clear()

    report = pull.pull(peer_row, fetch=fake_peer)

    assert report.updated == ["ghana-rc/counting-kits"] and report.created == []
    assert fake_peer.details_fetched() == [f"{PEER_BASE}modules/ghana-rc/counting-kits"]
    module = Module.objects.get(slug="counting-kits")
    assert module.title == "Counting kits (version 2)"
    assert list(module.versions.values_list("number", flat=True)) == [1, 2]
    assert module.versions.get(number=1).source == fake_peer.modules["ghana-rc/counting-kits"][0]
    assert (module.pulled.version, module.pulled.sha256) == (
        2,
        sha(fake_peer.modules["ghana-rc/counting-kits"][1]),
    )
    assert PulledModule.objects.get(reference="ghana-rc/maps-on-paper").pulled_at == maps_pulled_at


def test_a_module_the_peer_no_longer_offers_is_kept_and_reported(fake_peer, peer_row):
    pull.pull(peer_row, fetch=fake_peer)
    del fake_peer.modules["ghana-rc/maps-on-paper"]

    report = pull.pull(peer_row, fetch=fake_peer)

    assert report.gone == ["ghana-rc/maps-on-paper"]
    assert Module.objects.filter(slug="maps-on-paper").exists()
    assert peer_row.last_report["gone"] == ["ghana-rc/maps-on-paper"]


def test_an_organisation_pulled_from_another_peer_is_left_to_that_peer(fake_peer, peer_row):
    other = Peer.objects.create(url="http://other.example/api/v1/", name="Other circle")
    ghana = Organisation.objects.create(
        slug="ghana-rc", name="Ghana Red Cross Society", kind="national_society", country="GH"
    )
    PulledOrganisation.objects.create(organisation=ghana, peer=other)

    report = pull.pull(peer_row, fetch=fake_peer)

    assert dict(report.skipped)["ghana-rc/counting-kits"] == (
        "“Ghana Red Cross Society” is pulled from another peer, Other circle"
    )
    assert not Module.objects.filter(organisation=ghana).exists()


def test_a_dry_run_reports_what_would_change_and_writes_nothing(fake_peer, peer_row):
    report = pull.pull(peer_row, fetch=fake_peer, dry_run=True)

    assert report.dry_run
    assert sorted(report.created) == ["ghana-rc/counting-kits", "ghana-rc/maps-on-paper"]
    assert report.organisations == ["ghana-rc"]
    assert not Organisation.objects.filter(slug="ghana-rc").exists()
    assert not Module.objects.exists() and not PulledModule.objects.exists()
    peer_row.refresh_from_db()
    assert (peer_row.last_status, peer_row.last_pulled_at, peer_row.last_report) == ("", None, {})


def _assert_failed_and_nothing_written(peer_row, fragment: str) -> None:
    peer_row.refresh_from_db()
    assert peer_row.last_status == Peer.Status.FAILED
    assert fragment in peer_row.last_report["error"]
    assert not Organisation.objects.filter(slug="ghana-rc").exists()
    assert not Module.objects.exists() and not PulledModule.objects.exists()


def test_malformed_peer_json_fails_with_a_clear_error_and_writes_nothing(fake_peer, peer_row):
    listing = f"{PEER_BASE}modules?page=1&page_size=100"
    fake_peer.page_size = 100
    status, body = fake_peer(listing)
    data = json.loads(body)
    data["results"][1]["version"] = "two"
    fake_peer.overrides[listing] = (200, json.dumps(data).encode())

    with pytest.raises(pull.PullError) as error:
        pull.pull(peer_row, fetch=fake_peer)

    message = str(error.value)
    assert message.startswith("Not a Data Circle catalogue:")
    assert "results[1]" in message and "“version” should be a whole number, not “two”" in message
    _assert_failed_and_nothing_written(peer_row, "results[1]")


def test_a_listing_that_is_not_json_is_refused(fake_peer, peer_row):
    fake_peer.overrides[f"{PEER_BASE}modules?page=1&page_size=100"] = (200, b"<html>oops")
    with pytest.raises(pull.PullError, match="the answer is not JSON"):
        pull.pull(peer_row, fetch=fake_peer)
    _assert_failed_and_nothing_written(peer_row, "not JSON")


def test_a_bad_module_file_fails_the_whole_pull(fake_peer, peer_row):
    """One good module and one broken one: neither comes in (all or nothing)."""
    broken = module_text("ghana-rc", "maps-on-paper").replace("duration: 45", "duration: long")
    fake_peer.modules["ghana-rc/maps-on-paper"] = [broken]

    with pytest.raises(pull.PullError) as error:
        pull.pull(peer_row, fetch=fake_peer)

    assert "ghana-rc/maps-on-paper from the peer is not a valid module file" in str(error.value)
    assert "duration" in str(error.value)
    _assert_failed_and_nothing_written(peer_row, "not a valid module file")


def test_a_module_file_that_does_not_match_its_checksum_is_refused(fake_peer, peer_row):
    url = f"{PEER_BASE}modules/ghana-rc/counting-kits"
    status, body = fake_peer(url)
    data = json.loads(body)
    data["source"] = data["source"].replace("Check-in", "Check in")
    fake_peer.overrides[url] = (200, json.dumps(data).encode())

    with pytest.raises(pull.PullError, match="does not match its SHA-256 checksum"):
        pull.pull(peer_row, fetch=fake_peer)
    _assert_failed_and_nothing_written(peer_row, "checksum")


def test_a_file_that_names_another_module_is_refused(fake_peer, peer_row):
    other = module_text("ghana-rc", "something-else")
    fake_peer.modules["ghana-rc/counting-kits"] = [other]

    with pytest.raises(pull.PullError, match="is module “ghana-rc/something-else”"):
        pull.pull(peer_row, fetch=fake_peer)
    _assert_failed_and_nothing_written(peer_row, "ghana-rc/something-else")


def test_a_peer_that_answers_404_is_named_with_the_address(fake_peer, peer_row):
    fake_peer.overrides[f"{PEER_BASE}organisations"] = (404, b"")
    with pytest.raises(pull.PullError) as error:
        pull.pull(peer_row, fetch=fake_peer)
    assert str(error.value) == f"The peer answered 404 for {PEER_BASE}organisations."
    _assert_failed_and_nothing_written(peer_row, "404")


def test_a_failure_after_a_good_pull_keeps_what_was_pulled(fake_peer, peer_row):
    pull.pull(peer_row, fetch=fake_peer)
    fake_peer.publish(module_text("ghana-rc", "counting-kits", version=2))
    fake_peer.overrides[f"{PEER_BASE}modules/ghana-rc/counting-kits"] = (500, b"")

    with pytest.raises(pull.PullError, match="answered 500"):
        pull.pull(peer_row, fetch=fake_peer)

    assert Module.objects.get(slug="counting-kits").pulled.version == 1
    peer_row.refresh_from_db()
    assert peer_row.last_status == Peer.Status.FAILED


def test_an_address_that_is_not_a_catalogue_is_refused(fake_peer, peer_row):
    fake_peer.overrides[PEER_BASE] = (200, b'{"name": "a blog"}')
    with pytest.raises(pull.PullError, match="^Not a Data Circle catalogue: .*software"):
        pull.pull(peer_row, fetch=fake_peer)


def test_links_to_another_host_are_refused(fake_peer, peer_row):
    listing = f"{PEER_BASE}modules?page=1&page_size=100"
    fake_peer.page_size = 100
    data = json.loads(fake_peer(listing)[1])
    data["results"][0]["url"] = "http://169.254.169.254/latest/meta-data"
    fake_peer.overrides[listing] = (200, json.dumps(data).encode())
    with pytest.raises(pull.PullError, match="is not on the peer"):
        pull.pull(peer_row, fetch=fake_peer)


@pytest.mark.parametrize(
    ("given", "base"),
    [
        ("https://circle.example.org", "https://circle.example.org/api/v1/"),
        ("https://circle.example.org/", "https://circle.example.org/api/v1/"),
        ("https://circle.example.org/api/v1", "https://circle.example.org/api/v1/"),
        ("  HTTP://Circle.Example.org:8080/api/v1/?x=1 ", "http://circle.example.org:8080/api/v1/"),
        ("http://host/circle/", "http://host/circle/api/v1/"),
    ],
)
def test_a_peer_is_known_by_its_catalogue_address(given, base):
    assert pull.normalise_base(given) == base


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("ftp://circle.example.org", "is not an http:// or https:// address"),
        ("file:///etc/passwd", "is not an http:// or https:// address"),
        ("circle.example.org", "is not an http:// or https:// address"),
        ("https://user:secret@circle.example.org", "without a user name or password"),
    ],
)
def test_only_plain_http_addresses_may_be_peers(given, message):
    with pytest.raises(pull.PullError, match=message):
        pull.normalise_base(given)


def test_a_peer_that_is_not_running_gives_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(pull.PullError) as error:
        pull.read_index(pull.normalise_base(f"http://127.0.0.1:{port}"))
    assert f"Cannot reach http://127.0.0.1:{port}/api/v1/: connection refused" in str(error.value)


def test_adding_a_peer_reads_its_name_and_refuses_it_twice(fake_peer, db):
    peer = pull.add_peer("http://peer.example", fetch=fake_peer)
    assert (peer.url, peer.name) == (PEER_BASE, "Circle of the Sahel")
    with pytest.raises(pull.PullError, match="is already a peer"):
        pull.add_peer("http://peer.example/api/v1", fetch=fake_peer)
