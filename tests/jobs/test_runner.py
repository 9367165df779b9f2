"""Background jobs: claimed once, results and failures kept, progress visible, worker loop."""

from __future__ import annotations

import pytest

from datacircle.jobs import runner
from datacircle.jobs.models import Job


@pytest.fixture
def kinds(monkeypatch):
    registry: dict = {}
    monkeypatch.setattr(runner, "KINDS", registry)
    return registry


def test_a_job_runs_once_and_keeps_its_result(db, kinds):
    calls = []

    def count(job, progress):
        calls.append(job.pk)
        progress(3, 3, "counting", force=True)
        return {"counted": 3}

    kinds["test.count"] = count
    job = Job.objects.create(kind="test.count", title="Count", upload=b"data")
    assert runner.run(job.pk) is True
    assert runner.run(job.pk) is False  # already claimed: a second worker does nothing
    job.refresh_from_db()
    assert calls == [job.pk]
    assert job.status == Job.Status.DONE and job.result == {"counted": 3}
    assert (job.done, job.total, job.step, job.percent) == (3, 3, "counting", 100)
    assert job.upload is None  # the uploaded file is not kept once the job has finished
    assert job.started_at <= job.finished_at


def test_failures_are_reported_not_raised(db, kinds):
    def refuse(job, progress):
        raise runner.JobFailed("the file is empty", {"problems": [1]})

    def crash(job, progress):
        raise RuntimeError("disk full")

    kinds.update({"test.refuse": refuse, "test.crash": crash})
    refused = Job.objects.create(kind="test.refuse", title="Refuse")
    crashed = Job.objects.create(kind="test.crash", title="Crash")
    unknown = Job.objects.create(kind="test.unknown", title="Unknown")
    for job in (refused, crashed, unknown):
        runner.run(job.pk)
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED
    assert refused.result == {"error": "the file is empty", "problems": [1]}
    assert crashed.result == {"error": "RuntimeError: disk full"}
    assert "test.unknown" in unknown.result["error"]


def test_worker_runs_queued_jobs_oldest_first(db, kinds):
    order = []
    kinds["test.note"] = lambda job, progress: order.append(job.title) or {}
    for title in ("first", "second"):
        Job.objects.create(kind="test.note", title=title)
    assert runner.work(once=True) == 2
    assert order == ["first", "second"]
    assert runner.work(once=True) == 0


def test_progress_is_throttled_but_the_end_is_always_written(db, kinds):
    job = Job.objects.create(kind="test.x", title="X")
    progress = runner.Progress(job)
    progress(1, 100)
    progress(2, 100)  # too soon after the first: not written
    job.refresh_from_db()
    assert job.done == 1
    progress(100, 100)
    job.refresh_from_db()
    assert job.done == 100


def test_job_page_refreshes_until_finished(network, login, kinds):
    client = login(network["kenyan_coordinator"])
    job = Job.objects.create(
        kind="test.x", title="Import of x.csv", created_by=network["kenyan_coordinator"].user
    )
    page = client.get(f"/jobs/{job.pk}/")
    assert 'http-equiv="refresh"' in page.content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    page = client.get(f"/jobs/{job.pk}/")
    assert 'http-equiv="refresh"' not in page.content.decode()
