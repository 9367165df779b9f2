"""An import problem is written by the core in English and read in the reader's language."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datacircle.jobs.models import Job
from tests.scoping.test_import_web import ANSWERS, kobo_file, upload


def test_a_spanish_reader_sees_an_import_problem_in_spanish(
    network, login, round, tmp_path, django_capture_on_commit_callbacks
):
    client = login(network["kenyan_coordinator"])
    lines = kobo_file(tmp_path, *ANSWERS).decode().splitlines()
    lines[2] = lines[2].replace('"2"', '"7"', 1)  # a level that does not exist
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(client, round, ("\n".join(lines) + "\n").encode())
    job = Job.objects.get()
    assert "'7' is not a level" in job.result["problems"][0]["message"]  # stored in English
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    shown = client.get(page.url).content.decode()
    assert "&#x27;7&#x27; no es un nivel (se esperaba" in shown
    assert "is not a level" not in shown


def _upload_with_mapping(client, round, content: bytes, mapping: str):
    return client.post(
        reverse("scoping-import", args=[round.pk]),
        {
            "file": SimpleUploadedFile("other.csv", content, content_type="text/csv"),
            "mapping": SimpleUploadedFile("mapping.yaml", mapping.encode(), "application/yaml"),
        },
    )


def test_a_spanish_reader_sees_a_mapping_file_error_in_spanish(
    network, login, round, django_capture_on_commit_callbacks
):
    client = login(network["kenyan_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        page = _upload_with_mapping(
            client, round, b"Unit,Level\nHealth,2\n", "default_share_level: 7\n"
        )
    job = Job.objects.get()
    assert job.result["error"] == "mapping.yaml, key default_share_level: expected a level 0 to 4"
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    shown = client.get(page.url).content.decode()
    assert "mapping.yaml, clave default_share_level: se esperaba un nivel de 0 a 4" in shown
    assert "expected a level" not in shown


def test_a_file_no_column_of_which_matches_is_explained_in_spanish_with_its_count(
    network, login, round, django_capture_on_commit_callbacks
):
    client = login(network["kenyan_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(client, round, b"Colour,Size\nred,2\n")
    job = Job.objects.get()
    assert job.result["error"] == "export.csv: 1 problem; nothing was imported."
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    shown = client.get(page.url).content.decode().replace("&#x27;", "'")
    assert "export.csv: 1 problema; no se importó nada." in shown
    assert (
        "ninguna columna corresponde a una pregunta del cuestionario (columnas: 'Colour'" in shown
    )
