"""`datacircle pull` and `datacircle peers` against the fake peer."""

from __future__ import annotations

import pytest

from datacircle.cli import main
from datacircle.federation import pull
from datacircle.federation.models import Peer
from datacircle.library.models import Module
from tests.federation.conftest import PEER_BASE


@pytest.fixture
def reachable(fake_peer, monkeypatch):
    monkeypatch.setattr(pull, "http_fetch", fake_peer)
    return fake_peer


def test_pull_adds_the_peer_pulls_and_prints_the_report(reachable, capsys):
    assert main(["pull", "http://peer.example"]) == 0
    out = capsys.readouterr().out
    assert "Pulled from Circle of the Sahel: 2 new, 0 updated, 0 unchanged, 2 skipped" in out
    assert "  new: ghana-rc/counting-kits" in out
    assert "  skipped: kenya-rc/kenyan-session: “Kenya Red Cross Society” is managed here" in out
    assert Peer.objects.get().url == PEER_BASE
    assert Module.objects.filter(organisation__slug="ghana-rc").count() == 2

    assert main(["pull", PEER_BASE]) == 0
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert Peer.objects.count() == 1


def test_a_dry_run_adds_not_even_the_peer(reachable, capsys):
    assert main(["pull", "http://peer.example", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run, nothing changed: would pull from Circle of the Sahel: 2 new" in out
    assert not Peer.objects.exists() and not Module.objects.exists()


def test_a_failed_pull_exits_1_with_the_reason(reachable, capsys):
    reachable.overrides[f"{PEER_BASE}organisations"] = (404, b"")
    assert main(["pull", "http://peer.example"]) == 1
    err = capsys.readouterr().err
    assert f"datacircle pull: The peer answered 404 for {PEER_BASE}organisations." in err
    assert not Module.objects.exists()

    assert main(["peers"]) == 0
    out = capsys.readouterr().out
    assert f"Circle of the Sahel  {PEER_BASE}" in out
    assert "(Failed) — failed: The peer answered 404" in out


def test_pull_refuses_an_address_that_is_not_http(db, capsys):
    assert main(["pull", "ftp://peer.example"]) == 1
    assert "is not an http:// or https:// address" in capsys.readouterr().err


def test_peers_without_peers_says_how_to_add_one(db, capsys):
    assert main(["peers"]) == 0
    assert "datacircle pull URL" in capsys.readouterr().out
