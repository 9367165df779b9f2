"""Questionnaire versions, scans and their responses.

A questionnaire row never changes once written: editing makes a new version, and each scan keeps
the exact version it was answered with, so its results stay what they were. Who may do what is
decided here, in `ScanQuerySet` and the functions below it, and nowhere else.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from datacircle.accounts.models import Organisation, Person, Unit, manages_people, within_reach
from datacircle.core import maturity as core

# A unit's (and the organisation's) results show only from this many respondents: fewer would
# come close to showing one person's answers.
MIN_RESPONDENTS = 3


class Questionnaire(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maturity_questionnaires",
        help_text=_("Empty for the built-in questionnaire that comes with Data Circle."),
    )
    version = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        Person,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["-version", "-pk"]
        verbose_name = _("maturity questionnaire")
        verbose_name_plural = _("maturity questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="maturity_questionnaire_version_unique"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(organisation__isnull=True),
                name="maturity_builtin_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_label} v{self.version}"

    @property
    def owner_label(self) -> str:
        return self.organisation.name if self.organisation_id else str(_("Built-in"))

    def parsed(self) -> core.Questionnaire:
        """The version as the core reads it (rows are checked before they are saved)."""
        return core.parse(self.content, source=f"questionnaire v{self.version}")

    def shown(self, language: str) -> core.Questionnaire:
        """The version as a reader of `language` sees it: its English-only texts that the
        built-in questionnaire has word for word at the same place borrow the built-in's
        translations (version 1, an organisation's unchanged texts), then every text in
        `language`, or in English where it has none. For showing; scores are the same."""
        return self.parsed().borrowing(core.builtin()).in_language(language)


class ScanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScanQuerySet:
        """Scans `user` may see listed: their organisation's (network admins: all)."""
        return within_reach(self, user)

    def managed_by(self, user) -> ScanQuerySet:
        """Scans whose results `user` may read and which they may open and close:
        coordinators their organisation's, network admins all."""
        return self.visible_to(user) if manages_people(user) else self.none()

    def answerable_by(self, user) -> ScanQuerySet:
        """Scans `user` may answer: those of their own organisation, whatever their role."""
        person = getattr(user, "person", None) if user.is_authenticated else None
        if person is None:
            return self.none()
        return self.filter(organisation_id=person.organisation_id)


def runs_scans(user) -> bool:
    """Coordinators and network admins start scans and edit their organisation's questionnaire."""
    return manages_people(user) and getattr(user, "person", None) is not None


class Scan(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status of a maturity scan", "Open for answers")
        CLOSED = "closed", pgettext_lazy("status of a maturity scan", "Closed")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="maturity_scans",
    )
    title = models.CharField(_("title"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="scans",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        Person,
        verbose_name=pgettext_lazy("who started a maturity scan", "started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScanQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("maturity scan")
        verbose_name_plural = _("maturity scans")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="maturity_scan_title_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """How the CLI names a scan: organisation/title."""
        return f"{self.organisation.slug}/{self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ScanResponse(models.Model):
    """One person's answers. Never shown on its own: results only combine several."""

    scan = models.ForeignKey(
        Scan, verbose_name=_("scan"), on_delete=models.CASCADE, related_name="responses"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="maturity_responses",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="maturity_responses",
    )
    answers = models.JSONField(_("answers"), default=dict)
    targets = models.JSONField(_("targets"), default=dict)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("scan response")
        verbose_name_plural = _("scan responses")
        constraints = [
            models.UniqueConstraint(fields=["scan", "person"], name="maturity_one_response_each")
        ]

    def __str__(self) -> str:
        return f"{self.scan} #{self.pk}"

    def as_core(self) -> core.Response:
        return core.Response(
            answers={str(k): int(v) for k, v in self.answers.items()},
            targets={str(k): int(v) for k, v in self.targets.items()},
        )
