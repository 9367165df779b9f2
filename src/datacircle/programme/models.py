"""The working group and what it runs.

- A *member* of an organisation's working group volunteers to lead topics (skills), says on
  which weekdays they can run a session and how many a month.
- *Milestones* of the organisation add to the built-in ones (datacircle.core.milestones).
- A *programme* is planned from a scoping round's demand (datacircle.core.planning) as draft
  sessions; publishing it freezes a numbered version with the list of changes since the last.
- A *session* is a published module version at a time and place; people register (or join the
  waiting list), attend, and give feedback. A held session becomes a *delivery*; deliveries held
  elsewhere can be recorded by hand.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from datacircle.accounts.models import (
    LANGUAGE_CHOICES,
    Organisation,
    Person,
    ReachQuerySet,
)
from datacircle.library.models import ModuleVersion
from datacircle.web.i18n import translated


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Member(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="membership"
    )
    leads = models.JSONField(
        _("topics I can lead"), default=list, blank=True, help_text=_("Skill codes.")
    )
    weekdays = models.JSONField(
        _("days I can run a session"),
        default=list,
        blank=True,
        help_text=_("0 = Monday … 6 = Sunday."),
    )
    monthly_limit = models.PositiveSmallIntegerField(
        _("sessions a month at most"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(8)],
    )
    active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")

    def __str__(self) -> str:
        return str(self.person)


class Milestone(models.Model):
    """An organisation's own milestone (a handbook launch, a geo week), by rule like the
    built-in ones."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Every year on the same day")
        NTH_WEEKDAY = "nth_weekday", _("Every year on a given weekday of a month")
        ONCE = "once", _("Once")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    kind = models.CharField(_("repeats"), max_length=12, choices=Kind.choices)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    n = models.SmallIntegerField(_("which one (1–5, -1 = last)"), null=True, blank=True)
    on = models.DateField(_("date"), null=True, blank=True)
    length_days = models.PositiveSmallIntegerField(_("days"), default=1)
    themes = models.JSONField(_("themes"), default=list, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Being planned")
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Planning failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    demand_round = models.ForeignKey(
        "scoping.Round",
        verbose_name=_("demand from scoping round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programmes",
    )
    starts_on = models.DateField(_("first week starts"))
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=26, validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    slot_times = models.JSONField(
        _("weekly session times"),
        default=list,
        help_text=_("Each a weekday (0 = Monday) and a time, e.g. Tuesday 10:00."),
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Where planned sessions take place unless changed one by one.
    city = models.CharField(_("city"), max_length=100, blank=True)
    online = models.BooleanField(_("online"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNING
    )
    version = models.PositiveIntegerField(_("published version"), default=0)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    objective = models.IntegerField(null=True, blank=True)
    bound = models.IntegerField(null=True, blank=True)
    optimal = models.BooleanField(default=False)
    failure = models.TextField(blank=True)
    # Why it failed as the core wrote it (English, untranslated) with its parameters
    # (`datacircle.core.i18n.as_json`), so that each reader sees it in their own language.
    failure_message = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReachQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    @property
    def failure_text(self) -> str:
        """Why it failed, in the reader's language when the core wrote it untranslated."""
        return translated(self.failure_message or self.failure)


class ProgrammeVersion(models.Model):
    """A published programme as it was: its sessions, and what changed since the last."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sessions = models.JSONField(default=list)
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_programme_number")
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"


class Session(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Planned (draft)")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sessions"
    )
    module_version = models.ForeignKey(
        ModuleVersion, verbose_name=_("module"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=60)
    online = models.BooleanField(_("online"), default=False)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    facilitators = models.ManyToManyField(
        Person, verbose_name=_("facilitators"), related_name="facilitated_sessions", blank=True
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=20, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    reasons = models.JSONField(default=list, blank=True)
    uid = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["organisation", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.module_version.module.title} ({self.starts_at:%Y-%m-%d})"


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_registration_each")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.session}"


class Feedback(models.Model):
    """A participant's feedback: confidence on each outcome before and after (1–5), a rating
    and a comment."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    confidence = models.JSONField(
        _("confidence before and after"), default=list
    )  # [[before, after], …] in the order of the module's outcomes
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_feedback_each")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.session}"


class Delivery(models.Model):
    """A module delivered somewhere: from a held session, or recorded by hand."""

    module_version = models.ForeignKey(
        ModuleVersion, verbose_name=_("module"), on_delete=models.PROTECT, related_name="deliveries"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deliveries"
    )
    session = models.OneToOneField(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="delivery"
    )
    held_on = models.DateField(_("held on"))
    online = models.BooleanField(_("online"), default=False)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    participants = models.PositiveIntegerField(_("participants"))
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.module_version} {self.held_on}"
