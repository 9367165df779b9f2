"""Fixtures of the maturity scan: the built-in questionnaire, a small hand-checkable one, scans
and colleagues who answer them."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

# Three dimensions, two questions each: small enough to compute results by hand.
SMALL = """\
version: 1
stages:
  - {level: 1, name: Seed, description: "Nothing yet."}
  - {level: 2, name: Sprout, description: "A few try."}
  - {level: 3, name: Stem, description: "Teams do it."}
  - {level: 4, name: Branch, description: "Everyone does it."}
  - {level: 5, name: Canopy, description: "Others learn from us."}
dimensions:
  - id: leadership
    area: people
    name: Leadership
    summary: Leaders ask for data.
    stages: [l1, l2, l3, l4, l5]
    skills: [data-literacy, storytelling, dashboards]
    questions:
      - id: lead-asks
        text: Do leaders ask for data?
        answers:
          - {score: 1, text: Never}
          - {score: 2, text: Seldom}
          - {score: 3, text: Often}
          - {score: 4, text: Usually}
          - {score: 5, text: Always}
      - id: lead-budget
        text: Is there a budget for data?
        answers:
          - {score: 1, text: "No"}
          - {score: 3, text: In projects}
          - {score: 5, text: In the core budget}
  - id: data
    area: process
    name: Data
    summary: Data is kept well.
    stages: [d1, d2, d3, d4, d5]
    skills: [data-management, cleaning]
    questions:
      - id: data-quality
        text: Is our data clean?
        answers:
          - {score: 1, text: Rarely}
          - {score: 3, text: Mostly}
          - {score: 5, text: Always}
      - id: data-findable
        text: Can you find the data you need?
        answers:
          - {score: 1, text: Rarely}
          - {score: 3, text: Mostly}
          - {score: 5, text: Always}
  - id: tools
    area: technology
    name: Tools
    summary: Tools fit the work.
    stages: [t1, t2, t3, t4, t5]
    skills: [tools, collection]
    questions:
      - id: tools-fit
        text: Do the tools fit?
        answers:
          - {score: 1, text: "No"}
          - {score: 2, text: Partly}
          - {score: 4, text: Mostly}
          - {score: 5, text: Fully}
      - id: tools-support
        text: Is there support?
        answers:
          - {score: 1, text: "No"}
          - {score: 5, text: "Yes"}
"""


@pytest.fixture
def builtin_version(db):
    from datacircle.maturity.services import load_builtin_questionnaire

    return load_builtin_questionnaire()


@pytest.fixture
def small_version(network):
    """Kenya's own questionnaire: the small one above, saved as an edit."""
    from datacircle.maturity.services import save_questionnaire

    return save_questionnaire(network["kenya"], SMALL, network["kenyan_coordinator"])


def make_scan(organisation, questionnaire, title="Scan 2026", opens=date(2026, 4, 6), **fields):
    from datacircle.maturity.models import Scan

    return Scan.objects.create(
        organisation=organisation,
        title=title,
        questionnaire=questionnaire,
        opens_on=opens,
        **fields,
    )


@pytest.fixture
def small_scan(network, small_version):
    return make_scan(network["kenya"], small_version)


_counter = iter(range(10_000))


def colleague(organisation, unit=None, **fields):
    """A person without a login."""
    from datacircle.accounts.models import Person

    n = next(_counter)
    return Person.objects.create(
        organisation=organisation,
        unit=unit,
        given_name=f"Colleague{n}",
        family_name="Test",
        kind="staff",
        languages=["en"],
        **fields,
    )


def answer(scan, answers, targets=None, person=None, unit=None):
    """A response saved directly (the web form is tested on its own)."""
    from datacircle.maturity.models import ScanResponse

    person = person or colleague(scan.organisation, unit)
    return ScanResponse.objects.create(
        scan=scan,
        person=person,
        unit=person.unit,
        answers=answers,
        targets=targets or {},
        submitted_at=timezone.now(),
    )


def answer_everything(scan, score_of, count, unit=None, targets=None):
    """`count` responses answering each question with score_of(question) (None: skip it)."""
    q = scan.questionnaire.parsed()
    answers = {}
    for question in q.questions:
        score = score_of(question)
        if score is not None:
            answers[question.id] = score
    return [answer(scan, answers, targets, unit=unit) for _ in range(count)]


def lowest(question):
    return question.answers[0].score


def highest(question):
    return question.answers[-1].score
