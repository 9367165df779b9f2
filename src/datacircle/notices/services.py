"""Telling people what happened: `notify()` for one event, `send_digests()` once a day.

A person who chose the daily digest (their learning profile's `digest`) gets nothing at once;
their notices wait for `datacircle digest`, which sends one email per person. Everyone else gets
an email as soon as the change that caused it is committed, so a rolled-back change never
emails anyone. People without an email address keep their notices unsent.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from datacircle.accounts.models import Person
from datacircle.notices.models import Notice


def absolute(url: str) -> str:
    """`url` (a path from `reverse`) as a link that works from an email."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.DATACIRCLE_BASE_URL + url


def language_of(person: Person) -> str:
    return (person.languages or [settings.LANGUAGE_CODE])[0]


def wants_digest(person: Person) -> bool:
    profile = getattr(person, "profile", None)
    return bool(profile and profile.digest)


def notify(person: Person, subject: str, body: str, url: str = "") -> Notice:
    """Record a notice for `person` and email it once the current transaction commits, unless
    they prefer the daily digest. Subject and body are already in the person's language (see
    `language_of`); `url` may be a site path."""
    notice = Notice.objects.create(person=person, subject=subject, body=body, url=absolute(url))
    if person.email and not wants_digest(person):
        transaction.on_commit(lambda: _send_one(notice.pk))
    return notice


def _send_one(pk: int) -> None:
    notice = Notice.objects.select_related("person").get(pk=pk)
    text = notice.body + (f"\n\n{notice.url}\n" if notice.url else "\n")
    send_mail(notice.subject, text, None, [notice.person.email])
    Notice.objects.filter(pk=pk).update(sent_at=timezone.now())


def send_digests() -> int:
    """Email every person who has unsent notices and an address one digest; returns how many
    emails left. Notices of people who prefer immediate emails but whose email failed are
    included too, so nothing is silently lost."""
    pending = Notice.objects.filter(sent_at__isnull=True).exclude(person__email="")
    by_person: dict[int, list[Notice]] = defaultdict(list)
    for notice in pending.select_related("person").order_by("person_id", "created_at", "pk"):
        by_person[notice.person_id].append(notice)
    sent = 0
    for notices in by_person.values():
        person = notices[0].person
        with translation.override(language_of(person)):
            subject = ngettext(
                "Data Circle: %(count)d new item", "Data Circle: %(count)d new items", len(notices)
            ) % {"count": len(notices)}
            text = render_to_string("notices/digest.txt", {"person": person, "notices": notices})
        send_mail(subject, text, None, [person.email])
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=timezone.now())
        sent += 1
    return sent
