"""API tokens: how another system writes to the catalogue on behalf of one organisation.

Only a hash of each token is stored; the token itself is shown once, when it is made.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from datacircle.accounts.models import Organisation, Person, manages_people


class ApiTokenQuerySet(models.QuerySet):
    def managed_by(self, user) -> ApiTokenQuerySet:
        """The tokens `user` may see, make and revoke: their own organisation's, for
        coordinators and network admins (a token writes as the organisation, so it is theirs
        to hand out)."""
        person = getattr(user, "person", None) if user.is_authenticated else None
        if person is None or not manages_people(user):
            return self.none()
        return self.filter(organisation_id=person.organisation_id)

    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “nightly sync”.")
    )
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The first characters of the token, enough to tell tokens apart in a list and to revoke
    # one from the command line; never enough to use it.
    key_prefix = models.CharField(_("starts with"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the whole token
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.key_prefix}… {self.name}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
