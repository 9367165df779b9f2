"""The peers pages as people use them: who may see and add peers, pulling as a background job,
the last report, removing a peer, and the provenance line on a pulled module's page."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from datacircle.federation import pull
from datacircle.federation.models import Peer
from datacircle.jobs.models import Job
from datacircle.library.models import Module
from tests.federation.conftest import PEER_BASE


@pytest.fixture
def reachable(fake_peer, monkeypatch):
    """Pages fetch from the fake peer instead of the network."""
    monkeypatch.setattr(pull, "http_fetch", fake_peer)
    return fake_peer


def test_a_member_cannot_see_or_add_peers(network, login):
    client = login(network["kenyan"])
    assert client.get(reverse("federation-peers")).status_code == 403
    response = client.post(reverse("federation-peers"), {"url": "http://peer.example"})
    assert response.status_code == 403
    assert not Peer.objects.exists()


def test_a_coordinator_sees_the_list_but_cannot_add_or_pull(network, login, peer_row):
    client = login(network["kenyan_coordinator"])
    page = client.get(reverse("federation-peers"))
    assert page.status_code == 200
    assert "Circle of the Sahel" in page.content.decode()
    assert "Add the peer" not in page.content.decode()
    assert client.post(reverse("federation-peers"), {"url": PEER_BASE}).status_code == 403
    assert client.post(reverse("federation-peer-pull", args=[peer_row.pk])).status_code == 403
    assert client.post(reverse("federation-peer-remove", args=[peer_row.pk])).status_code == 403
    assert not Job.objects.exists() and Peer.objects.filter(pk=peer_row.pk).exists()


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://peer.example/", "is not an http:// or https:// address"),
        ("http://peer.example/blog/", "The peer answered 404 for http://peer.example/blog/api/v1/"),
    ],
)
def test_adding_a_peer_with_a_bad_address_gives_a_specific_error(
    network, login, reachable, url, error
):
    page = login(network["admin"]).post(reverse("federation-peers"), {"url": url})
    assert page.status_code == 200
    assert error in page.content.decode()
    assert not Peer.objects.exists()


def test_adding_a_peer_that_is_not_running_says_connection_refused(network, login):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = login(network["admin"]).post(
        reverse("federation-peers"), {"url": f"http://127.0.0.1:{port}/"}
    )
    assert "connection refused" in page.content.decode()
    assert not Peer.objects.exists()


def test_a_network_admin_adds_a_peer_pulls_and_reads_the_report(
    network, login, reachable, django_capture_on_commit_callbacks
):
    client = login(network["admin"])
    added = client.post(reverse("federation-peers"), {"url": "http://peer.example"}, follow=True)
    peer = Peer.objects.get()
    assert (peer.url, peer.name, peer.added_by) == (
        PEER_BASE,
        "Circle of the Sahel",
        network["admin"],
    )
    assert "Never pulled yet." in added.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("federation-peer-pull", args=[peer.pk]))
    job = Job.objects.get()
    assert started.url == reverse("job", args=[job.pk])
    assert (job.kind, job.status) == ("federation.pull", Job.Status.DONE)
    job_page = client.get(started.url).content.decode()
    assert "ghana-rc/counting-kits" in job_page

    detail = client.get(reverse("federation-peer", args=[peer.pk])).content.decode()
    assert "ghana-rc/maps-on-paper" in detail
    assert "kenya-rc/kenyan-session</span>: “Kenya Red Cross Society” is managed here" in detail
    assert "starter library: every Data Circle has it" in detail
    module = Module.objects.get(slug="counting-kits")
    assert reverse("library-module", args=[module.pk]) in detail
    listing = client.get(reverse("federation-peers")).content.decode()
    assert "2 new" in listing


def test_a_dry_run_from_the_page_changes_nothing(
    network, login, reachable, peer_row, django_capture_on_commit_callbacks
):
    client = login(network["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("federation-peer-pull", args=[peer_row.pk]), {"dry_run": "1"})
    page = client.get(started.url).content.decode()
    assert "A dry run" in page and "ghana-rc/counting-kits" in page
    assert not Module.objects.exists()


def test_a_failed_pull_shows_its_error_on_the_peer_page(
    network, login, reachable, peer_row, django_capture_on_commit_callbacks
):
    reachable.overrides[PEER_BASE] = (503, b"")
    client = login(network["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("federation-peer-pull", args=[peer_row.pk]))
    assert Job.objects.get().status == Job.Status.FAILED
    page = client.get(reverse("federation-peer", args=[peer_row.pk])).content.decode()
    assert f"The peer answered 503 for {PEER_BASE}." in page
    assert "Failed" in page


def test_a_peer_is_removed_only_when_nothing_was_pulled_from_it(
    network, login, fake_peer, peer_row
):
    client = login(network["admin"])
    pull.pull(peer_row, fetch=fake_peer)
    refused = client.post(
        reverse("federation-peer-remove", args=[peer_row.pk]), follow=True
    ).content.decode()
    assert "cannot be removed: modules and organisations here were pulled" in refused
    assert "(modules: 2, organisations: 1)" in refused
    assert Peer.objects.filter(pk=peer_row.pk).exists()

    empty = Peer.objects.create(url="http://empty.example/api/v1/", name="Empty circle")
    client.post(reverse("federation-peer-remove", args=[empty.pk]))
    assert not Peer.objects.filter(pk=empty.pk).exists()


def test_a_pulled_module_page_says_where_it_came_from(network, login, fake_peer, peer_row):
    pull.pull(peer_row, fetch=fake_peer)
    module = Module.objects.get(slug="counting-kits")
    page = login(network["kenyan"]).get(reverse("library-module", args=[module.pk]))
    text = page.content.decode()
    assert (
        'Pulled from <a href="http://peer.example/library/ghana-rc/counting-kits/" '
        'rel="external noopener"><bdi>Circle of the Sahel</bdi></a>, version 1, on'
    ) in text


def test_a_module_made_here_has_no_pulled_from_line(network, login):
    from datacircle.library.services import load_starter_library

    load_starter_library()
    module = Module.objects.filter(organisation__isnull=True).first()
    page = login(network["kenyan"]).get(reverse("library-module", args=[module.pk]))
    assert "Pulled from" not in page.content.decode()
