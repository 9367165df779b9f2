"""Background job of the programme: planning it with the core planner."""

from __future__ import annotations

from django.urls import reverse

from datacircle.jobs.models import Job
from datacircle.jobs.runner import JobFailed, Progress, job_kind
from datacircle.programme.models import Programme


@job_kind("programme.plan")
def plan_programme(job: Job, progress: Progress) -> dict:
    from datacircle.core.planning import PlanningError
    from datacircle.programme import plans

    programme = Programme.objects.select_related("organisation", "demand_round").get(
        pk=job.payload["programme"]
    )
    try:
        summary = plans.compute(programme, progress=lambda text: progress.step(text))
    except (PlanningError, plans.PlanError) as error:
        # The core's message, untranslated: each reader sees it in their own language.
        message = error.args[0] if error.args else str(error)
        plans.fail(programme, message)
        raise JobFailed(message) from error
    return {**summary, "next_url": reverse("programme-plan", args=[programme.pk])}
