"""Who sees which scans, who starts them, who reads results and edits the questionnaire."""

from __future__ import annotations

from django.urls import reverse

from tests.maturity.conftest import SMALL, answer_everything, lowest, make_scan


def test_people_see_their_organisations_scans_and_admins_all(network, login, builtin_version):
    make_scan(network["kenya"], builtin_version, title="Kenya scan")
    make_scan(network["senegal"], builtin_version, title="Scan du Sénégal")
    kenyan = login(network["kenyan"]).get(reverse("area-maturity")).content.decode()
    assert "Kenya scan" in kenyan and "Scan du Sénégal" not in kenyan
    assert "Take the scan" in kenyan
    admin = login(network["admin"]).get(reverse("area-maturity")).content.decode()
    assert "Kenya scan" in admin and "Scan du Sénégal" in admin
    # The admin is of the IFRC: they read results but answer only their own organisation's.
    assert "Take the scan" not in admin


def test_anonymous_people_are_sent_to_log_in(client, network, builtin_version):
    scan = make_scan(network["kenya"], builtin_version)
    for url in (
        reverse("area-maturity"),
        reverse("maturity-respond", args=[scan.pk]),
        reverse("maturity-results", args=[scan.pk]),
        reverse("maturity-questionnaire"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_coordinators_start_scans(network, login, builtin_version):
    from datacircle.maturity.models import Scan

    member = login(network["kenyan"])
    page = member.get(reverse("area-maturity")).content.decode()
    assert "Start a new scan" not in page
    refused = member.post(reverse("area-maturity"), {"title": "Mine", "opens_on": "2026-05-04"})
    assert refused.status_code == 403
    assert not Scan.objects.exists()

    coordinator = login(network["kenyan_coordinator"])
    done = coordinator.post(
        reverse("area-maturity"), {"title": "Quick scan 2026", "opens_on": "2026-05-04"}
    )
    assert done.status_code == 302
    scan = Scan.objects.get()
    assert scan.organisation == network["kenya"] and scan.is_open
    assert scan.questionnaire == builtin_version  # no own copy yet: the built-in
    assert scan.created_by == network["kenyan_coordinator"]


def test_new_scan_form_errors_are_specific(network, login, builtin_version):
    coordinator = login(network["kenyan_coordinator"])
    make_scan(network["kenya"], builtin_version, title="Quick scan 2026")
    page = coordinator.post(
        reverse("area-maturity"),
        {"title": "quick scan 2026", "opens_on": "2026-05-04", "closes_on": "2026-05-01"},
    ).content.decode()
    assert "already has a scan with this title" in page
    assert "cannot close before it opens" in page


def test_results_are_for_coordinators_and_admins_only(network, login, builtin_version):
    scan = make_scan(network["kenya"], builtin_version)
    answer_everything(scan, lowest, 3)
    url = reverse("maturity-results", args=[scan.pk])
    assert login(network["kenyan"]).get(url).status_code == 404
    assert login(network["senegalese"]).get(url).status_code == 404
    assert login(network["kenyan_coordinator"]).get(url).status_code == 200
    assert login(network["admin"]).get(url).status_code == 200
    export = reverse("maturity-results-export", args=[scan.pk, "xlsx"])
    assert login(network["kenyan"]).get(export).status_code == 404


def test_people_answer_only_their_own_organisations_scans(network, login, builtin_version):
    scan = make_scan(network["kenya"], builtin_version)
    url = reverse("maturity-respond", args=[scan.pk])
    assert login(network["senegalese"]).get(url).status_code == 404
    assert login(network["admin"]).get(url).status_code == 404
    assert login(network["kenyan"]).get(url).status_code == 200


def test_only_coordinators_edit_the_questionnaire(network, login, builtin_version):
    from datacircle.maturity.models import Questionnaire

    url = reverse("maturity-questionnaire")
    member = login(network["kenyan"])
    assert member.get(url).status_code == 403
    assert member.post(url, {"text": SMALL}).status_code == 403
    assert not Questionnaire.objects.filter(organisation__isnull=False).exists()


def test_coordinators_open_and_close_scans_of_their_organisation(network, login, builtin_version):
    scan = make_scan(network["kenya"], builtin_version)
    url = reverse("maturity-status", args=[scan.pk])
    assert login(network["kenyan"]).post(url, {"status": "closed"}).status_code == 404
    scan.refresh_from_db()
    assert scan.is_open
    coordinator = login(network["kenyan_coordinator"])
    assert coordinator.post(url, {"status": "closed"}).status_code == 302
    scan.refresh_from_db()
    assert not scan.is_open
    assert coordinator.post(url, {"status": "maybe"}).status_code == 400
