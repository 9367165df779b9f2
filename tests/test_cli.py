"""The `datacircle` command as an operator uses it: help, demo, createadmin, serve."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from datacircle.cli import build_parser, main
from datacircle.core.demo import DEMO_PASSWORD

COMMANDS = ["serve", "demo", "createadmin", "manage"]


def run(*args: str, home: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
    }
    environment.update({"DATACIRCLE_HOME": str(home), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "datacircle.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,
    )


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", text, re.M), command


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_its_own_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: datacircle {command}" in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    assert main([]) == 0
    assert "commands:" in capsys.readouterr().out


@pytest.mark.parametrize("people", ["0", "5", "many"])
def test_demo_needs_enough_people_for_its_logins(people, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--people", people])
    assert "--people" in capsys.readouterr().err
    assert build_parser().parse_args(["demo", "--people", "6"]).people == 6


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 (table names are ours)


def test_demo_builds_a_fresh_database_and_prints_logins(tmp_path):
    first = run("demo", "--people", "150", "--no-serve", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Demo logins (password for all:" in first.stdout
    for login in ("admin", "coordinator", "facilitator", "member"):
        assert re.search(rf"^\s+{login}\s", first.stdout, re.M), login
    database = tmp_path / "demo.sqlite3"
    assert count(database, "accounts_person") == 150
    assert count(database, "auth_user") >= 4
    assert count(database, "peers_profile") == 150, "every demo person has a learning profile"
    with sqlite3.connect(database) as connection:
        published = connection.execute(
            "SELECT count(*) FROM peers_matchinground WHERE status='published'"
        ).fetchone()[0]
        stages = connection.execute("SELECT count(DISTINCT status) FROM peers_match").fetchone()[0]
    assert published == 1 and stages >= 3, "a demo round shows matches at several stages"
    assert count(database, "library_module") >= 14 + 2, "starter library and Kenya's own"
    assert count(database, "helpdesk_question") > 0

    # A coordinator matches the demo network from the command line.
    on_demo = {"DATABASE_URL": f"sqlite:///{database}"}
    matched = run("match", "--round", "kenya-rc/June", home=tmp_path, env=on_demo)
    assert matched.returncode == 0, matched.stderr
    assert re.search(r"kenya-rc/June: saved as draft round \d+", matched.stdout)
    assert re.search(r"\b[1-9]\d* of \d+ learners matched", matched.stdout)
    assert "Matching" in matched.stderr  # the progress bar
    with sqlite3.connect(database) as connection:
        drafts = connection.execute(
            "SELECT count(*) FROM peers_match m JOIN peers_matchinground r ON m.round_id = r.id "
            "WHERE r.title = 'June' AND r.status = 'draft'"
        ).fetchone()[0]
    assert drafts > 0
    assert not (tmp_path / "datacircle.sqlite3").exists(), "the demo never touches real data"

    again = run("demo", "--people", "120", "--no-serve", home=tmp_path)
    assert again.returncode == 0, again.stderr
    assert count(database, "accounts_person") == 120, "each demo starts from a fresh database"


def test_createadmin_without_a_terminal_needs_the_password_in_the_environment(tmp_path):
    refused = run("createadmin", "--username", "root", "--email", "r@example.org", home=tmp_path)
    assert refused.returncode == 2
    assert "DATACIRCLE_ADMIN_PASSWORD" in refused.stderr

    made = run(
        "createadmin",
        "--username",
        "root",
        "--email",
        "r@example.org",
        home=tmp_path,
        env={"DATACIRCLE_ADMIN_PASSWORD": "a-long-admin-password"},
        stdin=subprocess.DEVNULL,
    )
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(tmp_path / "datacircle.sqlite3") as connection:
        row = connection.execute(
            "SELECT is_superuser FROM auth_user WHERE username='root'"
        ).fetchone()
    assert row == (1,)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(*args: str, home: Path) -> subprocess.Popen:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY"}
    }
    environment["DATACIRCLE_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "datacircle.cli", *args, "--workers", "1"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_serve_migrates_and_serves_pages_and_assets(tmp_path):
    port = free_port()
    server = start("serve", "--port", str(port), home=tmp_path)
    try:
        page = wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        stylesheet = re.search(r'href="(/static/datacircle/site\.[0-9a-f]+\.css)"', page)
        assert stylesheet, "assets are served with hashed names for long caching"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet.group(1)}") as response:
            assert response.status == 200
            assert "immutable" in response.headers["Cache-Control"]
        assert (tmp_path / "datacircle.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_demo_serves_its_network_to_a_demo_login(tmp_path):
    port = free_port()
    server = start("demo", "--people", "200", "--port", str(port), home=tmp_path)
    try:
        login_url = f"http://127.0.0.1:{port}/accounts/login/"
        wait_for(login_url)
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        form = browser.open(login_url).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        fields = {
            "csrfmiddlewaretoken": token,
            "username": "coordinator",
            "password": DEMO_PASSWORD,
            "next": "/",
        }
        request = urllib.request.Request(
            login_url, data=urllib.parse.urlencode(fields).encode(), headers={"Referer": login_url}
        )
        home = browser.open(request).read().decode()
        assert "Welcome," in home
        # The organisation's name keeps its own direction inside the translated sentence.
        assert "Coordinator at <bdi>Kenya Red Cross Society</bdi>" in home
        people = int(re.search(r"<strong>(\d+)</strong> people you can see", home).group(1))
        assert 0 < people < 200, "a coordinator sees their own National Society only"
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
