"""Sessions as people live them: places and the waiting list, attendance, held sessions as
deliveries, feedback and its small-cell summary, deliveries by hand — through the services and
through the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from datacircle.programme import sessions as services
from datacircle.programme.models import Delivery, Feedback, Registration, Session

STARTED = timedelta(hours=-1)


def statuses(session):
    return {
        r.person.given_name: r.status
        for r in Registration.objects.filter(session=session).select_related("person")
    }


# ---------------------------------------------------------------- registering


def test_places_fill_up_then_the_waiting_list_in_order(network, make_session, extra_people):
    session = make_session(capacity=2)
    people = [network["kenyan"], network["kenyan_nologin"], *extra_people[:2]]
    registrations = [services.register(session, p) for p in people]
    assert [r.status for r in registrations] == ["registered", "registered", "waiting", "waiting"]
    assert [services.waiting_position(r) for r in registrations] == [None, None, 1, 2]
    assert services.places_left(session) == 0


def test_registering_twice_changes_nothing(network, make_session):
    session = make_session(capacity=1)
    first = services.register(session, network["kenyan"])
    again = services.register(session, network["kenyan"])
    assert again.pk == first.pk and again.status == "registered"
    assert Registration.objects.filter(session=session).count() == 1
    assert services.places_left(session) == 0


@pytest.mark.parametrize(
    ("starts_in", "status"),
    [(STARTED, "scheduled"), (timedelta(days=3), "draft"), (timedelta(days=3), "cancelled")],
)
def test_only_future_scheduled_sessions_take_registrations(
    network, make_session, starts_in, status
):
    session = make_session(starts_in=starts_in, status=status)
    with pytest.raises(services.SessionError):
        services.register(session, network["kenyan"])
    assert not Registration.objects.filter(session=session).exists()


def test_cancelling_gives_the_place_to_the_first_waiting_and_emails_them(
    network, make_session, extra_people, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    holder = services.register(session, network["kenyan"])
    services.register(session, extra_people[0])
    services.register(session, extra_people[1])
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(holder)
    assert promoted.person == extra_people[0]
    assert statuses(session) == {
        "Wanjiru": "cancelled",
        "Member0": "registered",
        "Member1": "waiting",
    }
    assert [m.to for m in mail.outbox] == [["member0@example.org"]]
    assert "One chart, one message" in mail.outbox[0].subject
    assert f"/programme/sessions/{session.pk}/" in mail.outbox[0].body
    # Africa/Nairobi is UTC+3: the email gives the time where the person is.
    assert "Africa/Nairobi" in mail.outbox[0].body
    waiting = Registration.objects.get(session=session, person=extra_people[1])
    assert services.waiting_position(waiting) == 1


def test_leaving_the_waiting_list_emails_nobody(
    network, make_session, extra_people, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    services.register(session, network["kenyan"])
    waiting = services.register(session, extra_people[0])
    services.register(session, extra_people[1])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel(waiting) is None
    assert mail.outbox == []
    assert (
        services.waiting_position(Registration.objects.get(session=session, person=extra_people[1]))
        == 1
    )


def test_someone_who_cancelled_comes_back_behind_those_waiting(network, make_session, extra_people):
    session = make_session(capacity=1)
    wanjiru = services.register(session, network["kenyan"])
    services.register(session, extra_people[0])
    services.cancel(wanjiru)  # Member0 gets the place
    services.register(session, extra_people[1])  # waits
    back = services.register(session, network["kenyan"])
    assert back.pk == wanjiru.pk
    assert back.status == "waiting"
    assert services.waiting_position(back) == 2


def test_a_cancelled_registration_returns_to_a_free_place(network, make_session):
    session = make_session(capacity=2)
    registration = services.register(session, network["kenyan"])
    services.cancel(registration)
    assert services.register(session, network["kenyan"]).status == "registered"


# ---------------------------------------------------------------- who sees what


def test_visibility_by_organisation_status_and_role(network, make_session, facilitator):
    scheduled = make_session()
    draft = make_session(status="draft")
    senegal = make_session(organisation=network["senegal"])
    senegal.facilitators.clear()

    def visible(person):
        return set(services.sessions_visible_to(person.user).values_list("pk", flat=True))

    assert visible(network["kenyan"]) == {scheduled.pk}
    assert visible(network["kenyan_coordinator"]) == {scheduled.pk, draft.pk}
    assert visible(network["senegalese"]) == {senegal.pk}
    assert visible(network["admin"]) == {scheduled.pk, draft.pk, senegal.pk}
    # Facilitators see the published sessions they lead, even in another organisation.
    senegal.facilitators.add(facilitator)
    assert visible(facilitator) == {scheduled.pk, senegal.pk}


def test_who_manages_a_session(network, make_session, facilitator):
    session = make_session()
    assert services.manages_session(facilitator.user, session)
    assert services.manages_session(network["kenyan_coordinator"].user, session)
    assert services.manages_session(network["admin"].user, session)
    assert not services.manages_session(network["kenyan"].user, session)
    other = make_session(organisation=network["senegal"])
    other.facilitators.clear()
    assert not services.manages_session(network["kenyan_coordinator"].user, other)


def test_pages_of_other_organisations_and_drafts_are_not_found(network, make_session, login):
    draft = make_session(status="draft")
    client = login(network["senegalese"])
    assert client.get(reverse("programme-session", args=[make_session().pk])).status_code == 404
    client = login(network["kenyan"])
    assert client.get(reverse("programme-session", args=[draft.pk])).status_code == 404
    response = client.post(reverse("programme-session", args=[draft.pk]), {"action": "register"})
    assert response.status_code == 404


# ---------------------------------------------------------------- attendance and held


def _registered(session, *people):
    """Registrations for a session that has already started (registering is closed then)."""
    for person in people:
        Registration.objects.create(session=session, person=person, status="registered")


def test_attendance_only_by_managers_and_only_from_the_start(network, make_session, facilitator):
    upcoming = make_session()
    services.register(upcoming, network["kenyan"])
    with pytest.raises(services.SessionError, match="started"):
        services.mark_attendance(upcoming, {network["kenyan"].pk: True}, facilitator)
    started = make_session(starts_in=STARTED)
    _registered(started, network["kenyan"])
    with pytest.raises(services.SessionError, match="facilitators"):
        services.mark_attendance(started, {network["kenyan"].pk: True}, network["kenyan"])
    with pytest.raises(services.SessionError, match="place"):
        services.mark_attendance(started, {network["senegalese"].pk: True}, facilitator)
    assert services.mark_attendance(started, {network["kenyan"].pk: True}, facilitator) == 1
    assert Registration.objects.get(session=started).attended is True


def test_held_counts_who_came_or_everyone_registered(
    network, make_session, facilitator, extra_people
):
    without_attendance = make_session(starts_in=STARTED, capacity=5)
    _registered(without_attendance, *extra_people[:3])
    delivery = services.mark_held(without_attendance, network["kenyan_coordinator"])
    assert delivery.participants == 3

    with_attendance = make_session(starts_in=STARTED, capacity=5, city="Kisumu")
    _registered(with_attendance, *extra_people[:3])
    services.mark_attendance(
        with_attendance,
        {extra_people[0].pk: True, extra_people[1].pk: True, extra_people[2].pk: False},
        facilitator,
    )
    delivery = services.mark_held(with_attendance, facilitator)
    assert delivery.participants == 2
    assert (delivery.city, delivery.country.code, delivery.language) == ("Kisumu", "KE", "en")
    assert delivery.organisation == network["kenya"]
    assert delivery.module_version == with_attendance.module_version
    # Without a programme (and its time zone) the day is the UTC day of the start.
    assert delivery.held_on == with_attendance.starts_at.date()
    with_attendance.refresh_from_db()
    assert with_attendance.status == Session.Status.HELD

    # Marking again is harmless; attendance taken later corrects the count.
    assert services.mark_held(with_attendance, facilitator).pk == delivery.pk
    services.mark_attendance(with_attendance, {extra_people[2].pk: True}, facilitator)
    assert Delivery.objects.get(session=with_attendance).participants == 3
    assert Delivery.objects.count() == 2


def test_held_only_after_the_start_by_managers(network, make_session, facilitator):
    with pytest.raises(services.SessionError):
        services.mark_held(make_session(), facilitator)
    with pytest.raises(services.SessionError):
        services.mark_held(make_session(starts_in=STARTED), network["kenyan"])
    with pytest.raises(services.SessionError):
        services.mark_held(make_session(starts_in=STARTED, status="cancelled"), facilitator)
    assert not Delivery.objects.exists()


def test_held_day_is_the_programmes_local_day(network, make_session, facilitator):
    from django.utils import timezone

    from datacircle.programme.models import Programme

    programme = Programme.objects.create(
        organisation=network["kenya"],
        title="Nairobi",
        starts_on=date(2026, 1, 5),
        timezone="Africa/Nairobi",
        status="published",
    )
    # 22:30 UTC is already the next day in Nairobi (UTC+3).
    start = (timezone.now() - timedelta(days=2)).replace(hour=22, minute=30, second=0)
    session = make_session(starts_in=timedelta(0), starts_at=start, programme=programme)
    delivery = services.mark_held(session, facilitator)
    assert delivery.held_on == start.date() + timedelta(days=1)


# ---------------------------------------------------------------- feedback


def test_feedback_from_participants_after_the_start_once_each(
    network, make_session, facilitator, extra_people
):
    upcoming = make_session()
    services.register(upcoming, network["kenyan"])
    with pytest.raises(services.SessionError):
        services.give_feedback(upcoming, network["kenyan"], [(2, 4), (1, 3)], 5, "")

    session = make_session(starts_in=STARTED, capacity=5)
    _registered(session, network["kenyan"], extra_people[0])
    with pytest.raises(services.SessionError, match="took part"):
        services.give_feedback(session, extra_people[1], [(2, 4), (1, 3)], 5, "")
    # Before attendance is taken, everyone registered may answer.
    services.give_feedback(session, extra_people[0], [(2, 4), (1, 3)], 4, " Useful ")
    services.mark_attendance(
        session, {network["kenyan"].pk: False, extra_people[0].pk: True}, facilitator
    )
    with pytest.raises(services.SessionError, match="took part"):
        services.give_feedback(session, network["kenyan"], [(2, 4), (1, 3)], 5, "")
    # A second answer replaces the first.
    services.give_feedback(session, extra_people[0], [(3, 5), (2, 2)], 5, "Even better")
    feedback = Feedback.objects.get(session=session)
    assert (feedback.confidence, feedback.rating, feedback.comment) == (
        [[3, 5], [2, 2]],
        5,
        "Even better",
    )


@pytest.mark.parametrize(
    ("confidence", "rating"),
    [([(2, 4)], 4), ([(2, 4), (1, 6)], 4), ([(2, 4), (0, 3)], 4), ([(2, 4), (1, 3)], 9)],
)
def test_feedback_has_one_pair_from_1_to_5_per_outcome(network, make_session, confidence, rating):
    session = make_session(starts_in=STARTED)
    _registered(session, network["kenyan"])
    with pytest.raises(services.SessionError):
        services.give_feedback(session, network["kenyan"], confidence, rating, "")
    assert not Feedback.objects.exists()


def test_summary_hides_averages_below_five_answers(network, make_session, extra_people, login):
    session = make_session(starts_in=STARTED, capacity=10)
    people = [network["kenyan"], *extra_people]
    _registered(session, *people)
    for person in people[:4]:
        services.give_feedback(session, person, [(1, 4), (2, 3)], 4, "Private words")
    summary = services.feedback_summary(session)
    assert summary.answers == 4 and summary.too_few and summary.rating is None
    page = login(network["kenyan_coordinator"]).get(reverse("programme-session", args=[session.pk]))
    text = page.content.decode()
    assert "4 answers" in text and "Fewer than 5 answers" in text
    assert "Average rating" not in text and "Private words" not in text

    services.give_feedback(session, people[4], [(2, 5), (2, 5)], 2, "")
    summary = services.feedback_summary(session)
    assert summary.rating == pytest.approx(3.6)
    assert [round(o.gain, 2) for o in summary.outcomes] == [3.0, 1.4]
    text = (
        login(network["kenyan_coordinator"])
        .get(reverse("programme-session", args=[session.pk]))
        .content.decode()
    )
    assert "Average rating" in text and "3.6" in text and "+3.0" in text and "+1.4" in text
    # Members see no summary at all.
    member = login(network["kenyan"]).get(reverse("programme-session", args=[session.pk]))
    assert "Feedback summary" not in member.content.decode()


# ---------------------------------------------------------------- pages


def test_the_list_shows_places_my_status_and_my_calendar(network, make_session, login):
    full = make_session(capacity=1)
    open_ = make_session(capacity=3, starts_in=timedelta(days=9))
    services.register(full, network["kenyan_nologin"])
    services.register(open_, network["kenyan"])
    make_session(starts_in=timedelta(days=-3))  # past: not upcoming
    client = login(network["kenyan"])
    page = client.get(reverse("programme-sessions")).content.decode()
    assert page.count(f'href="/programme/sessions/{open_.pk}/"') == 2  # mine and upcoming
    assert f'href="/programme/sessions/{full.pk}/"' in page
    assert "Registered" in page
    assert "/programme/me/" in page and ".ics" in page
    assert "Times are shown in your time zone, Africa/Nairobi." in page


def test_register_and_cancel_through_the_page(network, make_session, login, extra_people):
    session = make_session(capacity=1)
    services.register(session, extra_people[0])
    client = login(network["kenyan"])
    url = reverse("programme-session", args=[session.pk])
    assert "Join the waiting list" in client.get(url).content.decode()
    response = client.post(url, {"action": "register"}, follow=True)
    assert "you are number 1 on the waiting list" in response.content.decode()
    response = client.post(url, {"action": "cancel"}, follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert statuses(session)["Wanjiru"] == "cancelled"


def test_session_time_is_shown_in_the_readers_time_zone(network, make_session, login):
    from datetime import UTC, datetime

    session = make_session(starts_in=timedelta(0), starts_at=datetime(2030, 3, 4, 7, 0, tzinfo=UTC))
    network["kenyan"].timezone = "America/Bogota"
    network["kenyan"].save()
    page = login(network["kenyan"]).get(reverse("programme-session", args=[session.pk]))
    text = page.content.decode()
    assert "Monday 4 March 2030, 02:00" in text and "America/Bogota" in text


def test_members_cannot_take_attendance_or_mark_held(network, make_session, login):
    session = make_session(starts_in=STARTED)
    _registered(session, network["kenyan"])
    client = login(network["kenyan"])
    url = reverse("programme-session", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Mark as held" not in page and "Who came?" not in page
    assert client.post(url, {"action": "held"}).status_code == 403
    assert (
        client.post(url, {"action": "attendance", "present": [network["kenyan"].pk]}).status_code
        == 403
    )
    assert not Delivery.objects.exists()


def test_unticked_people_are_marked_absent(network, make_session, login, facilitator, extra_people):
    session = make_session(starts_in=STARTED, capacity=5)
    _registered(session, network["kenyan"], extra_people[0])
    client = login(facilitator)
    url = reverse("programme-session", args=[session.pk])
    response = client.post(
        url, {"action": "attendance", "present": [str(network["kenyan"].pk)]}, follow=True
    )
    assert "Attendance saved: 1 person came." in response.content.decode()
    assert dict(Registration.objects.values_list("person__given_name", "attended")) == {
        "Wanjiru": True,
        "Member0": False,
    }


def test_an_incomplete_feedback_form_says_what_is_missing(network, make_session, login):
    session = make_session(starts_in=STARTED)
    _registered(session, network["kenyan"])
    client = login(network["kenyan"])
    url = reverse("programme-session", args=[session.pk])
    response = client.post(url, {"action": "feedback", "before_0": "2", "rating": "4"})
    assert response.status_code == 200
    assert "Please answer every question marked below." in response.content.decode()
    assert not Feedback.objects.exists()
    response = client.post(
        url,
        {
            "action": "feedback",
            "before_0": "2",
            "after_0": "4",
            "before_1": "1",
            "after_1": "3",
            "rating": "4",
            "comment": "Good",
        },
    )
    assert response.status_code == 302
    assert Feedback.objects.get().confidence == [[2, 4], [1, 3]]


# ---------------------------------------------------------------- deliveries by hand


def _delivery_form(network, version, **overrides):
    return {
        "module_version": version.pk,
        "organisation": network["kenya"].pk,
        "held_on": "2025-05-10",
        "city": "Mombasa",
        "country": "KE",
        "language": "en",
        "participants": "14",
        **overrides,
    }


def test_a_facilitator_records_a_delivery_held_elsewhere(
    network, version, facilitator, make_session, login
):
    client = login(facilitator)
    response = client.post(reverse("programme-delivery-add"), _delivery_form(network, version))
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.participants, delivery.city, delivery.session, delivery.recorded_by) == (
        14,
        "Mombasa",
        None,
        facilitator,
    )
    held = make_session(starts_in=STARTED)
    services.mark_held(held, facilitator)
    page = login(network["kenyan"]).get(reverse("programme-deliveries")).content.decode()
    assert "Mombasa" in page and "Recorded by hand" in page and "Nairobi" in page
    assert "Record a delivery held elsewhere" not in page  # members only read
    # Another organisation sees none of it; the admin sees all.
    assert (
        "Mombasa"
        not in login(network["senegalese"]).get(reverse("programme-deliveries")).content.decode()
    )
    assert (
        "Mombasa" in login(network["admin"]).get(reverse("programme-deliveries")).content.decode()
    )


def test_hand_recorded_deliveries_are_checked(network, version, facilitator, login):
    client = login(facilitator)
    url = reverse("programme-delivery-add")
    future = (date.today() + timedelta(days=30)).isoformat()
    for overrides in (
        {"held_on": future},
        {"city": "", "country": ""},
        {"participants": "0"},
        {"organisation": network["senegal"].pk},
    ):
        response = client.post(url, _delivery_form(network, version, **overrides))
        assert response.status_code == 200, overrides
    assert not Delivery.objects.exists()
    online = _delivery_form(network, version, city="", country="", online="on")
    assert client.post(url, online).status_code == 302
    assert Delivery.objects.get().online
    assert login(network["kenyan"]).post(url, _delivery_form(network, version)).status_code == 403


def test_the_service_refuses_other_organisations_and_members(network, version, facilitator):
    with pytest.raises(services.SessionError):
        services.record_delivery(
            facilitator,
            module_version=version,
            organisation=network["senegal"],
            held_on=date(2025, 1, 1),
            participants=3,
            language="fr",
            online=True,
        )
    with pytest.raises(services.SessionError):
        services.record_delivery(
            network["kenyan"],
            module_version=version,
            organisation=network["kenya"],
            held_on=date(2025, 1, 1),
            participants=3,
            language="en",
            online=True,
        )
    delivery = services.record_delivery(
        network["admin"],
        module_version=version,
        organisation=network["senegal"],
        held_on=date(2025, 1, 1),
        participants=3,
        language="fr",
        city="Thiès",
        country="SN",
    )
    assert delivery.organisation == network["senegal"]


def test_a_freed_place_and_a_cancellation_reach_people_in_their_language(
    network, make_session, extra_people, django_capture_on_commit_callbacks
):
    import zoneinfo

    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    from datacircle.programme.plans import cancel_session
    from datacircle.web.localised import weekday_datetime

    french, arabic = network["kenyan"], extra_people[0]
    french.languages, arabic.languages = ["fr"], ["ar"]
    french.save(update_fields=["languages"])
    arabic.save(update_fields=["languages"])
    session = make_session(capacity=1)
    title = session.module_version.module.title
    holder = services.register(session, french)
    services.register(session, arabic)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(holder)
    (place,) = mail.outbox
    with translation.override("ar"):
        assert place.subject == _("You have a place: %(title)s") % {"title": title}

    mail.outbox.clear()
    services.register(session, french)  # back, on the waiting list
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(session)
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {french.email, arabic.email}
    local = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(french.timezone))
    for person, language in ((french, "fr"), (arabic, "ar")):
        with translation.override(language):
            email = told[person.email]
            assert email.subject == _("Cancelled: %(title)s") % {"title": title}
            # The time is written the person's way ("samedi 12 décembre 2026 à 10:59").
            when = weekday_datetime(local)
            assert email.body.startswith(
                _(
                    "The session of %(when)s is cancelled. We are sorry; watch the programme "
                    "for the next one."
                )
                % {"when": when}
            )
        assert "is cancelled" not in email.body
