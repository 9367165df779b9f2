"""The public questionnaire: no login, no JavaScript, consent first, nothing kept without it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datacircle.scoping.models import Response
from datacircle.scoping.services import round_frame


def url(round):
    return reverse("scoping-questionnaire", args=[round.token])


def test_anyone_can_open_the_form_without_logging_in(client, round):
    page = client.get(url(round))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kenya baseline" in html
    assert "Analysing data" in html  # skills from the taxonomy
    assert "<script" not in html  # works without JavaScript
    assert 'name="consent"' in html


def test_answers_are_saved_with_their_levels(client, round):
    answer = {
        "consent": "yes",
        "unit": "Health",
        "role": "volunteer",
        "country": "KE",
        "barriers": ["time", "other"],
        "barriers_other": "No laptop at the branch",
        "learn_level_gis": "1",
        "learn_level_analysis": "0",
        "share_level_spreadsheets": "4",
        "languages": ["en", "sw"],
    }
    page = client.post(url(round), answer)
    assert page.status_code == 200
    assert "Your answers are saved" in page.content.decode()
    assert Response.objects.filter(round=round, source="web").count() == 1
    frame = round_frame(round, coded=False)
    row = frame.row(0, named=True)
    assert row["unit"] == "Health" and row["country"] == "KE" and row["role"] == "volunteer"
    assert row["learn.gis"] and row["learn_level.gis"] == 1
    assert row["learn.analysis"] and row["learn_level.analysis"] == 0
    assert not row["learn.spreadsheets"]
    assert row["share.spreadsheets"] and row["share_level.spreadsheets"] == 4
    assert row["barriers.time"] and row["barriers.other"] and not row["barriers.skills"]
    assert row["barriers_other"] == "No laptop at the branch"
    assert row["languages.sw"]


def test_without_consent_nothing_is_kept(client, round):
    page = client.post(url(round), {"consent": "no", "unit": "Health", "learn_level_gis": "1"})
    assert "nothing was saved" in page.content.decode()
    assert not Response.objects.exists()


def test_consent_must_be_answered(client, round):
    page = client.post(url(round), {"learn_level_gis": "1"})
    assert page.status_code == 200
    assert "Please say whether you agree." in page.content.decode()
    assert not Response.objects.exists()


def test_a_level_outside_the_offered_ones_is_refused(client, round):
    page = client.post(url(round), {"consent": "yes", "share_level_gis": "1"})
    assert "Select a valid choice" in page.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_round_not_open_takes_no_answers(client, round, status):
    round.status = status
    round.save()
    assert client.get(url(round)).status_code == 410
    assert client.post(url(round), {"consent": "yes"}).status_code == 410
    assert not Response.objects.exists()


def test_an_unknown_token_is_not_found(client, round):
    assert client.get(reverse("scoping-questionnaire", args=["nope"])).status_code == 404


def test_robots_filling_the_hidden_field_are_thanked_but_not_counted(client, round):
    page = client.post(
        url(round), {"consent": "yes", "learn_level_gis": "1", "website": "http://spam.example"}
    )
    assert page.status_code == 200
    assert not Response.objects.exists()
    html = client.get(url(round)).content.decode()
    assert 'class="honeypot" aria-hidden="true"' in html and 'tabindex="-1"' in html
