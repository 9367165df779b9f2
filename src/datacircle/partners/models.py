"""Partners and allies: universities, businesses, humanitarian organisations and public bodies
an organisation works with, their contacts (personal data, kept only with consent recorded) and
what was done together (engagements, linked to sessions and library modules).

Who may see and change what is decided here and nowhere else: `Partner.objects.visible_to`
(everyone in reach of the owning organisation, contacts left out), `Partner.objects.managed_by`
(coordinators and network admins *of the owning organisation*: they edit, and they alone see
contacts), `Contact.objects.visible_to` and `Engagement.objects.visible_to`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from datacircle.accounts.models import Organisation, Person, manages_people, within_reach

PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,38}$")


def manages_partners(user) -> bool:
    """Whether `user` keeps partners for an organisation: a coordinator or network admin with a
    person (and so an organisation) behind the login."""
    return manages_people(user) and getattr(user, "person", None) is not None


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user) -> PartnerQuerySet:
        """Partners of the organisations within the user's reach (network admins: all)."""
        return within_reach(self, user)

    def managed_by(self, user) -> PartnerQuerySet:
        """Partners `user` may change and whose contacts they may see: their own organisation's,
        for its coordinators and network admins. Seeing the whole network is not a reason to
        see another organisation's contacts."""
        if not user.is_authenticated or not manages_people(user):
            return self.none()
        person = getattr(user, "person", None)
        if person is None:
            return self.all() if user.is_superuser else self.none()
        return self.filter(organisation_id=person.organisation_id)


class Partner(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        BUSINESS = "business", _("Business")
        HUMANITARIAN = "humanitarian", _("Humanitarian organisation")
        GOVERNMENT = "government", _("Government")
        OTHER = "other", _("Other")

    class Relationship(models.TextChoices):
        FORMAL = "formal", _("Formal agreement")
        INFORMAL = "informal", _("Informal")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="partners",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    relationship = models.CharField(
        _("relationship"),
        max_length=10,
        choices=Relationship.choices,
        default=Relationship.INFORMAL,
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_ends_on = models.DateField(_("agreement ends on"), null=True, blank=True)
    expertise = models.JSONField(
        _("areas of expertise"), default=list, blank=True, help_text=_("Skill codes.")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="partner_name_unique_in_org"
            ),
            models.CheckConstraint(
                condition=Q(agreement_signed_on__isnull=True)
                | Q(agreement_ends_on__isnull=True)
                | Q(agreement_ends_on__gte=F("agreement_signed_on")),
                name="partner_agreement_ends_after_signing",
                violation_error_message=_("The agreement cannot end before it was signed."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_formal(self) -> bool:
        return self.relationship == self.Relationship.FORMAL

    @property
    def agreement_ended(self) -> bool:
        return bool(self.agreement_ends_on and self.agreement_ends_on < timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, list] = {}
        signed, ends = self.agreement_signed_on, self.agreement_ends_on
        if not self.is_formal and (signed or ends):
            message = _("Only a formal agreement has dates: clear them or choose “formal”.")
            for field, value in (("agreement_signed_on", signed), ("agreement_ends_on", ends)):
                if value:
                    errors.setdefault(field, []).append(message)
        if signed and ends and ends < signed:
            errors.setdefault("agreement_ends_on", []).append(
                _("The agreement cannot end before it was signed.")
            )
        unknown = self.unknown_skills()
        if unknown:
            errors.setdefault("expertise", []).append(
                ValidationError(
                    _("Not skills of the taxonomy: %(codes)s."),
                    params={"codes": ", ".join(map(str, unknown))},
                )
            )
        if errors:
            raise ValidationError(errors)

    def unknown_skills(self) -> list:
        """Codes in `expertise` that the owning organisation's taxonomy does not know."""
        if not isinstance(self.expertise, list):
            return [self.expertise]
        from datacircle.scoping.services import taxonomy_for

        if self.organisation_id is None:
            return []
        taxonomy = taxonomy_for(self.organisation)
        return [code for code in self.expertise if code not in taxonomy]


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactQuerySet:
        """Contacts are personal data: only those who manage the partner see them."""
        return self.filter(partner__in=Partner.objects.managed_by(user))


def validate_phone(value: str) -> None:
    if value and not PHONE.match(value):
        raise ValidationError(
            _("“%(phone)s” is not a phone number: digits, spaces and + ( ) - . / only."),
            params={"phone": value},
        )


def validate_not_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("Consent cannot be recorded for a day that has not come yet."))


class Contact(models.Model):
    """A person at a partner. Stored only with their consent to be contacted recorded: when
    they gave it and how."""

    class Consent(models.TextChoices):
        EMAIL = "email", _("In writing (email or letter)")
        FORM = "form", _("Signed a consent form")
        VERBAL = "verbal", _("Said so in person or on a call")
        OTHER = "other", _("Another way")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    consent_on = models.DateField(_("agreed to be contacted on"), validators=[validate_not_future])
    consent_how = models.CharField(_("how they agreed"), max_length=10, choices=Consent.choices)
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.email and not self.phone:
            raise ValidationError(
                {"email": _("Give an email address or a phone number to reach them.")}
            )


class EngagementQuerySet(models.QuerySet):
    def visible_to(self, user) -> EngagementQuerySet:
        return self.filter(partner__in=Partner.objects.visible_to(user))


class Engagement(models.Model):
    """Something done with a partner: a guest talk at a session, a joint event, content they
    contributed to a module, mentoring."""

    class Kind(models.TextChoices):
        GUEST_TALK = "guest_talk", _("Guest talk")
        JOINT_EVENT = "joint_event", _("Joint event")
        CONTENT = "content", _("Content contribution")
        MENTORING = "mentoring", _("Mentoring")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="engagements")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    happened_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    session = models.ForeignKey(
        "programme.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_engagements",
    )
    module = models.ForeignKey(
        "library.Module",
        verbose_name=_("library module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_engagements",
    )
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["happened_on", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return f"{self.partner}: {self.title} ({self.happened_on})"

    def clean(self) -> None:
        if (
            self.session_id
            and self.partner_id
            and self.session.organisation_id != self.partner.organisation_id
        ):
            raise ValidationError(
                {"session": _("Choose a session of the organisation that keeps the partner.")}
            )
