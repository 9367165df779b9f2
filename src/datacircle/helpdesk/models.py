"""Questions to the data help desk, their replies and history, and the FAQ built from answers.

A question belongs to an organisation and is routed to one of its data leaders by skill and
language (`datacircle.core.helpdesk.route`). Replies form one flat thread per question, oldest
first: questions here are short exchanges, and a flat thread keeps them readable on a phone.
FAQ entries hold no personal data and are readable by everyone signed in, network-wide.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from datacircle.accounts.models import (
    LANGUAGE_CHOICES,
    Organisation,
    Person,
    manages_people,
    within_reach,
)
from datacircle.core.helpdesk import Reason


def new_token() -> str:
    return secrets.token_urlsafe(24)


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> QuestionQuerySet:
        """The questions `user` may read: the ones they asked, the ones assigned to them, and
        for coordinators their organisation's (network admins: all of them). The one place
        this rule lives."""
        if not user.is_authenticated:
            return self.none()
        person = getattr(user, "person", None)
        mine = self.filter(Q(asker=person) | Q(assigned_to=person)) if person else self.none()
        if manages_people(user):
            return within_reach(self, user) | mine
        return mine

    def handled_by(self, user) -> QuestionQuerySet:
        """The questions `user` may reply to as an answerer: assigned to them, or their
        organisation's when they coordinate it."""
        if not user.is_authenticated:
            return self.none()
        person = getattr(user, "person", None)
        mine = self.filter(assigned_to=person) if person else self.none()
        if manages_people(user):
            return within_reach(self, user) | mine
        return mine

    def managed_by(self, user) -> QuestionQuerySet:
        """The questions `user` may reassign, close and turn into FAQ entries."""
        return within_reach(self, user) if manages_people(user) else self.none()

    def unfinished(self) -> QuestionQuerySet:
        return self.exclude(status__in=Question.FINISHED)


class Question(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open: nobody assigned yet")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", pgettext_lazy("status of a help desk question", "Closed")

    FINISHED = (Status.RESOLVED, Status.CLOSED)
    # What the page says about each routing reason; "reassigned" is a coordinator's choice.
    REASONS = {
        Reason.SKILL_AND_LANGUAGE.value: _(
            "Sent to a data leader who has this skill and speaks the question's language."
        ),
        Reason.SKILL_ONLY.value: _(
            "Sent to a data leader who has this skill; none of the leaders with it speaks the "
            "question's language."
        ),
        Reason.NO_SKILL.value: _(
            "Nobody in the organisation shares this skill yet, so the coordinator with the "
            "fewest open questions took it."
        ),
        Reason.NOBODY.value: _(
            "No data leader or coordinator is available right now; the question waits for a "
            "coordinator to assign it."
        ),
        "reassigned": _("Assigned by a coordinator."),
    }

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    asker = models.ForeignKey(
        Person,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_asked",
    )
    # People without a login ask through the organisation's public link.
    asker_name = models.CharField(_("name"), max_length=200, blank=True)
    asker_email = models.EmailField(_("email"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    skill = models.CharField(_("skill"), max_length=60)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    assigned_to = models.ForeignKey(
        Person,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_assigned",
    )
    routing = models.CharField(_("why assigned so"), max_length=20, blank=True)
    answer = models.ForeignKey(
        "Reply",
        verbose_name=_("accepted answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["asker", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def asked_by(self) -> str:
        return self.asker.full_name if self.asker_id else self.asker_name

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def routing_explained(self) -> str:
        return str(self.REASONS.get(self.routing, ""))

    def overdue(self, today) -> bool:
        """Waiting for an answer past its due day (an answered question waits for the asker)."""
        waiting = self.status in (self.Status.OPEN, self.Status.ASSIGNED)
        return waiting and self.due_on is not None and today > self.due_on

    def is_asker(self, person) -> bool:
        return person is not None and self.asker_id == person.pk


class Reply(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        Person,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Whether the asker wrote it (with or without a login): decides the status it leads to.
    by_asker = models.BooleanField(_("by the asker"), default=False)
    body = models.TextField(_("reply"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.question}: {self.body[:40]}"

    @property
    def author_name(self) -> str:
        if self.author_id:
            return self.author.full_name
        return self.question.asker_name if self.by_asker else ""


class QuestionEvent(models.Model):
    """One step in a question's life: who moved it from which status to which, and when."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who acted when it was not a person with a record (an asker through the public link).
    actor_label = models.CharField(max_length=200, blank=True)
    before = models.CharField(max_length=10, blank=True)
    after = models.CharField(max_length=10)
    assigned_to = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("question history")
        verbose_name_plural = _("question history")

    def __str__(self) -> str:
        return f"{self.before or '-'} → {self.after}"

    @property
    def before_label(self) -> str:
        return Question.Status(self.before).label if self.before else ""

    @property
    def after_label(self) -> str:
        return Question.Status(self.after).label

    @property
    def actor_name(self) -> str:
        return self.actor.full_name if self.actor_id else self.actor_label


class FaqQuerySet(models.QuerySet):
    def visible_to(self, user) -> FaqQuerySet:
        """FAQ entries hold no personal data: everyone signed in reads all of them."""
        return self if user.is_authenticated else self.none()

    def editable_by(self, user) -> FaqQuerySet:
        """Coordinators change their organisation's entries; network admins any."""
        return within_reach(self, user) if manages_people(user) else self.none()


class FaqEntry(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("written by organisation"),
        on_delete=models.PROTECT,
        related_name="faq_entries",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("answer"))
    skill = models.CharField(_("skill"), max_length=60)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    # The same entry in other languages points to the first one written.
    original = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
    )
    source = models.ForeignKey(
        Question,
        verbose_name=_("from the question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FaqQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        constraints = [
            models.UniqueConstraint(
                fields=["original", "language"], name="faq_one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def family_root(self) -> FaqEntry:
        return self.original if self.original_id else self

    def family(self) -> list[FaqEntry]:
        """This entry and all its translations, the original first."""
        root = self.family_root
        return [root, *root.translations.order_by("language", "pk")]
