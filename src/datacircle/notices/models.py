"""A notice is one message for one person; kept so a daily digest can gather the unsent ones."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from datacircle.accounts.models import Person


class Notice(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notices"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the notice left in an email of its own or in a digest.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["sent_at", "person"])]

    def __str__(self) -> str:
        return self.subject
