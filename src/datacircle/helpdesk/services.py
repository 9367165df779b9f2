"""The help desk's workflow: asking, routing, replying, accepting, reassigning, closing and
promoting an answer to the FAQ; each step a transaction that records its history and tells the
people concerned by email once it commits.

Views check who may do what (see `QuestionQuerySet`); these functions only keep the rules of
the workflow itself.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datacircle.accounts.models import Organisation, Person
from datacircle.core import helpdesk as core
from datacircle.helpdesk.models import FaqEntry, Question, QuestionEvent, Reply
from datacircle.notices.services import absolute, language_of, notify

Status = Question.Status
BUSY = (Status.ASSIGNED, Status.ANSWERED)


class HelpdeskError(ValueError):
    """A step the question's status does not allow (replying to a closed question…)."""


def service_days() -> int:
    return int(getattr(settings, "DATACIRCLE_HELPDESK_DAYS", 3))


def due_date(asked_at: datetime, asker: Person | None):
    """The due day, counted from the day of asking where the asker is (UTC without a record)."""
    zone_name = asker.timezone if asker is not None else settings.TIME_ZONE
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return core.due_on(timezone.localtime(asked_at, zone).date(), service_days())


def data_leaders(organisation: Organisation):
    """People of the organisation who may answer questions, with their open load."""
    return (
        Person.objects.filter(organisation=organisation, role__in=core.LEADER_ROLES)
        .select_related("profile")
        .annotate(load=Count("questions_assigned", filter=Q(questions_assigned__status__in=BUSY)))
        .order_by("family_name", "given_name", "pk")
    )


def leader_pool(organisation: Organisation) -> list[core.Leader]:
    """The organisation's data leaders as the core routes them. Someone without a learning
    profile has not said they are on a break, so they count as available, sharing nothing."""
    pool = []
    for person in data_leaders(organisation):
        profile = getattr(person, "profile", None)
        pool.append(
            core.Leader(
                key=person.pk,
                role=person.role,
                languages=tuple(person.languages or ()),
                shares=dict(profile.shares) if profile else {},
                load=person.load,
                available=profile is None or profile.status == "available",
            )
        )
    return pool


def question_url(question: Question) -> str:
    if question.asker_id is None:
        return reverse("helpdesk-track", args=[question.token])
    return reverse("helpdesk-question", args=[question.pk])


def _record(
    question: Question,
    after: str,
    *,
    actor: Person | None = None,
    label: str = "",
    note: str = "",
) -> None:
    QuestionEvent.objects.create(
        question=question,
        actor=actor,
        actor_label="" if actor else label,
        before=question.status,
        after=after,
        assigned_to=question.assigned_to,
        note=note[:300],
    )
    question.status = after


@transaction.atomic
def ask(
    *,
    organisation: Organisation,
    title: str,
    body: str,
    skill: str,
    language: str,
    asker: Person | None = None,
    asker_name: str = "",
    asker_email: str = "",
    asked_at: datetime | None = None,
    tell: bool = True,
) -> Question:
    """Store a question and route it; `tell=False` (demo data) sends no email."""
    asked_at = asked_at or timezone.now()
    question = Question.objects.create(
        organisation=organisation,
        asker=asker,
        asker_name="" if asker else asker_name,
        asker_email="" if asker else asker_email,
        title=title,
        body=body,
        skill=skill,
        language=language,
        asked_at=asked_at,
        due_on=due_date(asked_at, asker),
    )
    QuestionEvent.objects.create(
        question=question,
        at=asked_at,
        actor=asker,
        actor_label="" if asker else asker_name,
        after=Status.OPEN,
        note="asked",
    )
    route(question, tell=tell)
    if asker is None and asker_email and tell:
        _confirm_to_public_asker(question)
    return question


def route(question: Question, *, actor: Person | None = None, tell: bool = True) -> core.Routing:
    """Choose the question's leader with the core's rules and assign it (or leave it open)."""
    exclude = [question.asker_id] if question.asker_id else []
    routing = core.route(
        question.skill, question.language, leader_pool(question.organisation), exclude
    )
    question.routing = routing.reason.value
    if routing.leader is None:
        question.save(update_fields=["routing", "updated_at"])
        return routing
    _assign(question, Person.objects.get(pk=routing.leader), actor=actor, tell=tell)
    return routing


def _assign(question: Question, leader: Person, *, actor: Person | None, tell: bool) -> None:
    question.assigned_to = leader
    # An answered question stays answered: it waits for the asker, not for the new leader.
    after = Status.ANSWERED if question.status == Status.ANSWERED else Status.ASSIGNED
    _record(question, after, actor=actor, note="assigned")
    question.save(update_fields=["assigned_to", "status", "routing", "updated_at"])
    if tell:
        _tell_leader(
            question,
            leader,
            subject=gettext_lazy("Help desk: a question for you: %(title)s"),
            body=gettext_lazy(
                "%(asker)s asked a question about %(skill)s. Please answer by %(due)s.\n\n"
                "%(title)s\n\n%(text)s"
            ),
        )


@transaction.atomic
def reassign(
    question: Question, leader: Person | None, *, actor: Person | None, tell: bool = True
) -> None:
    """A coordinator gives the question to `leader`, or routes it again when None."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.finished:
        raise HelpdeskError(_("This question is finished; it cannot be reassigned."))
    if leader is None:
        previous = question.assigned_to_id
        routing = route(question, actor=actor, tell=tell)
        if routing.leader is None and previous is not None:
            question.assigned_to = None
            _record(question, Status.OPEN, actor=actor, note="unassigned")
            question.save(update_fields=["assigned_to", "status", "updated_at"])
        return
    if leader.organisation_id != question.organisation_id or leader.role not in core.LEADER_ROLES:
        raise HelpdeskError(_("Only a data leader of the question's organisation can take it."))
    question.routing = "reassigned"
    _assign(question, leader, actor=actor, tell=tell)


@transaction.atomic
def reply(
    question: Question,
    body: str,
    *,
    author: Person | None,
    by_asker: bool,
    at: datetime | None = None,
    tell: bool = True,
) -> Reply:
    """Add a reply. An answerer's reply makes the question answered; the asker's own reply
    sends it back to its leader (or to the open queue when nobody has it)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.finished:
        raise HelpdeskError(_("This question is finished; it takes no more replies."))
    if not body.strip():
        raise HelpdeskError(_("A reply needs some text."))
    at = at or timezone.now()
    answer = Reply.objects.create(
        question=question, author=author, by_asker=by_asker, body=body, created_at=at
    )
    label = question.asker_name if by_asker and author is None else ""
    if by_asker:
        if question.status == Status.ANSWERED:
            after = Status.ASSIGNED if question.assigned_to_id else Status.OPEN
            _record(question, after, actor=author, label=label, note="asker replied")
            question.save(update_fields=["status", "updated_at"])
        if tell and question.assigned_to_id:
            _tell_leader(
                question,
                question.assigned_to,
                subject=gettext_lazy("Help desk: %(asker)s replied: %(title)s"),
                body=gettext_lazy("%(asker)s replied to the question “%(title)s”:\n\n%(reply)s"),
                reply=answer,
            )
    else:
        if question.status in (Status.OPEN, Status.ASSIGNED):
            _record(question, Status.ANSWERED, actor=author, note="replied")
            question.save(update_fields=["status", "updated_at"])
        if tell:
            _tell_asker_answered(question, answer)
    return answer


@transaction.atomic
def accept(question: Question, answer: Reply, *, actor: Person | None, tell: bool = True) -> None:
    """The asker takes `answer` as the answer: the question is resolved."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.finished:
        raise HelpdeskError(_("This question is already finished."))
    if answer.question_id != question.pk or answer.by_asker:
        raise HelpdeskError(_("Only a reply from someone else can be the answer."))
    question.answer = answer
    label = question.asker_name if actor is None else ""
    _record(question, Status.RESOLVED, actor=actor, label=label, note="accepted")
    question.save(update_fields=["answer", "status", "updated_at"])
    if tell and answer.author_id and answer.author_id != getattr(actor, "pk", None):
        with translation.override(language_of(answer.author)):
            notify(
                answer.author,
                _("Help desk: your answer was accepted: %(title)s") % {"title": question.title},
                _("Your answer resolved the question “%(title)s”. Thank you!")
                % {"title": question.title},
                reverse("helpdesk-question", args=[question.pk]),
            )


@transaction.atomic
def close(question: Question, *, actor: Person | None, note: str = "") -> None:
    """A coordinator closes a question without an accepted answer (a duplicate, spam…)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.finished:
        raise HelpdeskError(_("This question is already finished."))
    _record(question, Status.CLOSED, actor=actor, note=note or "closed")
    question.save(update_fields=["status", "updated_at"])


@transaction.atomic
def promote(
    question: Question,
    *,
    organisation: Organisation,
    title: str,
    body: str,
    skill: str,
    language: str,
) -> FaqEntry:
    """A FAQ entry from a question's answer, as a coordinator edited it."""
    return FaqEntry.objects.create(
        organisation=organisation,
        title=title,
        body=body,
        skill=skill,
        language=language,
        source=question,
    )


def promotion_draft(question: Question, answer: Reply) -> dict:
    """What the promotion form starts from: the question's title and the answer, without the
    names of the asker and the answerer (everyone in the network reads the FAQ)."""
    names = [question.asked_by]
    if answer.author_id:
        names.append(answer.author.full_name)
    return {
        "title": core.redact(question.title, names),
        "body": core.redact(answer.body, names),
        "skill": question.skill,
        "language": question.language,
    }


@transaction.atomic
def translate(
    entry: FaqEntry, *, organisation: Organisation, title: str, body: str, language: str
) -> FaqEntry:
    """The same FAQ entry in another language, linked to the original."""
    root = entry.family_root
    if any(member.language == language for member in root.family()):
        raise HelpdeskError(_("This entry already exists in that language."))
    return FaqEntry.objects.create(
        organisation=organisation,
        title=title,
        body=body,
        skill=root.skill,
        language=language,
        original=root,
        source=root.source,
    )


# --- emails -------------------------------------------------------------------------------------


def _placeholders(question: Question, answer: Reply | None = None) -> dict:
    from datacircle.scoping.services import taxonomy_for

    taxonomy = taxonomy_for(question.organisation)
    language = translation.get_language() or "en"
    skill = taxonomy.label(question.skill, language) if question.skill in taxonomy else ""
    return {
        "title": question.title,
        "asker": question.asked_by or _("Someone"),
        "skill": skill or question.skill,
        # In the reader's language ("3 mai 2026"): this runs inside their translation.override.
        "due": formats.date_format(question.due_on, "DATE_FORMAT") if question.due_on else "—",
        "text": question.body,
        "reply": answer.body if answer else "",
    }


def _tell_leader(question, leader: Person, *, subject, body, reply: Reply | None = None) -> None:
    with translation.override(language_of(leader)):
        values = _placeholders(question, reply)
        notify(
            leader,
            str(subject) % values,
            str(body) % values,
            reverse("helpdesk-question", args=[question.pk]),
        )


def _tell_asker_answered(question: Question, answer: Reply) -> None:
    # Lazy: translated below, in the asker's language.
    subject = gettext_lazy("Help desk: your question has an answer: %(title)s")
    body = gettext_lazy(
        "There is an answer to your question “%(title)s”:\n\n%(reply)s\n\n"
        "If it answers your question, please accept it on the page below; if not, reply there."
    )
    if question.asker_id:
        with translation.override(language_of(question.asker)):
            values = _placeholders(question, answer)
            notify(
                question.asker, str(subject) % values, str(body) % values, question_url(question)
            )
    elif question.asker_email:
        with translation.override(question.language):
            values = _placeholders(question, answer)
            _email_public(question, str(subject) % values, str(body) % values)


def _confirm_to_public_asker(question: Question) -> None:
    with translation.override(question.language):
        values = _placeholders(question)
        _email_public(
            question,
            _("Help desk: we received your question: %(title)s") % values,
            _(
                "Thank you, %(asker)s. A data leader will answer your question “%(title)s”. "
                "Follow it, reply and accept the answer through this private link; keep it to "
                "yourself, anyone with the link can read the question."
            )
            % values,
        )


def _email_public(question: Question, subject: str, body: str) -> None:
    """People without a login have no notices: they get the email directly once committed."""
    address = question.asker_email
    text = f"{body}\n\n{absolute(question_url(question))}\n"
    transaction.on_commit(lambda: send_mail(subject, text, None, [address]))
