"""Module files in and out of the library: atomic, idempotent, lossless."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from datacircle.core import modules as core
from datacircle.library import services
from datacircle.library.models import Module, ModuleVersion

STARTER = sorted(services.STARTER_FOLDER.glob("*.md"))
SEED = services.STARTER_FOLDER / "questions-before-information-product.md"  # 60 minutes


def test_the_starter_library_loads_once_with_its_provenance(starter):
    assert starter.modules == len(STARTER) >= 8
    assert len(starter.created) == len(STARTER) and starter.unresolved == []
    again = services.load_starter_library()
    assert (again.created, again.updated, again.modules) == ([], [], 0)
    assert ModuleVersion.objects.count() == len(STARTER)
    french = Module.objects.get(slug="questions-avant-produit-information")
    assert french.translation_of.slug == "questions-before-information-product"
    short = Module.objects.get(slug="one-chart-one-message-short")
    assert short.derived_from.reference == "datacircle/one-chart-one-message@1"


@pytest.mark.parametrize("path", STARTER, ids=lambda p: p.stem)
def test_a_module_file_comes_back_from_the_database_unchanged(starter, network, login, path):
    module = Module.objects.get(organisation__isnull=True, slug=path.stem)
    response = login(network["kenyan"]).get(reverse("library-export", args=[module.pk]))
    assert response.content == path.read_bytes()


def test_export_and_import_through_the_command_line_round_trip(starter, tmp_path, capsys):
    from datacircle.cli import main

    out = tmp_path / "exported"
    assert main(["modules", "export", "--out", str(out), "--organisation", "datacircle"]) == 0
    for path in STARTER:
        assert (out / "datacircle" / path.name).read_bytes() == path.read_bytes()
    bundle = tmp_path / "all.zip"
    assert main(["modules", "export", "--out", str(bundle)]) == 0
    capsys.readouterr()
    assert main(["modules", "import", str(bundle)]) == 0
    assert f"0 new, 0 updated, {len(STARTER)} unchanged" in capsys.readouterr().out


def _upload(client, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("library-import"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_a_broken_front_matter_gets_a_precise_error_and_nothing_is_imported(network, login):
    good = SEED.read_text(encoding="utf-8").replace(
        "organisation: datacircle", "organisation: kenya-rc"
    )
    broken = good.replace("duration: 60", "duration: sixty").replace("id: ", "id: broken-", 1)
    assert broken.count("duration: sixty") == 1
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as bundle:
        bundle.writestr("kenya/good.md", good)
        bundle.writestr("kenya/broken.md", broken)
    page = _upload(login(network["kenyan_coordinator"]), "kenya.zip", data.getvalue())
    text = page.content.decode()
    assert "Nothing was imported" in text
    line = broken.splitlines().index("duration: sixty") + 1
    assert f"kenya.zip:kenya/broken.md:{line}" in text and "duration" in text
    assert not Module.objects.exists()


def test_a_coordinator_imports_only_their_own_organisation(network, login):
    other = SEED.read_text(encoding="utf-8").replace(
        "organisation: datacircle", "organisation: senegal-rc"
    )
    page = _upload(login(network["kenyan_coordinator"]), "m.md", other.encode())
    assert "you may import only your own" in page.content.decode()
    assert not Module.objects.exists()


def test_a_changed_file_needs_a_new_version_number(network, login, starter):
    path = SEED
    changed = path.read_text(encoding="utf-8").replace("## ", "## Changed: ", 1)
    with pytest.raises(services.LibraryError, match="version 1 already exists"):
        services.import_modules([(core.parse(changed), changed)])
    bumped = changed.replace("version: 1", "version: 2")
    report = services.import_modules([(core.parse(bumped), bumped)])
    assert report.updated == [f"datacircle/{path.stem}"]
    module = Module.objects.get(organisation__isnull=True, slug=path.stem)
    assert list(module.versions.values_list("number", flat=True)) == [1, 2]
    assert module.versions.get(number=1).source == path.read_text(encoding="utf-8")


def test_lint_on_the_command_line_fails_on_errors(tmp_path, capsys):
    from datacircle.cli import main

    assert main(["modules", "lint", str(services.STARTER_FOLDER)]) == 0
    bad = tmp_path / "long.md"
    bad.write_text(
        SEED.read_text(encoding="utf-8").replace("duration: 60", "duration: 90"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["modules", "lint", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:" in out and "DC001" in out and "DC002" in out


def test_unknown_paths_are_named(tmp_path):
    from datacircle.cli import main

    with pytest.raises(SystemExit, match="nowhere.md"):
        main(["modules", "lint", str(Path(tmp_path / "nowhere.md"))])


def test_lint_needs_no_database():
    import os
    import subprocess
    import sys

    environment = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nowhere"}
    done = subprocess.run(
        [sys.executable, "-m", "datacircle.cli", "modules", "lint", str(services.STARTER_FOLDER)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(STARTER)} module(s) checked: 0 error(s), 0 warning(s)." in done.stdout


def test_restarting_never_overwrites_an_admins_draft_of_a_starter_module(starter):
    from dataclasses import replace

    module = Module.objects.get(organisation__isnull=True, slug=SEED.stem)
    services.save_working_copy(module, replace(services.parsed(module), title="Our own title"))
    services.load_starter_library()
    module.refresh_from_db()
    assert (module.title, module.status) == ("Our own title", "draft")
