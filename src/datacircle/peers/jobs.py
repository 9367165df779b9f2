"""Background job of peer learning: computing a matching round."""

from __future__ import annotations

from django.urls import reverse

from datacircle.jobs.models import Job
from datacircle.jobs.runner import JobFailed, Progress, job_kind
from datacircle.peers.models import MatchingRound


@job_kind("peers.match")
def compute_round(job: Job, progress: Progress) -> dict:
    from datacircle.core.matching import MatchingError
    from datacircle.peers import services

    round = MatchingRound.objects.get(pk=job.payload["round"])
    try:
        summary = services.compute(round, progress=progress)
    except MatchingError as error:
        # The core's message, untranslated: each reader sees it in their own language.
        message = error.args[0] if error.args else str(error)
        services.fail(round, message)
        raise JobFailed(message) from error
    return {**summary, "next_url": reverse("peers-round", args=[round.pk])}
