"""A person keeps their own learning profile; emails respect the daily digest choice."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from datacircle.notices.models import Notice
from datacircle.notices.services import notify, send_digests
from datacircle.peers.models import Profile


def test_a_person_writes_their_profile(network, login):
    client = login(network["kenyan"])
    page = client.get(reverse("peers-profile")).content.decode()
    assert "GIS" in page
    response = client.post(
        reverse("peers-profile"),
        {"want_gis": "1", "share_spreadsheets": "4", "capacity": "2", "status": "available"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(person=network["kenyan"])
    assert (profile.wants, profile.shares, profile.capacity, profile.source) == (
        {"gis": 1},
        {"spreadsheets": 4},
        2,
        "self",
    )
    mine = client.get(reverse("peers-mine")).content.decode()
    assert "Spreadsheets" in mine


def test_one_skill_cannot_be_both_learned_and_shared(network, login):
    client = login(network["kenyan"])
    response = client.post(
        reverse("peers-profile"),
        {"want_gis": "1", "share_gis": "4", "capacity": "1", "status": "available"},
    )
    assert response.status_code == 200
    assert "You cannot both learn and share" in response.content.decode()
    assert not Profile.objects.filter(person=network["kenyan"]).exists()


def test_a_sharing_level_below_can_do_alone_is_not_offered(network, login):
    client = login(network["kenyan"])
    response = client.post(
        reverse("peers-profile"), {"share_gis": "1", "capacity": "1", "status": "available"}
    )
    assert response.status_code == 200
    assert not Profile.objects.filter(person=network["kenyan"]).exists()


def test_digest_people_get_one_email_a_day(profiles, network, django_capture_on_commit_callbacks):
    profiles["wanjiru"].digest = True
    profiles["wanjiru"].save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(network["kenyan"], "First", "One thing", "/peers/")
        notify(network["kenyan"], "Second", "Another thing")
        notify(network["kenyan_coordinator"], "Now", "Straight away")
    assert [m.to for m in mail.outbox] == [["otieno@example.org"]]
    assert "http://127.0.0.1:8000/peers/" in Notice.objects.get(subject="First").url
    assert send_digests() == 1
    digest = mail.outbox[-1]
    assert digest.to == ["wanjiru@example.org"]
    assert "First" in digest.body and "Another thing" in digest.body
    assert send_digests() == 0  # nothing is sent twice


def _open_round(network):
    from datacircle.scoping.models import Round

    return Round.objects.create(
        organisation=network["kenya"], title="Baseline", slug="baseline", status="open"
    )


def test_a_signed_in_respondent_may_fill_their_profile_from_their_answers(network, login):
    round = _open_round(network)
    client = login(network["kenyan"])
    url = reverse("scoping-questionnaire", args=[round.token])
    assert "fill_profile" in client.get(url).content.decode()
    answers = {
        "consent": "yes",
        "learn_level_gis": "1",
        "learn_level_analysis": "0",
        "share_level_spreadsheets": "4",
        "share_level_cleaning": "2",  # "can do with help" is not something to share
    }
    client.post(url, answers)
    assert not Profile.objects.filter(person=network["kenyan"]).exists(), "only when asked"
    client.post(url, {**answers, "fill_profile": "on"})
    profile = Profile.objects.get(person=network["kenyan"])
    assert (profile.wants, profile.shares, profile.source) == (
        {"gis": 1, "analysis": 0},
        {"spreadsheets": 4},
        "scoping",
    )
    # The answers themselves stay anonymous: nothing links the stored responses to her.
    from datacircle.scoping.models import Response

    assert Response.objects.filter(round=round).count() == 2
    assert "person" not in {f.name for f in Response._meta.get_fields()}


def test_anonymous_respondents_are_not_offered_a_profile(network, client):
    round = _open_round(network)
    page = client.get(reverse("scoping-questionnaire", args=[round.token])).content.decode()
    assert "fill_profile" not in page


def test_the_digest_is_in_the_readers_language(profiles, network):
    from django.utils import translation
    from django.utils.translation import gettext as _

    wanjiru = network["kenyan"]
    wanjiru.languages = ["fr"]
    wanjiru.save(update_fields=["languages"])
    profiles["wanjiru"].digest = True
    profiles["wanjiru"].save()
    notify(wanjiru, "Premier", "Une chose")
    assert send_digests() == 1
    digest = mail.outbox[-1]
    with translation.override("fr"):
        assert digest.body.startswith(_("Hello %(name)s,") % {"name": "Wanjiru"})
        assert _("Here is what happened in Data Circle since the last digest.") in digest.body
    assert "Hello" not in digest.body and "new item" not in digest.subject
