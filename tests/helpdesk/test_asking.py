"""Asking a question: signed in or through the public link, routed by skill and language,
due in working days, and told to the right people by email."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core import mail
from django.test import override_settings

from datacircle.helpdesk.models import Question


def test_a_question_goes_to_the_leader_who_shares_the_skill(network, leaders, ask, client):
    question = ask(network["kenyan"], "How do I join two shapefiles?", "gis")
    assert question.assigned_to == leaders["grace"]
    assert question.status == "assigned"
    assert question.routing == "skill-language"
    page = client.get(f"/helpdesk/questions/{question.pk}/").content.decode()
    assert "Grace Mutua" in page
    assert "has this skill and speaks the question&#x27;s language" in page
    assert [(e.before, e.after) for e in question.events.all()] == [
        ("", "open"),
        ("open", "assigned"),
    ]
    [email] = mail.outbox
    assert email.to == ["grace@example.org"]
    assert "How do I join two shapefiles?" in email.subject
    assert f"/helpdesk/questions/{question.pk}/" in email.body


def test_the_language_of_the_question_picks_among_sharers(network, leaders, ask):
    arabic = ask(network["kenyan"], "كيف أستخدم الجداول المحورية؟", "spreadsheets", "ar")
    assert arabic.assigned_to == leaders["hassan"]
    english = ask(network["kenyan"], "Pivot tables?", "spreadsheets", "en")
    # Both speak English; Hassan already has a question, so Grace takes this one.
    assert english.assigned_to == leaders["grace"]


def test_load_is_spread_between_leaders_with_the_skill(network, leaders, ask):
    first = ask(network["kenyan"], "Question one", "spreadsheets")
    second = ask(network["kenyan"], "Question two", "spreadsheets")
    assert {first.assigned_to, second.assigned_to} == {leaders["grace"], leaders["hassan"]}


def test_a_leader_on_a_break_gets_nothing(network, leaders, ask):
    leaders["grace"].profile.status = "break"
    leaders["grace"].profile.save()
    question = ask(network["kenyan"], "Buffer around clinics?", "gis")
    # Nobody else shares GIS: the coordinator takes it, and the page says why.
    assert question.assigned_to == network["kenyan_coordinator"]
    assert question.routing == "no-skill"


def test_without_anyone_available_the_question_stays_open(network, ask, client):
    network["kenyan_coordinator"].role = "member"
    network["kenyan_coordinator"].save()
    question = ask(network["kenyan"], "Nobody home?", "gis")
    assert question.status == "open" and question.assigned_to is None
    assert "No data leader or coordinator is available" in client.get(
        f"/helpdesk/questions/{question.pk}/"
    ).content.decode("utf-8")
    assert mail.outbox == []


def test_emails_are_written_in_the_recipients_language(network, leaders, ask, monkeypatch):
    # No catalogue is compiled yet, so what is checked is the language active while the
    # email is written: the leader's first language, not the asker's or the page's.
    from django.utils import translation

    from datacircle.helpdesk import services

    seen = []
    real = services.notify

    def spy(person, subject, body, url=""):
        seen.append((person.given_name, translation.get_language()))
        return real(person, subject, body, url)

    monkeypatch.setattr(services, "notify", spy)
    leaders["fatou"].languages = ["fr", "en"]
    leaders["fatou"].save()
    ask(network["senegalese"], "Tableau croisé dynamique ?", "spreadsheets", "fr")
    assert seen == [("Fatou", "fr")]
    assert [m.to for m in mail.outbox] == [["fatou@example.org"]]


@override_settings(DATACIRCLE_HELPDESK_DAYS=5)
def test_the_due_date_counts_working_days_from_the_setting(network, leaders):
    from datacircle.helpdesk import services

    friday = datetime.fromisoformat("2026-05-01T09:00:00+03:00")
    question = services.ask(
        organisation=network["kenya"],
        title="Due?",
        body="",
        skill="gis",
        language="en",
        asker=network["kenyan"],
        asked_at=friday,
        tell=False,
    )
    assert question.due_on == date(2026, 5, 8)


def test_the_ask_page_needs_a_person_and_offers_the_faq(network, leaders, login, client):
    login(network["kenyan"])
    page = client.get("/helpdesk/ask/").content.decode()
    assert "Check the FAQ first" in page
    assert 'data-suggest-url="/helpdesk/suggestions/"' in page
    assert "helpdesk/suggest.js" in page
    response = client.post("/helpdesk/ask/", {"title": "", "skill": "nonsense", "language": "en"})
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(network, client):
    assert client.get("/helpdesk/ask/").status_code == 302
    assert client.get("/helpdesk/").status_code == 302


# --- people without a login -----------------------------------------------------------------


PUBLIC = {
    "name": "Joseph Mwangi",
    "email": "joseph@example.net",
    "title": "Which chart for prices over a year?",
    "body": "For the branch committee.",
    "skill": "gis",
    "language": "en",
}


@pytest.fixture
def public_question(network, leaders, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/helpdesk/ask/kenya-rc/", PUBLIC)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/helpdesk/q/{question.token}/"
    return question


def test_someone_without_a_login_asks_through_the_public_link(public_question):
    assert public_question.asker is None
    assert public_question.asker_name == "Joseph Mwangi"
    assert public_question.assigned_to.given_name == "Grace"
    to_asker = [m for m in mail.outbox if m.to == ["joseph@example.net"]]
    assert len(to_asker) == 1
    assert f"/helpdesk/q/{public_question.token}/" in to_asker[0].body
    assert len(public_question.token) >= 30


def test_the_private_link_shows_the_question_without_a_login(public_question, client):
    page = client.get(f"/helpdesk/q/{public_question.token}/")
    assert page.status_code == 200
    assert "Which chart for prices over a year?" in page.content.decode()
    assert client.get("/helpdesk/q/not-the-token/").status_code == 404


def test_a_leaders_answer_reaches_the_asker_without_login_by_email(
    public_question, leaders, login, client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    login(leaders["grace"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/helpdesk/questions/{public_question.pk}/reply/", {"body": "A line chart."})
    [email] = mail.outbox
    assert email.to == ["joseph@example.net"]
    assert "A line chart." in email.body
    assert f"/helpdesk/q/{public_question.token}/" in email.body


def test_the_asker_without_login_replies_and_accepts_through_the_link(
    public_question, leaders, client, django_capture_on_commit_callbacks
):
    from datacircle.helpdesk import services

    answer = services.reply(
        public_question, "A line chart.", author=leaders["grace"], by_asker=False, tell=False
    )
    url = f"/helpdesk/q/{public_question.token}/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reply", "body": "Monthly or weekly points?"})
    public_question.refresh_from_db()
    assert public_question.status == "assigned"
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]
    client.post(url, {"action": "accept", "reply": answer.pk})
    public_question.refresh_from_db()
    assert public_question.status == "resolved"
    assert public_question.answer == answer
    last = public_question.events.last()
    assert (last.before, last.after, last.actor_name) == ("assigned", "resolved", "Joseph Mwangi")


def test_robots_filling_the_honeypot_leave_nothing(network, leaders, client):
    response = client.post("/helpdesk/ask/kenya-rc/", {**PUBLIC, "website": "http://spam"})
    assert response.status_code == 200
    assert not Question.objects.exists()
    assert mail.outbox == []


def test_the_public_link_of_an_unknown_organisation_is_404(network, client):
    assert client.get("/helpdesk/ask/atlantis/").status_code == 404


def test_a_signed_in_askers_question_has_no_private_link(network, leaders, ask, client):
    question = ask(network["kenyan"], "Mine", "gis")
    client.logout()
    assert client.get(f"/helpdesk/q/{question.token}/").status_code == 404
