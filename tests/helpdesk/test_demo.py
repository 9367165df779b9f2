"""The demo help desk: questions in several states and languages, FAQ entries with
translations, on top of a generated demo network with learning profiles."""

from __future__ import annotations

import pytest

from datacircle.accounts.demo import load_network
from datacircle.accounts.models import Person
from datacircle.core.demo import build_network
from datacircle.helpdesk.demo import load_demo
from datacircle.helpdesk.models import FaqEntry, Question
from datacircle.peers.models import Profile


@pytest.fixture
def demo_network(db):
    network = build_network(people=400, seed=7)
    load_network(network)
    people = {p.external_key: p for p in Person.objects.all()}
    Profile.objects.bulk_create(
        Profile(
            person=people[demo.key],
            wants=dict(demo.wants),
            shares=dict(demo.shares),
            source="demo",
        )
        for demo in network.people()
    )
    return network


def test_demo_questions_span_states_and_languages(demo_network, mailoutbox):
    summary = load_demo(demo_network)
    assert summary["questions"] == Question.objects.count() >= 8
    statuses = set(Question.objects.values_list("status", flat=True))
    assert {"resolved", "closed"} <= statuses
    assert statuses & {"answered", "assigned", "open"}
    assert Question.objects.filter(organisation__slug="senegal-rc", language="fr").exists()
    assert Question.objects.filter(organisation__slug="lebanese-rc", language="ar").exists()
    assert Question.objects.filter(asker__isnull=True).exclude(asker_name="").exists()
    for question in Question.objects.exclude(status="open"):
        assert question.events.filter(after=question.status).exists()
    # Building the demo emails nobody.
    assert mailoutbox == []


def test_demo_faq_has_translations_and_no_asker_names(demo_network):
    summary = load_demo(demo_network)
    assert summary["faq_entries"] == FaqEntry.objects.count()
    assert FaqEntry.objects.filter(original__isnull=False).count() >= 4
    languages = set(FaqEntry.objects.values_list("language", flat=True))
    assert {"en", "fr", "ar"} <= languages
    names = {p.given_name for p in Person.objects.filter(questions_asked__isnull=False)}
    for entry in FaqEntry.objects.all():
        assert not any(name in entry.body for name in names)
