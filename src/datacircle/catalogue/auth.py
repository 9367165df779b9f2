"""Making, checking and revoking API tokens (`Authorization: Bearer dc_…`)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from datacircle.accounts.models import Organisation, Person
from datacircle.catalogue.models import ApiToken

PREFIX = "dc_"
PREFIX_LENGTH = 8  # "dc_" and five random characters


class TokenError(Exception):
    """A token that cannot be made or revoked; the message says why."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(organisation: Organisation, name: str, created_by: Person | None) -> tuple[ApiToken, str]:
    """A new token for `organisation`: the stored row and the token itself (shown once)."""
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name that says what it is for."))
    for _try in range(10):
        token = PREFIX + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                row = ApiToken.objects.create(
                    organisation=organisation,
                    name=name[:100],
                    created_by=created_by,
                    key_prefix=token[:PREFIX_LENGTH],
                    key_hash=digest(token),
                )
        except IntegrityError:  # the prefix is taken (one chance in a billion): draw again
            continue
        return row, token
    raise TokenError(_("Could not make a token with a free prefix; try again."))  # pragma: no cover


def revoke(token: ApiToken) -> ApiToken:
    """Revoke for good (revoking again keeps the first date)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def find(token: str) -> ApiToken | None:
    """The token row a presented token belongs to, revoked or not."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    return ApiToken.objects.select_related("organisation").filter(key_hash=digest(token)).first()


class TokenAuth(HttpBearer):
    """Bearer tokens of the catalogue; `request.auth` becomes the ApiToken."""

    def authenticate(self, request, token: str) -> ApiToken | None:
        if not token.strip():
            return None  # "Bearer" alone: no token given
        found = find(token.strip())
        if found is None:
            raise HttpError(401, _("Unknown API token."))
        if found.revoked:
            raise HttpError(401, _("This API token was revoked."))
        found.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=found.last_used_at)
        return found
