"""Background job of federation: pulling from a peer, with progress on the job page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from datacircle.federation.models import Peer
from datacircle.jobs.models import Job
from datacircle.jobs.runner import JobFailed, Progress, job_kind


@job_kind("federation.pull")
def pull_peer(job: Job, progress: Progress) -> dict:
    from datacircle.federation import pull

    peer = Peer.objects.get(pk=job.payload["peer"])
    next_url = reverse("federation-peer", args=[peer.pk])
    # The report's reasons are written in the language of the person who started the pull.
    with translation.override(job.payload.get("language") or settings.LANGUAGE_CODE):
        try:
            report = pull.pull(peer, dry_run=bool(job.payload.get("dry_run")), progress=progress)
        except pull.PullError as error:
            raise JobFailed(str(error), {"next_url": next_url}) from error
    return {**report.as_dict(), "next_url": next_url}
