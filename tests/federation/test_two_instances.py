"""Two real Data Circles on loopback pull from each other through the catalogue API.

Instance A is `datacircle serve` in a subprocess with its own home and SQLite file, prepared
with the command line; instance B is this test's Django (the test database, served by
`live_server`). B pulls from A, pulls again (nothing changes), A publishes a new version and B
pulls only that; then A pulls from B with `datacircle pull`.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from datacircle.federation import pull
from datacircle.federation.models import PulledModule, PulledOrganisation
from datacircle.library import services
from datacircle.library.models import Module
from tests.federation.conftest import module_text

# live_server serves committed data: the test runs outside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

ORGANISATION = (
    "from datacircle.accounts.models import Organisation; "
    "Organisation.objects.create(slug='accra-circle', name='Accra Data Circle', "
    "short_name='ADC', kind='partner', country='GH')"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class InstanceA:
    """`datacircle` commands and a server sharing one home and one SQLite database."""

    def __init__(self, home: Path):
        self.home = home
        self.database = home / "a.sqlite3"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        # The test settings stay (DJANGO_SETTINGS_MODULE): the same app, but collectstatic
        # copies assets instead of compressing them, which takes a minute on a small machine.
        # `serve` with the production settings is tested in tests/test_cli.py.
        self.env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        self.env.setdefault("DJANGO_SETTINGS_MODULE", "datacircle.web.settings_test")
        self.env.update(
            {
                "DATACIRCLE_HOME": str(home),
                "DATABASE_URL": f"sqlite:///{self.database}",
                "SECRET_KEY": "instance-a-only-for-this-test-" + "x" * 30,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DATACIRCLE_INSTANCE_NAME": "Circle A",
                "DATACIRCLE_JOBS": "inline",
            }
        )
        self.server: subprocess.Popen | None = None

    def run(self, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "datacircle.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        return done

    def must(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, f"datacircle {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def publish(self, text: str, name: str) -> None:
        path = self.home / name
        path.write_text(text, encoding="utf-8")
        self.must("modules", "import", str(path))

    def serve(self) -> None:
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "datacircle.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "1",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while True:
            assert self.server.poll() is None, "instance A stopped while starting"
            try:
                with urllib.request.urlopen(f"{self.url}api/v1/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("instance A did not answer within 120 seconds")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(timeout=30)

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()


@pytest.fixture
def instance_a(tmp_path, request):
    a = InstanceA(tmp_path / "a")
    a.home.mkdir()
    request.addfinalizer(a.stop)
    a.must("manage", "migrate", "--verbosity", "0")
    a.must("manage", "shell", "-c", ORGANISATION)
    a.publish(module_text("accra-circle", "counting-kits"), "counting-kits.md")
    a.publish(module_text("accra-circle", "maps-on-paper"), "maps-on-paper.md")
    a.serve()
    return a


def test_two_data_circles_pull_from_each_other(instance_a, live_server, network):
    # B pulls from A: A's modules arrive with their provenance; the starter library does not.
    peer = pull.add_peer(instance_a.url)
    assert (peer.url, peer.name) == (f"{instance_a.url}api/v1/", "Circle A")
    first = pull.pull(peer)
    assert sorted(first.created) == ["accra-circle/counting-kits", "accra-circle/maps-on-paper"]
    assert first.organisations == ["accra-circle"]
    assert first.skipped and all(r.startswith("datacircle/") for r, _why in first.skipped)
    kits = Module.objects.get(organisation__slug="accra-circle", slug="counting-kits")
    assert kits.status == "published" and kits.title == "Counting kits (version 1)"
    assert kits.pulled.peer == peer and kits.pulled.version == 1
    assert kits.pulled.remote_url == f"{instance_a.url}api/v1/modules/accra-circle/counting-kits"
    assert kits.pulled.html_url.startswith(f"{instance_a.url}library/")
    assert PulledOrganisation.objects.get(organisation__slug="accra-circle").peer == peer

    # Again: nothing new upstream, nothing changes.
    pulled_at = dict(PulledModule.objects.values_list("reference", "pulled_at"))
    second = pull.pull(peer)
    assert (second.created, second.updated) == ([], [])
    assert sorted(second.unchanged) == sorted(first.created)
    assert dict(PulledModule.objects.values_list("reference", "pulled_at")) == pulled_at

    # A publishes version 2 of one module: only that one is pulled.
    instance_a.publish(
        module_text("accra-circle", "counting-kits", version=2), "counting-kits-2.md"
    )
    third = pull.pull(peer)
    assert third.updated == ["accra-circle/counting-kits"] and third.created == []
    assert third.unchanged == ["accra-circle/maps-on-paper"]
    kits.refresh_from_db()
    assert kits.title == "Counting kits (version 2)"
    assert list(kits.versions.values_list("number", flat=True)) == [1, 2]
    assert kits.pulled.version == 2

    # The other way: A pulls from B, which has a published module of its own organisation.
    services.import_modules(
        [(services.core.parse(text), text) for text in [module_text("kenya-rc", "kenyan-session")]]
    )
    done = instance_a.run("pull", live_server.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 new" in done.stdout and "  new: kenya-rc/kenyan-session" in done.stdout
    assert "skipped: accra-circle/counting-kits: “Accra Data Circle” is managed here" in (
        done.stdout
    )
    assert instance_a.query(
        "SELECT p.reference, p.version, m.title FROM federation_pulledmodule p "
        "JOIN library_module m ON m.id = p.module_id"
    ) == [("kenya-rc/kenyan-session", 1, "Kenyan session (version 1)")]
    assert instance_a.query(
        "SELECT o.slug FROM federation_pulledorganisation p "
        "JOIN accounts_organisation o ON o.id = p.organisation_id"
    ) == [("kenya-rc",)]
    # What A pulled, A serves with its origin.
    with urllib.request.urlopen(f"{instance_a.url}api/v1/modules?organisation=kenya-rc") as r:
        (served,) = json.load(r)["results"]
    assert served["origin"]["peer"] == f"{live_server.url}/api/v1/"
    assert served["origin"]["reference"] == "kenya-rc/kenyan-session"
