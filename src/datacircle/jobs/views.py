"""The page that shows a job's progress, refreshing itself until the job has finished."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.template.loader import select_template

from datacircle.jobs.models import Job


@login_required
def job_detail(request, pk: int):
    # A job shows what its starter uploaded and learnt: only they (or a superuser) see it.
    jobs = Job.objects.all()
    if not request.user.is_superuser:
        jobs = jobs.filter(created_by=request.user)
    job = get_object_or_404(jobs.defer("upload"), pk=pk)
    # Each kind may show its result its own way: <app>/job_<kind>.html, e.g. scoping/job_import.html.
    app, _dot, name = job.kind.partition(".")
    result_template = select_template([f"{app}/job_{name}.html", "jobs/result.html"])
    return render(request, "jobs/job.html", {"job": job, "result_template": result_template})
