"""Organisations form the network; units sit inside them; people belong to a unit.

A person may have a login (a Django user); their role decides what they may do, and their
organisation decides whose personal data they may see (see `Person.objects.visible_to`).
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries.fields import CountryField

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        REGIONAL_OFFICE = "regional_office", _("Regional office")
        NATIONAL_SOCIETY = "national_society", _("National Society")
        PARTNER = "partner", _("Partner organisation")

    slug = models.SlugField(_("short identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be part of itself.")})
            ancestor = ancestor.parent


class Unit(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(zone)s” is not a known time zone."), params={"zone": value})


def validate_languages(value: list) -> None:
    known = {code for code, _label in LANGUAGE_CHOICES}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one language."))
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(
            ngettext_lazy(
                "Unknown language code: %(codes)s.",
                "Unknown language codes: %(codes)s.",
                len(unknown),
            ),
            params={"codes": ", ".join(map(str, unknown))},
        )


def within_reach(queryset: models.QuerySet, user) -> models.QuerySet:
    """The rows of `queryset` (a model with an `organisation`) that `user` may see: all of them
    for network admins, their own organisation's for everyone else, none without a person.
    The one place this rule lives; every app's `visible_to` goes through it."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    person = getattr(user, "person", None)
    if person is None:
        return queryset.none()
    if person.role == Person.Role.NETWORK_ADMIN:
        return queryset
    return queryset.filter(organisation_id=person.organisation_id)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """The people whose personal data `user` may see."""
        return within_reach(self, user)

    def editable_by(self, user) -> PersonQuerySet:
        """The people `user` may change: coordinators their organisation, admins everyone."""
        return self.visible_to(user) if manages_people(user) else self.none()


def has_role(user, *roles: str) -> bool:
    """Whether `user` is signed in as a person with one of `roles` (superusers always are).
    The one place apps check a role; what the role lets them see is `within_reach`."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return getattr(getattr(user, "person", None), "role", None) in roles


def manages_people(user) -> bool:
    """Whether `user` may add and change people (within what `visible_to` lets them see)."""
    return has_role(user, Person.Role.NETWORK_ADMIN, Person.Role.COORDINATOR)


class ReachQuerySet(models.QuerySet):
    """Rows that belong to an organisation (scoping rounds, programmes…): everyone in reach
    sees them, those who manage people there run them."""

    def visible_to(self, user) -> ReachQuerySet:
        return within_reach(self, user)

    def managed_by(self, user) -> ReachQuerySet:
        return self.visible_to(user) if manages_people(user) else self.none()


class Person(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        VOLUNTEER = "volunteer", _("Volunteer")

    class Role(models.TextChoices):
        NETWORK_ADMIN = "network_admin", _("Network admin")
        COORDINATOR = "coordinator", _("Coordinator")
        FACILITATOR = "facilitator", _("Facilitator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("work unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    kind = models.CharField(_("staff or volunteer"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    languages = models.JSONField(
        _("languages"),
        default=list,
        validators=[validate_languages],
        error_messages={"blank": _("Give at least one language.")},
        help_text=_("Language codes, preferred first."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    external_key = models.CharField(
        _("external key"),
        max_length=64,
        blank=True,
        help_text=_(
            "Identifier from an import or the demo generator; keeps re-imports idempotent."
        ),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_key"],
                condition=~models.Q(external_key=""),
                name="person_external_key_unique_in_org",
            )
        ]
        indexes = [models.Index(fields=["organisation", "family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def clean(self) -> None:
        if self.unit_id and self.unit.organisation_id != self.organisation_id:
            raise ValidationError({"unit": _("The unit must belong to the person's organisation.")})
