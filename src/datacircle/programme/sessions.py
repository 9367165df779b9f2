"""Sessions as people live them: registering (or the waiting list), cancelling, attendance,
marking a session held (which makes it a delivery), feedback, and deliveries recorded by hand.

Who may see and manage sessions and deliveries is decided here and nowhere else
(`sessions_visible_to`, `manages_session`, `deliveries_visible_to`, `records_deliveries`).
Every step is one transaction; a step the session's state does not allow raises `SessionError`
with a message for the person.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from datacircle.accounts.models import (
    Organisation,
    Person,
    has_role,
    manages_people,
    within_reach,
)
from datacircle.core import modules as core_modules
from datacircle.library.models import ModuleVersion
from datacircle.notices.services import language_of, notify
from datacircle.programme.models import Delivery, Feedback, Registration, Session
from datacircle.web.localised import weekday_datetime

# Averages of fewer answers than this could point at one person: they are not shown.
SMALL_CELL = 5
SCALE = range(1, 6)  # confidence and rating, 1–5
PUBLIC_STATUSES = (Session.Status.SCHEDULED, Session.Status.HELD, Session.Status.CANCELLED)
# A registration that holds a place or a place in the queue.
ACTIVE = (Registration.Status.REGISTERED, Registration.Status.WAITING)


class SessionError(Exception):
    """A step the session's state or the person's role does not allow; the message says why."""


# ---------------------------------------------------------------- permissions


def _person_of(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def sessions_visible_to(user) -> QuerySet[Session]:
    """Published sessions (scheduled, held, cancelled) of the user's organisation, all of them
    for network admins; drafts only for coordinators (and admins). Facilitators also see the
    published sessions they facilitate, wherever they are."""
    if not user.is_authenticated:
        return Session.objects.none()
    reach = within_reach(Session.objects.all(), user)
    if not manages_people(user):
        reach = reach.filter(status__in=PUBLIC_STATUSES)
    person = _person_of(user)
    if person is None:
        return reach
    facilitated = Session.objects.filter(facilitators=person, status__in=PUBLIC_STATUSES).values(
        "pk"
    )
    return Session.objects.filter(Q(pk__in=reach.values("pk")) | Q(pk__in=facilitated))


def person_manages_session(person: Person, session: Session) -> bool:
    """Facilitators of the session, coordinators of its organisation and network admins take
    attendance and mark it held."""
    if person.role == Person.Role.NETWORK_ADMIN:
        return True
    if person.role == Person.Role.COORDINATOR and person.organisation_id == session.organisation_id:
        return True
    return session.facilitators.filter(pk=person.pk).exists()


def manages_session(user, session: Session) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    person = _person_of(user)
    return person is not None and person_manages_session(person, session)


def coordinates_session(user, session: Session) -> bool:
    """Coordinators of the session's organisation (and admins) read its feedback summary."""
    return (
        manages_people(user) and within_reach(Session.objects.filter(pk=session.pk), user).exists()
    )


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    return within_reach(Delivery.objects.all(), user)


def records_deliveries(user) -> bool:
    """Facilitators, coordinators and admins record deliveries held elsewhere."""
    return has_role(
        user, Person.Role.FACILITATOR, Person.Role.COORDINATOR, Person.Role.NETWORK_ADMIN
    )


def organisations_for_deliveries(user) -> QuerySet[Organisation]:
    """The organisations `user` may record a delivery for: their own, or any for admins."""
    if not records_deliveries(user):
        return Organisation.objects.none()
    person = _person_of(user)
    if user.is_superuser or person.role == Person.Role.NETWORK_ADMIN:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=person.organisation_id)


# ---------------------------------------------------------------- reading


@lru_cache(maxsize=256)
def _parsed(source: str) -> core_modules.Module:
    # A version's text never changes, so its parse can be kept.
    return core_modules.parse(source)


def module_of(version: ModuleVersion) -> core_modules.Module:
    """The module as it was published in `version` (title, summary, outcomes…)."""
    return _parsed(version.source)


def outcomes_of(session: Session) -> tuple[str, ...]:
    return module_of(session.module_version).outcomes


def with_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate `taken` (registered places) on each session, for listing places left."""
    return sessions.annotate(
        taken=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED))
    )


def places_left(session: Session) -> int:
    taken = getattr(session, "taken", None)
    if taken is None:
        taken = session.registrations.filter(status=Registration.Status.REGISTERED).count()
    return max(session.capacity - taken, 0)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None for anyone not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=Registration.Status.WAITING
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def has_started(session: Session) -> bool:
    return session.starts_at <= timezone.now()


def ends_at(session: Session):
    return session.starts_at + timedelta(minutes=session.minutes)


def attendance_taken(session: Session) -> bool:
    return session.registrations.filter(
        status=Registration.Status.REGISTERED, attended__isnull=False
    ).exists()


def participant_count(session: Session) -> int:
    """Who came: those marked present, or everyone registered if attendance was not taken."""
    registered = session.registrations.filter(status=Registration.Status.REGISTERED)
    if attendance_taken(session):
        return registered.filter(attended=True).count()
    return registered.count()


def may_give_feedback(session: Session, person: Person) -> bool:
    if session.status not in (Session.Status.SCHEDULED, Session.Status.HELD):
        return False
    if not has_started(session):
        return False
    registration = session.registrations.filter(
        person=person, status=Registration.Status.REGISTERED
    ).first()
    if registration is None:
        return False
    if attendance_taken(session):
        return registration.attended is True
    return True


def local_day(session: Session) -> date:
    """The day the session took place where it was planned (the programme's time zone)."""
    zone = session.programme.timezone if session.programme_id else settings.TIME_ZONE
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(session.starts_at, tz).date()


# ---------------------------------------------------------------- registering


def _locked(session: Session) -> Session:
    # Locking the session row serialises everyone taking or freeing its places (PostgreSQL).
    return Session.objects.select_for_update().get(pk=session.pk)


def _require_open(session: Session) -> None:
    if session.status != Session.Status.SCHEDULED:
        raise SessionError(_("This session is not open for registration."))
    if has_started(session):
        raise SessionError(_("This session has already started."))


def _taken(session: Session) -> int:
    return session.registrations.filter(status=Registration.Status.REGISTERED).count()


@transaction.atomic
def register(session: Session, person: Person) -> Registration:
    """A place if there is one, else the end of the waiting list. Registering again changes
    nothing; someone who cancelled may come back (behind everyone already waiting)."""
    session = _locked(session)
    registration = Registration.objects.filter(session=session, person=person).first()
    if registration is not None and registration.status in ACTIVE:
        return registration
    _require_open(session)
    status = (
        Registration.Status.REGISTERED
        if _taken(session) < session.capacity
        else Registration.Status.WAITING
    )
    if registration is None:
        return Registration.objects.create(session=session, person=person, status=status)
    # The waiting list is ordered by `created_at`: coming back means queueing again.
    registration.status = status
    registration.attended = None
    registration.created_at = timezone.now()
    registration.save()
    return registration


@transaction.atomic
def cancel(registration: Registration) -> Registration | None:
    """Cancel a registration or a place on the waiting list. A freed place goes to the first
    person waiting, who is told by email; returns their registration, if any."""
    session = _locked(registration.session)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return None
    _require_open(session)
    freed = registration.status == Registration.Status.REGISTERED
    registration.status = Registration.Status.CANCELLED
    registration.save()
    if not freed:
        return None
    promoted = fill_from_waiting_list(session)
    return promoted[0] if promoted else None


def fill_from_waiting_list(session: Session) -> list[Registration]:
    """Give free places to the people waiting longest and tell them. Call inside a
    transaction that holds the session lock (any change of places or capacity)."""
    room = session.capacity - _taken(session)
    if room <= 0:
        return []
    waiting = list(
        session.registrations.filter(status=Registration.Status.WAITING)
        .select_related("person")
        .order_by("created_at", "pk")[:room]
    )
    for registration in waiting:
        registration.status = Registration.Status.REGISTERED
        registration.save()
        _tell_place_is_free(session, registration.person)
    return waiting


def _when(session: Session, person: Person) -> str:
    try:
        tz = zoneinfo.ZoneInfo(person.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    local = timezone.localtime(session.starts_at, tz)
    return f"{weekday_datetime(local)} ({person.timezone})"


def _tell_place_is_free(session: Session, person: Person) -> None:
    title = module_of(session.module_version).title
    with translation.override(language_of(person)):
        subject = _("You have a place: %(title)s") % {"title": title}
        body = _(
            "A place became free in “%(title)s” on %(when)s and it is yours: you are now "
            "registered. If you cannot come, please cancel your registration so that the next "
            "person waiting gets the place."
        ) % {"title": title, "when": _when(session, person)}
    notify(person, subject, body, reverse("programme-session", args=[session.pk]))


# ---------------------------------------------------------------- running the session


def _require_manager(session: Session, actor: Person) -> None:
    if not person_manages_session(actor, session):
        raise SessionError(
            _("Only the session's facilitators and its organisation's coordinators may do this.")
        )


def _require_started(session: Session) -> None:
    if session.status not in (Session.Status.SCHEDULED, Session.Status.HELD):
        raise SessionError(_("This session is not taking place."))
    if not has_started(session):
        raise SessionError(_("This can be done only once the session has started."))


@transaction.atomic
def mark_attendance(session: Session, present: dict[int, bool], actor: Person) -> int:
    """Record who came, by person id (only people with a place); returns how many came."""
    session = _locked(session)
    _require_manager(session, actor)
    _require_started(session)
    registrations = {
        r.person_id: r for r in session.registrations.filter(status=Registration.Status.REGISTERED)
    }
    unknown = sorted(set(present) - set(registrations))
    if unknown:
        raise SessionError(_("Only people with a place can be marked as present."))
    for person_id, came in present.items():
        registration = registrations[person_id]
        if registration.attended != bool(came):
            registration.attended = bool(came)
            registration.save()
    # A session marked held before attendance was taken gets the right count afterwards.
    Delivery.objects.filter(session=session).update(participants=participant_count(session))
    return session.registrations.filter(attended=True).count()


@transaction.atomic
def mark_held(session: Session, actor: Person) -> Delivery:
    """The session took place: it becomes a delivery (once; marking again returns it)."""
    session = _locked(session)
    _require_manager(session, actor)
    _require_started(session)
    if session.status != Session.Status.HELD:
        session.status = Session.Status.HELD
        session.save()
    delivery, created = Delivery.objects.get_or_create(
        session=session,
        defaults={
            "module_version": session.module_version,
            "organisation": session.organisation,
            "held_on": local_day(session),
            "online": session.online,
            "city": session.city,
            "country": session.country,
            "language": session.language,
            "participants": participant_count(session),
            "recorded_by": actor,
        },
    )
    return delivery


# ---------------------------------------------------------------- feedback


def _check_scale(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise SessionError(_("%(what)s must be a whole number from 1 to 5.") % {"what": what})
    return value


@transaction.atomic
def give_feedback(
    session: Session,
    person: Person,
    confidence: list[tuple[int, int]],
    rating: int,
    comment: str = "",
) -> Feedback:
    """A participant's feedback: one (before, after) confidence pair per outcome of the
    module, a rating, a comment. Giving it again replaces the earlier answer."""
    session = _locked(session)
    _require_started(session)
    if not may_give_feedback(session, person):
        raise SessionError(_("Only people who took part in the session may give feedback."))
    outcomes = outcomes_of(session)
    if len(confidence) != len(outcomes):
        raise SessionError(
            ngettext(
                "Give your confidence before and after for the outcome.",
                "Give your confidence before and after for each of the %(count)d outcomes.",
                len(outcomes),
            )
            % {"count": len(outcomes)}
        )
    pairs = []
    for pair in confidence:
        if len(pair) != 2:
            raise SessionError(_("Give your confidence before and after for each outcome."))
        pairs.append(
            [_check_scale(pair[0], _("Confidence")), _check_scale(pair[1], _("Confidence"))]
        )
    feedback, _created = Feedback.objects.update_or_create(
        session=session,
        person=person,
        defaults={
            "confidence": pairs,
            "rating": _check_scale(rating, _("The rating")),
            "comment": (comment or "").strip(),
        },
    )
    return feedback


@dataclass(frozen=True)
class OutcomeSummary:
    outcome: str
    before: float | None
    after: float | None

    @property
    def gain(self) -> float | None:
        return None if self.before is None else self.after - self.before


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    rating: float | None  # None when too few answered (see SMALL_CELL)
    outcomes: tuple[OutcomeSummary, ...]
    comments: tuple[str, ...]  # without names; empty when too few answered

    @property
    def too_few(self) -> bool:
        return self.answers < SMALL_CELL


def feedback_summary(session: Session) -> FeedbackSummary:
    """Counts always; averages and comments only from SMALL_CELL answers on, so that nobody's
    answer can be read off the summary."""
    rows = list(session.feedback.order_by("created_at", "pk"))
    outcomes = outcomes_of(session)
    if len(rows) < SMALL_CELL:
        return FeedbackSummary(
            len(rows), None, tuple(OutcomeSummary(o, None, None) for o in outcomes), ()
        )
    per_outcome = []
    for index, outcome in enumerate(outcomes):
        pairs = [row.confidence[index] for row in rows if index < len(row.confidence)]
        before = sum(p[0] for p in pairs) / len(pairs) if pairs else None
        after = sum(p[1] for p in pairs) / len(pairs) if pairs else None
        per_outcome.append(OutcomeSummary(outcome, before, after))
    return FeedbackSummary(
        len(rows),
        sum(row.rating for row in rows) / len(rows),
        tuple(per_outcome),
        tuple(row.comment for row in rows if row.comment),
    )


# ---------------------------------------------------------------- deliveries by hand


@transaction.atomic
def record_delivery(
    actor: Person,
    *,
    module_version: ModuleVersion,
    organisation: Organisation,
    held_on: date,
    participants: int,
    language: str,
    online: bool = False,
    city: str = "",
    country: str = "",
) -> Delivery:
    """Record a module delivered outside Data Circle's sessions (a branch training, a partner's
    workshop), so it counts with the rest."""
    if actor.role not in (
        Person.Role.FACILITATOR,
        Person.Role.COORDINATOR,
        Person.Role.NETWORK_ADMIN,
    ):
        raise SessionError(_("Only facilitators and coordinators record deliveries."))
    if actor.role != Person.Role.NETWORK_ADMIN and organisation.pk != actor.organisation_id:
        raise SessionError(_("You may record deliveries only for your own organisation."))
    problems = delivery_problems(
        held_on=held_on, participants=participants, online=online, city=city, country=country
    )
    if problems:
        raise SessionError(" ".join(message for _field, message in problems))
    return save_delivery(
        recorded_by=actor,
        module_version=module_version,
        organisation=organisation,
        held_on=held_on,
        participants=participants,
        language=language,
        online=online,
        city=city,
        country=country,
    )


def delivery_problems(
    *, held_on: date, participants: int, online: bool, city: str, country: str
) -> list[tuple[str, str]]:
    """What is wrong with a delivery to record (by hand or through the API), as (field,
    message) pairs."""
    problems = []
    if held_on > timezone.localdate():
        problems.append(("held_on", _("A delivery is recorded once it has taken place.")))
    if participants < 1:
        problems.append(("participants", _("A delivery has at least one participant.")))
    if not online and not (city.strip() or country):
        problems.append(("city", _("Say where it took place, or that it was online.")))
    return problems


def save_delivery(*, recorded_by: Person | None, online: bool, city: str, country: str, **fields):
    """A checked delivery, saved; a delivery online keeps no place."""
    return Delivery.objects.create(
        online=online,
        city="" if online else city.strip(),
        country="" if online else country,
        recorded_by=recorded_by,
        **fields,
    )
