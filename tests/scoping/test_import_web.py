"""Importing an export in the browser: a background job, all or nothing, never twice."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datacircle.core.demo_scoping import write_kobo_csv
from datacircle.jobs.models import Job
from datacircle.scoping.models import Response
from tests.scoping.conftest import frame_of


def kobo_file(tmp_path, *answers) -> bytes:
    path = tmp_path / "export.csv"
    write_kobo_csv(frame_of(*answers), path)
    return path.read_bytes()


def upload(client, round, content: bytes, name="export.csv"):
    return client.post(
        reverse("scoping-import", args=[round.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


ANSWERS = (
    {"unit": "Health", "learn": {"gis": 1}, "share": {"spreadsheets": 4}},
    {"unit": "Health", "learn": {"analysis": 0, "gis": 2}},
    {"unit": "Logistics", "share": {"gis": 3}, "barriers": ["time"]},
)


def test_coordinator_imports_a_kobo_export_once(
    network, login, round, tmp_path, django_capture_on_commit_callbacks
):
    client = login(network["kenyan_coordinator"])
    content = kobo_file(tmp_path, *ANSWERS)
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(client, round, content)
    job = Job.objects.get()
    assert page.url == reverse("job", args=[job.pk])
    assert job.status == "done", job.result
    assert Response.objects.filter(round=round).count() == 3
    shown = client.get(page.url).content.decode()
    assert "3 new, 0 updated, 0 already imported." in shown

    with django_capture_on_commit_callbacks(execute=True):
        again = upload(client, round, content)
    assert "0 new, 0 updated, 3 already imported." in client.get(again.url).content.decode()
    assert Response.objects.filter(round=round).count() == 3


def test_a_broken_file_imports_nothing_and_lists_every_problem(
    network, login, round, tmp_path, django_capture_on_commit_callbacks
):
    client = login(network["kenyan_coordinator"])
    text = kobo_file(tmp_path, *ANSWERS).decode()
    lines = text.splitlines()
    # Row 3 of the spreadsheet (the second answer) claims a level that does not exist.
    lines[2] = lines[2].replace('"2"', '"7"', 1)
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(client, round, ("\n".join(lines) + "\n").encode())
    job = Job.objects.get()
    assert job.status == "failed"
    assert Response.objects.count() == 0
    shown = client.get(page.url).content.decode()
    assert "nothing was imported" in shown
    problem = job.result["problems"][0]
    assert problem["row"] == 3
    assert "learn_level_gis" in problem["column"]
    assert "7" in problem["message"]


def test_people_who_do_not_run_rounds_cannot_import(network, login, round, tmp_path):
    client = login(network["kenyan"])
    assert client.get(reverse("scoping-import", args=[round.pk])).status_code == 404
    other = login(network["senegalese"])
    assert other.post(reverse("scoping-import", args=[round.pk])).status_code == 404
    assert not Job.objects.exists()


def test_only_the_person_who_started_a_job_sees_it(
    network, login, round, tmp_path, django_capture_on_commit_callbacks
):
    client = login(network["kenyan_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(client, round, kobo_file(tmp_path, *ANSWERS))
    assert login(network["kenyan"]).get(page.url).status_code == 404


def test_a_submission_edited_since_the_last_import_is_updated(network, round):
    from datacircle.scoping import services

    services.save_frame(round, frame_of(*ANSWERS), "kobo")
    edited = [dict(a) for a in ANSWERS]
    edited[0]["unit"] = "Logistics"  # moved unit, same answers
    edited[1]["learn"] = {"analysis": 1, "gis": 2}  # a level corrected
    saved = services.save_frame(round, frame_of(*edited), "kobo")
    assert (saved.created, saved.updated, saved.unchanged) == (0, 2, 1)
    assert Response.objects.get(round=round, uuid="r0").unit == "Logistics"
    assert Response.objects.get(round=round, uuid="r1").answers["learn"] == ["analysis:1", "gis:2"]
