"""Scoping rounds, their responses, the coding of free-text answers, and cached analyses.

Only consenting responses are stored. A response keeps a few plain fields for filtering and its
answers as one compact JSON document (see datacircle.core.responses).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from datacircle.accounts.models import Organisation, ReachQuerySet, manages_people


def new_token() -> str:
    return secrets.token_urlsafe(16)


def manages_rounds(user) -> bool:
    """Those who manage an organisation's people (coordinators, admins) also run its rounds."""
    return manages_people(user)


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("status of a scoping round", "Open for answers")
        CLOSED = "closed", pgettext_lazy("status of a scoping round", "Closed")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short identifier"), max_length=80)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    min_cell = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
        help_text=_("Counts below this number are shown as “fewer than”, never exactly."),
    )
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("compare with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text=_("An earlier round of the same organisation, to show what changed."),
    )
    # Bumped by every change to the round's answers or codings; cached analyses carry it.
    data_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReachQuerySet.as_manager()  # visible_to: the report; managed_by: run it

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scoping round")
        verbose_name_plural = _("scoping rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="round_slug_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """How the CLI names a round: organisation/round."""
        return f"{self.organisation.slug}/{self.slug}"

    def touch(self) -> None:
        Round.objects.filter(pk=self.pk).update(data_version=F("data_version") + 1)
        self.refresh_from_db(fields=["data_version"])


class Response(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        KOBO = "kobo", _("KoboToolbox")
        ODK = "odk", _("ODK")
        MAPPING = "mapping", _("File with a mapping")
        DATACIRCLE = "datacircle", _("Data Circle export")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="responses"
    )
    uuid = models.CharField(_("submission id"), max_length=100)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    role = models.CharField(pgettext_lazy("a respondent's job", "role"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["round", "uuid"], name="response_uuid_unique_in_round")
        ]

    def __str__(self) -> str:
        return self.uuid


class Coding(models.Model):
    """How one free-text answer (normalised) is coded in a round: suggested, then reviewed."""

    class Status(models.TextChoices):
        AUTOMATIC = "automatic", _("Coded automatically")
        PENDING = "pending", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="codings")
    question = models.CharField(_("question"), max_length=40)
    text = models.CharField(_("normalised text"), max_length=500)
    example = models.TextField(_("as written"))
    occurrences = models.PositiveIntegerField(_("answers"), default=0)
    suggested = models.JSONField(_("suggested codes"), default=list)
    codes = models.JSONField(_("codes"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurrences", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "question", "text"], name="coding_unique_in_round"
            )
        ]

    def __str__(self) -> str:
        return self.example


class Analysis(models.Model):
    """The analysis of a round at one data version and cell size, as JSON, ready to render."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="analyses")
    data_version = models.PositiveIntegerField()
    min_cell = models.PositiveSmallIntegerField()
    payload = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "min_cell"], name="analysis_unique_per_k")
        ]

    def __str__(self) -> str:
        return f"{self.round} (k={self.min_cell}, v{self.data_version})"


class SkillOverride(models.Model):
    """An organisation's own skill, or its own wording of a built-in skill."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="skill_overrides"
    )
    code = models.SlugField(_("code"), max_length=60)
    label = models.JSONField(
        _("labels"), default=dict, help_text=_('Per language, e.g. {"en": "Kobo"}.')
    )
    description = models.JSONField(_("descriptions"), default=dict, blank=True)
    synonyms = models.JSONField(_("synonyms"), default=dict, blank=True)

    class Meta:
        verbose_name = _("skill of an organisation")
        verbose_name_plural = _("skills of organisations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="skill_override_unique")
        ]

    def __str__(self) -> str:
        return self.code
