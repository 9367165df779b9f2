"""A job's step and failure are stored untranslated and read in each reader's language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from datacircle.core.i18n import gettext_noop
from datacircle.jobs import runner
from datacircle.jobs.models import Job


@pytest.fixture
def reader(network, login):
    person = network["kenyan_coordinator"]
    return person.user, login(person)


def _page(client, job, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client.get(reverse("job", args=[job.pk])).content.decode()


def test_a_step_written_in_english_is_read_in_arabic(reader):
    user, client = reader
    job = Job.objects.create(kind="test.x", title="Plan", created_by=user, status="running")
    with translation.override("en"):
        runner.Progress(job).step(
            gettext_noop(
                "solution %(count)s: objective %(objective)s, bound %(bound)s",
                count=3,
                objective=12,
                bound=10,
            )
        )
    job.refresh_from_db()
    assert job.step.startswith("solution %(count)s") and job.step_params["count"] == 3
    assert "الحل 3: الهدف 12، الحد 10" in _page(client, job, "ar")
    assert "solution 3: objective 12, bound 10" in _page(client, job, "en")


def test_a_plain_marked_step_is_translated_and_an_old_step_is_shown_as_written(reader):
    user, client = reader
    job = Job.objects.create(kind="test.x", title="Import", created_by=user, status="running")
    runner.Progress(job).step(gettext_noop("Reading the file"))
    assert "Lecture du fichier" in _page(client, job, "fr")
    Job.objects.filter(pk=job.pk).update(step="Enregistrement en cours", step_params={})
    assert "Enregistrement en cours" in _page(client, job, "es")


def test_a_failure_from_the_core_is_read_in_the_reader_s_language(reader, monkeypatch):
    user, client = reader

    def refuse(job, progress):
        raise runner.JobFailed(
            gettext_noop(
                "must be at most %(limit)s characters (it has %(length)s)", limit=5, length=9
            )
        )

    monkeypatch.setitem(runner.KINDS, "test.refuse", refuse)
    job = Job.objects.create(kind="test.refuse", title="Refuse", created_by=user)
    runner.run(job.pk)
    job.refresh_from_db()
    assert job.result["error"] == "must be at most 5 characters (it has 9)"
    assert "debe tener como máximo 5 caracteres (tiene 9)" in _page(client, job, "es")
