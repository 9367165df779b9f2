"""A planning failure is stored untranslated and read in each reader's language."""

from __future__ import annotations

from dataclasses import replace

from django.urls import reverse

from datacircle.jobs.models import Job
from datacircle.programme import plans
from datacircle.programme.models import Programme
from tests.programme.test_plans import group, new_programme  # noqa: F401 (a fixture)


def _in(client, language: str, url: str) -> str:
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client.get(url).content.decode()


def test_a_planning_failure_is_shown_in_french_on_the_job_page_and_the_programme(
    group,  # noqa: F811
    network,
    login,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    problem_for = plans.problem_for
    refused = []

    def with_a_negative_limit(programme):
        # A facilitator the planner refuses: the core's own check, not a stand-in for it.
        problem, versions = problem_for(programme)
        first, *others = problem.facilitators
        refused.append(repr(first.key))
        return replace(problem, facilitators=(replace(first, monthly_limit=-1), *others)), versions

    monkeypatch.setattr(plans, "problem_for", with_a_negative_limit)
    client = login(network["kenyan_coordinator"])
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        response = new_programme(client, group)
    job = Job.objects.get(kind="programme.plan")
    assert response.url == reverse("job", args=[job.pk]) and job.status == "failed"
    (key,) = refused
    assert job.result["error"] == f"facilitator {key}: negative monthly limit"

    page = client.get(response.url).content.decode()
    assert f"facilitateur {key} : limite mensuelle négative" in page.replace("&#x27;", "'")
    programme = Programme.objects.get()
    assert programme.status == "failed"
    plan_page = _in(client, "es", reverse("programme-plan", args=[programme.pk]))
    assert f"facilitador {key}: límite mensual negativo" in plan_page.replace("&#x27;", "'")


def test_a_milestone_rule_problem_is_shown_in_the_reader_s_language(network, login):
    client = login(network["kenyan_coordinator"])
    impossible = {"name": "Impossible", "kind": "fixed", "month": "2", "day": "31"}
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.post(reverse("programme-milestones"), {**impossible, "length_days": "1"})
    assert "règle du temps fort : février n&#x27;a pas de jour 31" in page.content.decode()
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    page = client.post(reverse("programme-milestones"), {**impossible, "length_days": "1"})
    assert "قاعدة المحطة البارزة: لا يوجد في فبراير يوم 31" in page.content.decode()
