"""Session modules and their immutable published versions.

A module's working copy is kept as its canonical file text (`source`, see
`datacircle.core.modules`), so exporting it gives back exactly what was imported; the columns
beside it (title, skills, duration…) are copies taken from that text on every save, for listing,
filtering and searching. Publishing freezes the text as a `ModuleVersion` that never changes.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from datacircle.accounts.models import (
    LANGUAGE_CHOICES,
    Organisation,
    Person,
    has_role,
    manages_people,
)

STARTER = "datacircle"  # the organisation name of the starter library in files; NULL here


class ModuleQuerySet(models.QuerySet):
    def of_organisation(self, slug: str) -> ModuleQuerySet:
        """Modules of the organisation with this slug; STARTER names the starter library."""
        if slug == STARTER:
            return self.filter(organisation__isnull=True)
        return self.filter(organisation__slug=slug)

    def visible_to(self, user) -> ModuleQuerySet:
        """Published modules are for everyone signed in, across the network; drafts and modules
        in review only for their organisation's coordinators (network admins: all)."""
        if not user.is_authenticated:
            return self.none()
        # Subqueries, not a join on versions: a join would need DISTINCT over wide rows.
        published = Q(status=Module.Status.PUBLISHED) | Q(
            pk__in=ModuleVersion.objects.values("module_id")
        )
        return self.filter(published | Q(pk__in=self.editable_by(user).values("pk")))

    def editable_by(self, user) -> ModuleQuerySet:
        """Modules `user` may change: facilitators and coordinators their organisation's,
        network admins any (the starter library included)."""
        if not writes_modules(user):
            return self.none()
        person = getattr(user, "person", None)
        if user.is_superuser or person.role == Person.Role.NETWORK_ADMIN:
            return self.all()
        return self.filter(organisation_id=person.organisation_id)


def writes_modules(user) -> bool:
    """Facilitators design sessions; coordinators and admins too."""
    return has_role(
        user, Person.Role.FACILITATOR, Person.Role.COORDINATOR, Person.Role.NETWORK_ADMIN
    )


def publishes_modules(user) -> bool:
    """Coordinators (and admins) review and publish what facilitators write."""
    return manages_people(user)


class Module(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("contributed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="modules",
        help_text=_("Empty for the starter library that comes with Data Circle."),
    )
    slug = models.SlugField(_("short identifier"), max_length=80)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    skills = models.JSONField(_("skills"), default=list)
    level = models.PositiveSmallIntegerField(_("starting level"))
    duration = models.PositiveSmallIntegerField(_("minutes"))
    unplugged = models.BooleanField(_("no laptops needed"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source = models.TextField(_("module file"))
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    derived_from = models.ForeignKey(
        "ModuleVersion",
        verbose_name=_("adapted from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adaptations",
    )
    # Folded words of the whole module, for the full-text index (see library.search), and of
    # its title and summary alone, which rank the matches on PostgreSQL. (On SQLite, changing
    # this table's columns drops the index triggers: see migration 0004.)
    search_text = models.TextField(default="", editable=False)
    rank_text = models.TextField(default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="module_slug_unique_in_org"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="module_slug_unique_in_starter_library",
            ),
        ]
        indexes = [
            models.Index(fields=["language", "duration"]),
            models.Index(fields=["title", "id"], name="library_module_listing"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organisation_slug(self) -> str:
        return self.organisation.slug if self.organisation_id else STARTER

    @property
    def reference(self) -> str:
        return f"{self.organisation_slug}/{self.slug}"

    @property
    def latest_version(self) -> ModuleVersion | None:
        return self.versions.order_by("-number").first()


class ModuleVersion(models.Model):
    """A published module, frozen: its text never changes once written."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("module file"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["module", "number"]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.module.reference}@{self.number}"

    def save(self, *args, **kwargs) -> None:
        # A published version is a promise to everyone who adapted or ran it: never rewritten.
        if self.pk is not None:
            stored = ModuleVersion.objects.filter(pk=self.pk).values_list("source", "number")
            if stored and stored[0] != (self.source, self.number):
                raise ValueError(f"{self} is published and cannot change")
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"{self.module.reference}@{self.number}"
