"""A question's life after asking: replies, status changes with history, accepting, assigning
and closing, overdue questions, and who may see or do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from datacircle.helpdesk import services
from datacircle.helpdesk.models import Question


@pytest.fixture
def question(network, leaders, ask):
    """Wanjiru's GIS question, assigned to Grace."""
    question = ask(network["kenyan"], "How do I join two shapefiles?", "gis", body="By *district*.")
    mail.outbox.clear()
    return question


def post(client, url, data, capture):
    with capture(execute=True):
        return client.post(url, data)


def history(question):
    return [(e.before, e.after) for e in question.events.all()]


def test_answer_reply_and_accept(
    network, leaders, question, client, login, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    url = f"/helpdesk/questions/{question.pk}/"
    login(leaders["grace"])
    post(client, url + "reply/", {"body": "Use **Join attributes by location**."}, capture)
    question.refresh_from_db()
    assert question.status == "answered"
    assert [m.to for m in mail.outbox] == [["wanjiru@example.org"]]
    assert "Join attributes by location" in mail.outbox[0].body

    mail.outbox.clear()
    login(network["kenyan"])
    post(client, url + "reply/", {"body": "Which layer goes first?"}, capture)
    question.refresh_from_db()
    assert question.status == "assigned"
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]

    login(leaders["grace"])
    post(client, url + "reply/", {"body": "The districts first."}, capture)
    answer = question.replies.last()
    login(network["kenyan"])
    page = client.get(url).content.decode()
    assert "Accept as the answer" in page
    assert "<strong>Join attributes by location</strong>" in page
    post(client, url + f"accept/{answer.pk}/", {}, capture)
    question.refresh_from_db()
    assert question.status == "resolved" and question.answer == answer
    assert history(question) == [
        ("", "open"),
        ("open", "assigned"),
        ("assigned", "answered"),
        ("answered", "assigned"),
        ("assigned", "answered"),
        ("answered", "resolved"),
    ]
    actors = [e.actor for e in question.events.all()]
    assert actors[-1] == network["kenyan"] and actors[2] == leaders["grace"]
    # A resolved question takes no more replies.
    response = client.post(url + "reply/", {"body": "One more thing"}, follow=True)
    assert "takes no more replies" in response.content.decode()
    assert question.replies.count() == 3


def test_a_coordinator_reply_answers_too(network, question, client, login):
    login(network["kenyan_coordinator"])
    client.post(f"/helpdesk/questions/{question.pk}/reply/", {"body": "Try QGIS."})
    question.refresh_from_db()
    assert question.status == "answered"


def test_only_the_asker_accepts_and_never_their_own_reply(
    network, leaders, question, client, login
):
    own = services.reply(question, "More detail", author=network["kenyan"], by_asker=True)
    other = services.reply(question, "Answer", author=leaders["grace"], by_asker=False)
    login(leaders["grace"])
    assert client.post(f"/helpdesk/questions/{question.pk}/accept/{other.pk}/").status_code == 404
    login(network["kenyan"])
    client.post(f"/helpdesk/questions/{question.pk}/accept/{own.pk}/")
    question.refresh_from_db()
    assert question.status == "answered"


def test_a_coordinator_reassigns_and_the_new_leader_is_told(
    network, leaders, question, client, login, django_capture_on_commit_callbacks
):
    login(network["kenyan_coordinator"])
    post(
        client,
        f"/helpdesk/questions/{question.pk}/assign/",
        {"leader": leaders["hassan"].pk},
        django_capture_on_commit_callbacks,
    )
    question.refresh_from_db()
    assert question.assigned_to == leaders["hassan"]
    assert question.routing == "reassigned"
    assert [m.to for m in mail.outbox] == [["hassan@example.org"]]
    last = question.events.last()
    assert (last.before, last.after, last.actor, last.assigned_to) == (
        "assigned",
        "assigned",
        network["kenyan_coordinator"],
        leaders["hassan"],
    )
    # Grace no longer sees it; Hassan does.
    login(leaders["grace"])
    assert client.get(f"/helpdesk/questions/{question.pk}/").status_code == 404
    login(leaders["hassan"])
    assert client.get(f"/helpdesk/questions/{question.pk}/").status_code == 200


def test_route_again_picks_by_the_rules(network, leaders, question, client, login):
    leaders["grace"].profile.status = "break"
    leaders["grace"].profile.save()
    login(network["kenyan_coordinator"])
    client.post(f"/helpdesk/questions/{question.pk}/assign/", {"leader": ""})
    question.refresh_from_db()
    assert question.assigned_to == network["kenyan_coordinator"]
    assert question.routing == "no-skill"


def test_someone_outside_the_organisation_cannot_be_assigned(
    network, leaders, question, client, login
):
    login(network["kenyan_coordinator"])
    client.post(f"/helpdesk/questions/{question.pk}/assign/", {"leader": leaders["fatou"].pk})
    question.refresh_from_db()
    assert question.assigned_to == leaders["grace"]


def test_a_coordinator_closes_a_question(network, question, client, login):
    login(network["kenyan_coordinator"])
    client.post(f"/helpdesk/questions/{question.pk}/close/", {"note": "Duplicate"})
    question.refresh_from_db()
    assert question.status == "closed"
    assert question.events.last().note == "Duplicate"
    login(network["kenyan"])
    client.post(f"/helpdesk/questions/{question.pk}/reply/", {"body": "Hello?"})
    assert question.replies.count() == 0


def test_members_and_leaders_cannot_assign_or_close(network, leaders, question, client, login):
    for person in (network["kenyan"], leaders["grace"]):
        login(person)
        url = f"/helpdesk/questions/{question.pk}/"
        assert client.post(url + "close/", {}).status_code == 404
        assert client.post(url + "assign/", {"leader": leaders["hassan"].pk}).status_code == 404
    question.refresh_from_db()
    assert question.status == "assigned" and question.assigned_to == leaders["grace"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("kenyan", 200),  # the asker
        ("grace", 200),  # the assigned leader
        ("kenyan_coordinator", 200),  # the organisation's coordinator
        ("admin", 200),  # a network admin
        ("hassan", 404),  # another leader of the organisation
        ("senegalese", 404),  # someone in another organisation
        ("fatou", 404),  # another organisation's coordinator
    ],
)
def test_who_sees_a_question(network, leaders, question, client, login, who, status):
    person = network.get(who) or leaders[who]
    login(person)
    assert client.get(f"/helpdesk/questions/{question.pk}/").status_code == status
    listed = client.get("/helpdesk/questions/").content.decode()
    assert (question.title in listed) == (status == 200)


def test_strangers_cannot_reply(network, leaders, question, client, login):
    login(leaders["hassan"])
    response = client.post(f"/helpdesk/questions/{question.pk}/reply/", {"body": "Hi"})
    assert response.status_code == 404
    assert question.replies.count() == 0


def test_the_landing_page_shows_each_role_its_lists(network, leaders, question, client, login):
    login(network["kenyan"])
    page = client.get("/helpdesk/").content.decode()
    assert "My questions" in page and question.title in page
    assert "The organisation's queue" not in page
    login(leaders["grace"])
    page = client.get("/helpdesk/").content.decode()
    assert "Questions assigned to me" in page and question.title in page
    login(network["kenyan_coordinator"])
    page = client.get("/helpdesk/").content.decode()
    assert "The organisation's queue" in page and question.title in page
    assert "http://testserver/helpdesk/ask/kenya-rc/" in page
    login(leaders["fatou"])
    assert question.title not in client.get("/helpdesk/").content.decode()


def test_overdue_questions_stand_out_for_leaders_and_coordinators(
    network, leaders, question, client, login
):
    Question.objects.filter(pk=question.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    login(network["kenyan_coordinator"])
    page = client.get("/helpdesk/").content.decode()
    assert 'class="is-overdue"' in page and "1 of them is overdue." in page
    login(leaders["grace"])
    assert "overdue-banner" in client.get(f"/helpdesk/questions/{question.pk}/").content.decode()
    # The asker waits; the page does not blame anyone in front of them.
    login(network["kenyan"])
    assert (
        "overdue-banner" not in client.get(f"/helpdesk/questions/{question.pk}/").content.decode()
    )
    # An answered question waits for the asker: not overdue.
    services.reply(question, "Done", author=leaders["grace"], by_asker=False, tell=False)
    login(network["kenyan_coordinator"])
    assert 'class="is-overdue"' not in client.get("/helpdesk/").content.decode()


def test_markdown_is_rendered_without_scripts(network, leaders, question, client, login):
    services.reply(
        question,
        '<script>alert(1)</script> [click](javascript:alert(2)) <b onclick="x()">bold</b>',
        author=leaders["grace"],
        by_asker=False,
        tell=False,
    )
    login(network["kenyan"])
    page = client.get(f"/helpdesk/questions/{question.pk}/").content.decode()
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onclick" not in page
    assert "<b>bold</b>" in page
    assert "<em>district</em>" in page


def test_the_question_list_filters_by_role_and_status(network, leaders, question, client, login):
    login(network["kenyan_coordinator"])
    mine = client.get("/helpdesk/questions/?show=mine").context["page"].object_list
    assert list(mine) == []  # he coordinates it but did not ask it
    unfinished = client.get("/helpdesk/questions/?status=unfinished").context["page"]
    assert list(unfinished.object_list) == [question]
    assert list(client.get("/helpdesk/questions/?status=resolved").context["page"]) == []
    login(leaders["grace"])
    assigned = client.get("/helpdesk/questions/?show=assigned").context["page"].object_list
    assert list(assigned) == [question]


def test_pages_render_right_to_left_in_arabic(network, leaders, question, client, login):
    login(leaders["hassan"])
    client.cookies["django_language"] = "ar"
    for url in ("/helpdesk/", "/helpdesk/ask/", "/helpdesk/faq/"):
        assert 'dir="rtl"' in client.get(url).content.decode()


def test_emails_reach_each_person_in_their_own_language(
    network, leaders, ask, client, login, django_capture_on_commit_callbacks
):
    from django.utils import formats, translation
    from django.utils.translation import gettext as _

    grace, asker = leaders["grace"], network["kenyan"]
    grace.languages, asker.languages = ["fr"], ["ar"]
    grace.save(update_fields=["languages"])
    asker.save(update_fields=["languages"])
    title = "How do I join two shapefiles?"
    question = ask(asker, title, "gis")

    # Grace reads French: the subject, the request and the due day ("3 mai 2026") are French.
    (to_leader,) = mail.outbox
    assert to_leader.to == ["grace@example.org"]
    with translation.override("fr"):
        assert to_leader.subject == _("Help desk: a question for you: %(title)s") % {"title": title}
        assert formats.date_format(question.due_on, "DATE_FORMAT") in to_leader.body
    assert "Help desk" not in to_leader.subject and "Please answer by" not in to_leader.body

    # Wanjiru reads Arabic: the answer reaches her in Arabic, whoever wrote it.
    mail.outbox.clear()
    login(grace)
    post(
        client,
        f"/helpdesk/questions/{question.pk}/reply/",
        {"body": "Join by location."},
        (django_capture_on_commit_callbacks),
    )
    (to_asker,) = mail.outbox
    with translation.override("ar"):
        assert to_asker.subject == _("Help desk: your question has an answer: %(title)s") % {
            "title": title
        }
    assert "Join by location." in to_asker.body and "There is an answer" not in to_asker.body

    # Her accepting it thanks Grace in French.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(question, question.replies.get(), actor=asker)
    (thanks,) = mail.outbox
    with translation.override("fr"):
        assert thanks.subject == _("Help desk: your answer was accepted: %(title)s") % {
            "title": title
        }
    assert "accepted" not in thanks.subject
