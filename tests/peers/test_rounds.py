"""A coordinator runs a matching round in the browser's pages: compute, review, edit, publish;
people answer by link or signed in; everything leaves a history."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from datacircle.peers.models import Match, MatchingRound, Unmatched
from datacircle.peers.services import match_token


@pytest.fixture
def computed(profiles, network, login, django_capture_on_commit_callbacks):
    client = login(network["kenyan_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("peers-rounds"), {"title": "March round", "scope": "kenya-rc"}
        )
    assert response.status_code == 302
    round = MatchingRound.objects.get(title="March round")
    return client, round


def test_the_coordinator_gets_the_optimum_with_reasons(computed, profiles, network):
    client, round = computed
    assert round.status == "draft"
    assert round.organisation == network["kenya"]
    pairs = {(m.learner.given_name, m.sharer.given_name, m.skill) for m in round.matches.all()}
    # Wanjiru with Otieno (45) and Achieng with Baraka (50) beat the other way round (40 + 45).
    assert pairs == {("Wanjiru", "Otieno", "gis"), ("Achieng", "Baraka", "analysis")}
    assert round.total_benefit == 95
    assert round.upper_bound == 95
    page = client.get(reverse("peers-round", args=[round.pk])).content.decode()
    assert "They work in different units: the circle widens." in page
    assert "Both speak English." in page
    assert "The learner&#x27;s first match." in page
    # Senegal is not in a Kenyan round, and nobody is told anything while it is a draft.
    assert "Awa Diop" not in page
    assert mail.outbox == []


def test_only_coordinators_of_the_organisation_see_and_run_rounds(computed, network, login, client):
    _client, round = computed
    assert login(network["kenyan"]).get(reverse("peers-rounds")).status_code == 403
    client.logout()
    other = login(network["senegalese"])
    assert other.get(reverse("peers-round", args=[round.pk])).status_code == 403
    client.logout()
    admin = login(network["admin"])
    assert admin.get(reverse("peers-round", args=[round.pk])).status_code == 200


def test_a_network_round_says_why_someone_is_not_matched(
    profiles, network, login, django_capture_on_commit_callbacks
):
    client = login(network["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peers-rounds"), {"title": "Everyone", "scope": "network"})
    round = MatchingRound.objects.get(title="Everyone")
    assert round.organisation is None
    reason = Unmatched.objects.get(round=round, learner=network["senegalese"]).reason
    assert reason == ["nobody-shares", "gis", "fr"]
    page = client.get(reverse("peers-round", args=[round.pk])).content.decode()
    assert "Nobody available shares Maps and GIS in French." in page


def test_removing_and_assigning_by_hand_keep_the_rules(computed, profiles, network):
    client, round = computed
    wanjiru = network["kenyan"]
    match = round.matches.get(learner=wanjiru)
    client.post(
        reverse("peers-round-action", args=[round.pk]), {"action": "remove", "match": match.pk}
    )
    assert not round.matches.filter(learner=wanjiru).exists()
    assert Unmatched.objects.get(round=round, learner=wanjiru).reason == ["removed"]
    round.refresh_from_db()
    assert round.total_benefit == 50

    page = client.get(reverse("peers-round-assign", args=[round.pk, wanjiru.pk]))
    text = page.content.decode()
    assert "Otieno" in text and "Baraka" in text
    # Baraka's only place is taken by Achieng: choosing him is refused with a reason.
    refused = client.post(
        reverse("peers-round-assign", args=[round.pk, wanjiru.pk]),
        {"sharer": profiles["baraka_person"].pk},
        follow=True,
    )
    assert "has no place left" in refused.content.decode()
    # Achieng cannot teach anyone: not a candidate at all.
    client.post(
        reverse("peers-round-assign", args=[round.pk, wanjiru.pk]),
        {"sharer": network["kenyan_nologin"].pk},
    )
    assert not round.matches.filter(learner=wanjiru).exists()
    client.post(
        reverse("peers-round-assign", args=[round.pk, wanjiru.pk]),
        {"sharer": network["kenyan_coordinator"].pk},
    )
    made = round.matches.get(learner=wanjiru)
    assert made.edited and made.benefit == 45
    assert not Unmatched.objects.filter(round=round, learner=wanjiru).exists()


def test_publish_emails_both_sides_and_answers_drive_the_state(
    computed, network, client, django_capture_on_commit_callbacks
):
    coordinator_client, round = computed
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("peers-round-action", args=[round.pk]), {"action": "publish"}
        )
    round.refresh_from_db()
    assert round.status == "published"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["wanjiru@example.org", "otieno@example.org", "achieng@example.org", "baraka@example.org"]
    )
    achieng_mail = next(m for m in mail.outbox if m.to == ["achieng@example.org"])
    link = next(line for line in achieng_mail.body.splitlines() if "/peers/m/" in line)
    path = link[link.index("/peers/m/") :]

    # Achieng has no login: the link alone lets her answer.
    coordinator_client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "Accept" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"action": "accept"})
    match = round.matches.get(learner=network["kenyan_nologin"])
    assert (match.status, match.learner_answer) == ("waiting", "accepted")
    assert mail.outbox == []  # nothing changes for the other side until both answer

    baraka_mail_path = reverse("peers-match-link", args=[match_token(match, "sharer")])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(baraka_mail_path, {"action": "accept"})
    match.refresh_from_db()
    assert match.status == "active"
    assert {m.to[0] for m in mail.outbox} == {"achieng@example.org", "baraka@example.org"}
    assert [(e.before, e.after) for e in match.events.all()] == [
        ("proposed", "waiting"),
        ("waiting", "waiting"),
        ("waiting", "active"),
    ]

    client.post(path, {"action": "complete", "rating": "5", "feedback": "Pivot tables!"})
    match.refresh_from_db()
    assert (match.status, match.learner_rating, match.learner_feedback) == (
        "completed",
        5,
        "Pivot tables!",
    )
    # A forged or altered link shows nothing.
    assert client.get(path[:-3] + "xyz/").status_code == 404


def test_declined_and_earlier_pairs_are_not_proposed_again(
    computed, network, login, django_capture_on_commit_callbacks
):
    coordinator_client, round = computed
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("peers-round-action", args=[round.pk]), {"action": "publish"}
        )
    declined = round.matches.get(learner=network["kenyan"])
    wanjiru_client = coordinator_client
    wanjiru_client.logout()
    wanjiru_client = login(network["kenyan"])
    page = wanjiru_client.get(reverse("peers-mine")).content.decode()
    assert "Otieno" in page
    wanjiru_client.post(reverse("peers-match", args=[declined.pk]), {"action": "decline"})
    declined.refresh_from_db()
    assert declined.status == "declined"

    wanjiru_client.logout()
    client = login(network["kenyan_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peers-rounds"), {"title": "April round", "scope": "kenya-rc"})
    april = MatchingRound.objects.get(title="April round")
    # Wanjiru is free again but Otieno (declined) is excluded and Baraka is busy with Achieng,
    # whose match is still waiting: she is not matched, and the reason says why.
    assert not april.matches.filter(learner=network["kenyan"]).exists()
    assert Unmatched.objects.get(round=april, learner=network["kenyan"]).reason == ["excluded"]
    assert not april.matches.filter(learner=network["kenyan_nologin"]).exists()


def test_a_published_round_cannot_be_changed(computed, network):
    client, round = computed
    client.post(reverse("peers-round-action", args=[round.pk]), {"action": "publish"})
    match = round.matches.first()
    response = client.post(
        reverse("peers-round-action", args=[round.pk]),
        {"action": "remove", "match": match.pk},
        follow=True,
    )
    assert "Only a draft round can be changed." in response.content.decode()
    assert Match.objects.filter(pk=match.pk).exists()


def test_the_csv_is_safe_from_formula_injection(computed, network):
    client, round = computed
    person = network["kenyan"]
    person.given_name = "=HYPERLINK(1)"
    person.save()
    body = client.get(reverse("peers-round-csv", args=[round.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body
    assert body.splitlines()[0].startswith("learner,learner_email,sharer")


def test_two_drafts_cannot_both_book_the_same_people(
    computed, network, django_capture_on_commit_callbacks
):
    client, first = computed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("peers-rounds"), {"title": "Second draft", "scope": "kenya-rc"})
    second = MatchingRound.objects.get(title="Second draft")
    assert second.matches.count() == 2  # computed while the first was still a draft
    client.post(reverse("peers-round-action", args=[first.pk]), {"action": "publish"})
    refused = client.post(
        reverse("peers-round-action", args=[second.pk]), {"action": "publish"}, follow=True
    )
    assert "Compute this round again before publishing it." in refused.content.decode()
    second.refresh_from_db()
    assert second.status == "draft"
    assert not second.matches.exclude(status="proposed").exists()


def test_match_proposals_reach_each_side_in_their_language(
    computed, network, django_capture_on_commit_callbacks
):
    from django.utils import translation
    from django.utils.translation import gettext as _

    from datacircle.peers.services import skill_label

    coordinator_client, round = computed
    learner = network["kenyan_nologin"]
    match = round.matches.get(learner=learner)
    sharer = match.sharer
    learner.languages, sharer.languages = ["ar"], ["fr"]
    learner.save(update_fields=["languages"])
    sharer.save(update_fields=["languages"])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("peers-round-action", args=[round.pk]), {"action": "publish"}
        )
    to = {m.to[0]: m for m in mail.outbox}
    with translation.override("ar"):
        skill = skill_label(match.skill, learner.organisation)
        assert to[learner.email].subject == _("You have a peer-learning match: %(skill)s") % {
            "skill": skill
        }
    with translation.override("fr"):
        skill = skill_label(match.skill, sharer.organisation)
        assert to[sharer.email].subject == _("Could you help a colleague learn %(skill)s?") % {
            "skill": skill
        }
    assert "peer-learning" not in to[learner.email].subject
    assert "Could you help" not in to[sharer.email].subject
