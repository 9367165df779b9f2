"""An import problem is written by the core in English and read in the reader's language."""

from __future__ import annotations

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
