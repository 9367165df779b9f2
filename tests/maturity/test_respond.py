"""Answering a scan: one page, specific errors, one response per person, updates while open."""

from __future__ import annotations

from django.urls import reverse

from tests.maturity.conftest import make_scan


def form_data(q, score_of, targets=None):
    data = {}
    for question in q.questions:
        score = score_of(question)
        data[f"q-{question.id}"] = "skip" if score is None else str(score)
    for dimension_id, stage in (targets or {}).items():
        data[f"target-{dimension_id}"] = str(stage)
    return data


def test_the_page_has_a_fieldset_per_dimension_with_radios_and_a_target(
    network, login, builtin_version
):
    scan = make_scan(network["kenya"], builtin_version)
    page = login(network["kenyan"]).get(reverse("maturity-respond", args=[scan.pk]))
    html = page.content.decode()
    q = builtin_version.parsed()
    assert html.count('<fieldset id="dimension-') == len(q.dimensions)
    for dimension in q.dimensions:
        assert dimension.summary in html
        assert f'name="target-{dimension.id}"' in html
    for question in q.questions:
        assert html.count(f'type="radio" name="q-{question.id}"') == len(question.answers) + 1
    assert "Health" in html  # the unit the answers count for
    assert "<script" not in html


def test_a_member_answers_and_the_response_is_stored_with_their_unit(network, login, small_scan):
    from datacircle.maturity.models import ScanResponse

    q = small_scan.questionnaire.parsed()
    scores = {"lead-asks": 4, "lead-budget": 3, "data-quality": 5, "data-findable": None}
    data = form_data(q, lambda question: scores.get(question.id, 1), {"leadership": 5, "data": 4})
    response = login(network["kenyan"]).post(
        reverse("maturity-respond", args=[small_scan.pk]), data
    )
    assert response.status_code == 302
    saved = ScanResponse.objects.get()
    assert saved.person == network["kenyan"]
    assert saved.unit == network["kenyan"].unit
    assert saved.answers == {
        "lead-asks": 4,
        "lead-budget": 3,
        "data-quality": 5,
        "tools-fit": 1,
        "tools-support": 1,
    }  # "I don't know" is left out
    assert saved.targets == {"leadership": 5, "data": 4}
    listing = login(network["kenyan"]).get(reverse("area-maturity")).content.decode()
    assert "Answered on" in listing and "Change my answers" in listing


def test_missing_and_impossible_answers_get_specific_errors(network, login, small_scan):
    from datacircle.maturity.models import ScanResponse

    q = small_scan.questionnaire.parsed()
    data = form_data(q, lambda question: 1)
    del data["q-lead-budget"]
    data["q-data-quality"] = "2"  # not offered: the answers score 1, 3 and 5
    data["target-tools"] = "9"
    response = login(network["kenyan"]).post(
        reverse("maturity-respond", args=[small_scan.pk]), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose an answer to “Is there a budget for data?”, or “I don&#x27;t know”." in html
    assert "“2” is not one of the answers offered." in html
    assert "Choose a stage from 1 to 5 for “Tools”." in html
    # What was chosen stays chosen.
    assert 'name="q-lead-asks" value="1"' in html and "checked" in html
    assert not ScanResponse.objects.exists()


def test_answering_again_updates_the_one_response(network, login, small_scan):
    from datacircle.maturity.models import ScanResponse

    q = small_scan.questionnaire.parsed()
    client = login(network["kenyan"])
    url = reverse("maturity-respond", args=[small_scan.pk])
    client.post(url, form_data(q, lambda question: 1, {"data": 2}))
    page = client.get(url).content.decode()
    assert "sending again replaces those answers" in page
    assert 'value="2" selected' in page  # the earlier target is shown
    client.post(url, form_data(q, lambda question: question.answers[-1].score, {"data": 5}))
    saved = ScanResponse.objects.get()
    assert saved.answers["lead-asks"] == 5 and saved.answers["tools-support"] == 5
    assert saved.targets == {"data": 5}


def test_a_closed_scan_takes_no_answers(network, login, small_scan):
    from datacircle.maturity.models import ScanResponse

    small_scan.status = "closed"
    small_scan.save()
    client = login(network["kenyan"])
    url = reverse("maturity-respond", args=[small_scan.pk])
    assert client.get(url).status_code == 410
    q = small_scan.questionnaire.parsed()
    refused = client.post(url, form_data(q, lambda question: 1))
    assert refused.status_code == 410
    assert "no longer takes answers" in refused.content.decode()
    assert not ScanResponse.objects.exists()
    assert "Take the scan" not in client.get(reverse("area-maturity")).content.decode()


def test_submit_refuses_answers_that_do_not_fit_the_scans_version(network, small_scan):
    import pytest

    from datacircle.maturity import services

    with pytest.raises(ValueError, match="unknown question 'leadership-asks'"):
        services.submit(small_scan, network["kenyan"], {"leadership-asks": 3}, {})
    small_scan.status = "closed"
    small_scan.save()
    with pytest.raises(services.ScanClosed):
        services.submit(small_scan, network["kenyan"], {"lead-asks": 3}, {})
