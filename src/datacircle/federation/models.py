"""Peers (other Data Circle instances) and the provenance of what was pulled from them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from datacircle.accounts.models import Organisation, Person, has_role
from datacircle.library.models import Module


class Peer(models.Model):
    """Another Data Circle whose catalogue API this one pulls published modules from."""

    class Status(models.TextChoices):
        NEVER = "", _("Never pulled")
        OK = "ok", pgettext_lazy("result of the last pull from a peer", "Pulled")
        FAILED = "failed", pgettext_lazy("result of the last pull from a peer", "Failed")

    url = models.URLField(
        _("catalogue address"),
        max_length=500,
        unique=True,
        help_text=_("The address of the peer's catalogue API, ending in /api/v1/."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_pulled_at = models.DateTimeField(_("last pulled"), null=True, blank=True)
    last_status = models.CharField(
        _("last result"), max_length=10, choices=Status.choices, blank=True, default=""
    )
    # What the last pull did: {"created": [...], "updated": [...], "unchanged": n,
    # "skipped": [[reference, reason], ...], "error": "..."}
    last_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name", "url"]
        verbose_name = _("peer")
        verbose_name_plural = _("peers")

    def __str__(self) -> str:
        return self.name or self.url


class PulledOrganisation(models.Model):
    """An organisation that exists here only because its modules were pulled from a peer."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="pulled"
    )
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="organisations")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.peer})"


class PulledModule(models.Model):
    """Where a module came from: the peer, its address there, and the version last pulled."""

    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="pulled")
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="modules")
    reference = models.CharField(_("reference on the peer"), max_length=200)  # org/slug
    remote_url = models.URLField(_("address on the peer"), max_length=500)  # API detail
    html_url = models.URLField(_("page on the peer"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version pulled"))
    sha256 = models.CharField(max_length=64)
    pulled_at = models.DateTimeField(_("pulled"))

    class Meta:
        verbose_name = _("pulled module")
        verbose_name_plural = _("pulled modules")

    def __str__(self) -> str:
        return f"{self.reference}@{self.version} from {self.peer}"


def manages_peers(user) -> bool:
    """Network admins add, pull from and remove peers: what is pulled is for the whole network."""
    return has_role(user, Person.Role.NETWORK_ADMIN)


def sees_peers(user) -> bool:
    """Coordinators see which peers the library pulls from, and what the last pull did."""
    return has_role(user, Person.Role.NETWORK_ADMIN, Person.Role.COORDINATOR)
