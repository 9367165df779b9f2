"""Pages of the shared catalogue: an organisation's API tokens (list, make, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datacircle.accounts.models import manages_people
from datacircle.catalogue import auth
from datacircle.catalogue.forms import TokenForm
from datacircle.catalogue.models import ApiToken


def _person_managing_tokens(request):
    """Coordinators and network admins with an organisation; anyone else is refused."""
    person = getattr(request.user, "person", None)
    if person is None or not manages_people(request.user):
        raise PermissionDenied
    return person


@login_required
def tokens(request):
    """The organisation's tokens; a new one is shown once, on the page that made it."""
    person = _person_managing_tokens(request)
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        _row, made = auth.issue(person.organisation, form.cleaned_data["name"], person)
        form = TokenForm()
    context = {
        "organisation": person.organisation,
        "tokens": ApiToken.objects.managed_by(request.user).select_related("created_by"),
        "form": form,
        "made": made,
        "api_root": request.build_absolute_uri(reverse("catalogue-api:root")),
    }
    response = render(request, "catalogue/tokens.html", context)
    if made:
        # The token is in this page only: keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request, pk: int):
    _person_managing_tokens(request)
    token = get_object_or_404(ApiToken.objects.managed_by(request.user), pk=pk)
    auth.revoke(token)
    messages.success(
        request, _("Token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("catalogue-tokens")
