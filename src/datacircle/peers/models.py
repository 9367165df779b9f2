"""Learning profiles, matching rounds, their matches and each match's history.

A profile says what a person wants to learn and can share (skill code -> level 0-4), in which
capacity and whether they are available. A matching round stores the optimum the core computed
(`datacircle.core.matching`), which a coordinator reviews and edits while it is a draft, then
publishes: both people of every match are told by email and each accepts or declines.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from datacircle.accounts.models import Organisation, Person, manages_people, within_reach
from datacircle.core.taxonomy import is_valid_code
from datacircle.web.i18n import translated

MAX_CAPACITY = 10


def validate_skill_levels(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Skills must be a mapping of skill code to level."))
    for code, level in value.items():
        if not is_valid_code(str(code)):
            raise ValidationError(_("“%(code)s” is not a skill code."), params={"code": code})
        if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 4:
            raise ValidationError(
                _("The level of “%(code)s” must be a whole number from 0 to 4."),
                params={"code": code},
            )


class Profile(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        BREAK = "break", _("On a break")

    class Source(models.TextChoices):
        SELF = "self", _("Written by the person")
        COORDINATOR = "coordinator", _("Written by a coordinator")
        SCOPING = "scoping", _("From a scoping answer, with the person's agreement")
        DEMO = "demo", _("Demo data")

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="profile"
    )
    wants = models.JSONField(
        _("skills to learn"),
        default=dict,
        blank=True,
        validators=[validate_skill_levels],
        help_text=_("Skill code and current level (0–4)."),
    )
    shares = models.JSONField(
        _("skills to share"),
        default=dict,
        blank=True,
        validators=[validate_skill_levels],
        help_text=_("Skill code and level (0–4); level 3 or more can be shared."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("learners at once"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many learners you can help at the same time; 0 means none."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One email a day with everything new, instead of one email per event."),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learning profile")
        verbose_name_plural = _("learning profiles")

    def __str__(self) -> str:
        return str(self.person)


def manages_matching(user) -> bool:
    """Coordinators and admins run matching rounds for the people they manage."""
    return manages_people(user)


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoundQuerySet:
        """Rounds `user` may run: their organisation's for coordinators; all for admins
        (including network-wide rounds, which have no organisation)."""
        return within_reach(self, user) if manages_matching(user) else self.none()


class MatchingRound(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Being computed")
        DRAFT = "draft", _("Draft: being reviewed")
        PUBLISHED = "published", pgettext_lazy("status of a matching round", "Published")
        FAILED = "failed", pgettext_lazy("status of a matching round", "Failed")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matching_rounds",
        help_text=_("Empty for a round across the whole network."),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    created_by = models.ForeignKey(
        Person, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # What the solver reported, kept to explain the round: totals of the optimum, of the
    # greedy baseline, and the bound with unlimited capacity; the sizes it worked on.
    learners = models.PositiveIntegerField(default=0)
    sharers = models.PositiveIntegerField(default=0)
    total_benefit = models.IntegerField(default=0)
    greedy_benefit = models.IntegerField(null=True, blank=True)
    upper_bound = models.IntegerField(null=True, blank=True)
    failure = models.TextField(blank=True)
    # Why it failed as the core wrote it (English, untranslated) with its parameters
    # (`datacircle.core.i18n.as_json`), so that each reader sees it in their own language.
    failure_message = models.JSONField(default=dict, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def failure_text(self) -> str:
        """Why it failed, in the reader's language when the core wrote it untranslated."""
        return translated(self.failure_message or self.failure)


class MatchQuerySet(models.QuerySet):
    def of_person(self, person) -> MatchQuerySet:
        """Published matches in which `person` learns or shares."""
        return self.filter(models.Q(learner=person) | models.Q(sharer=person)).exclude(
            status=Match.Status.PROPOSED
        )


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed (draft)")
        WAITING = "waiting", _("Waiting for answers")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    round = models.ForeignKey(
        MatchingRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="matches"
    )
    learner = models.ForeignKey(
        Person, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    sharer = models.ForeignKey(
        Person, verbose_name=_("sharer"), on_delete=models.CASCADE, related_name="+"
    )
    skill = models.CharField(_("skill"), max_length=40)
    benefit = models.IntegerField(_("benefit"))
    reasons = models.JSONField(_("reasons"), default=list)
    edited = models.BooleanField(_("changed by hand"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    learner_answer = models.CharField(
        _("learner's answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    sharer_answer = models.CharField(
        _("sharer's answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    learner_feedback = models.TextField(_("learner's feedback"), blank=True)
    sharer_feedback = models.TextField(_("sharer's feedback"), blank=True)
    learner_rating = models.PositiveSmallIntegerField(
        _("learner's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    sharer_rating = models.PositiveSmallIntegerField(
        _("sharer's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["round", "learner"], name="one_match_per_learner"),
        ]
        indexes = [
            models.Index(fields=["learner", "status"]),
            models.Index(fields=["sharer", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} ← {self.sharer} ({self.skill})"

    def side_of(self, person) -> str | None:
        """ "learner", "sharer" or None for someone not in this match."""
        if person is None:
            return None
        if person.pk == self.learner_id:
            return "learner"
        if person.pk == self.sharer_id:
            return "sharer"
        return None


class Unmatched(models.Model):
    """A learner the round could not match, and why (a reason tuple of the core, as a list)."""

    round = models.ForeignKey(
        MatchingRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="unmatched"
    )
    learner = models.ForeignKey(
        Person, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.JSONField(_("reason"))

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "learner"], name="one_reason_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.learner}: {self.reason}"


class MatchEvent(models.Model):
    """One step in a match's life: who moved it from which state to which, and when."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.CharField(max_length=10, blank=True)
    after = models.CharField(max_length=10)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.before or '-'} → {self.after}"

    @property
    def before_label(self) -> str:
        return Match.Status(self.before).label if self.before else ""

    @property
    def after_label(self) -> str:
        return Match.Status(self.after).label
