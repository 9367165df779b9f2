"""Running jobs: in a thread of the web process (default), inline (tests), or in `datacircle worker`.

DATACIRCLE_JOBS chooses: "thread" suits one machine; "worker" suits several app workers behind a
load balancer, where any number of `datacircle worker` processes claim queued jobs from the
database (a job is claimed by one conditional UPDATE, so two workers never run the same job).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from datacircle.core.i18n import Message, as_json
from datacircle.jobs.models import Job

log = logging.getLogger(__name__)

JobFunction = Callable[[Job, "Progress"], dict]
KINDS: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register the function that runs jobs of kind `name`; it returns the job's result dict."""

    def register(function: JobFunction) -> JobFunction:
        KINDS[name] = function
        return function

    return register


class JobFailed(Exception):
    """Raised by a job function with a message and a result to show the person who started it.
    A message marked with `gettext_noop` (a core `Message`, or a plain msgid) is shown in the
    reader's language."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result or {}


class Progress:
    """Writes a job's progress to the database, at most a few times a second.

    A step is a text marked with `gettext_noop`, untranslated: the job page translates it for
    whoever reads it. A core `Message` keeps its parameters."""

    interval = 0.3

    def __init__(self, job: Job):
        self.job = job
        self.last = 0.0
        self.done, self.total = job.done, job.total

    def __call__(self, done: int, total: int, step: str | None = None, force: bool = False) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if not force and now - self.last < self.interval and done < total:
            return
        self.last = now
        fields = {"done": done, "total": total}
        if step is not None:
            stored = as_json(step)
            fields["step"] = str(stored["message"])[:200]
            fields["step_params"] = stored["params"]
        Job.objects.filter(pk=self.job.pk).update(**fields)

    def step(self, text: str) -> None:
        self(self.done, self.total, text, force=True)


def mode() -> str:
    return getattr(settings, "DATACIRCLE_JOBS", "thread")


def enqueue(job: Job) -> None:
    """Start `job` as the configured mode says, once the current transaction has committed."""
    current = mode()
    if current == "inline":
        transaction.on_commit(lambda: run(job.pk))
    elif current == "thread":
        transaction.on_commit(
            lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True).start()
        )


def _run_in_thread(pk: int) -> None:
    try:
        run(pk)
    finally:
        connection.close()


def run(pk: int) -> bool:
    """Claim and run one queued job; False when another worker had already claimed it."""
    claimed = Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    job = Job.objects.get(pk=pk)
    function = KINDS.get(job.kind)
    try:
        if function is None:
            raise JobFailed(f"unknown job kind {job.kind!r}")
        result = function(job, Progress(job))
    except JobFailed as failure:
        message = failure.args[0] if failure.args else ""
        error = {"error": str(message)}
        if isinstance(message, Message):
            error["error_message"] = as_json(message)
        _finish(job, Job.Status.FAILED, {**error, **failure.result})
    except Exception as error:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, {"error": f"{type(error).__name__}: {error}"})
    else:
        _finish(job, Job.Status.DONE, result)
    return True


def _finish(job: Job, status: str, result: dict) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, result=result, finished_at=timezone.now(), upload=None
    )


def work(poll: float = 1.0, once: bool = False) -> int:
    """The `datacircle worker` loop: run queued jobs oldest first; returns how many ran."""
    ran = 0
    while True:
        # Between jobs, drop a connection the database has closed (a long-lived worker outlives
        # server restarts); never inside a transaction, where the caller owns the connection.
        if not connection.in_atomic_block:
            close_old_connections()
        queued = list(
            Job.objects.filter(status=Job.Status.QUEUED)
            .order_by("created_at")
            .values_list("pk", flat=True)[:10]
        )
        for pk in queued:
            ran += run(pk)
        if once:
            return ran
        if not queued:
            time.sleep(poll)
