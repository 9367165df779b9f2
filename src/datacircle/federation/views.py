"""Pages of federation: the list of peers, one peer with its last report and the modules pulled
from it, pulling now (a background job) and removing a peer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datacircle.federation.forms import PeerForm
from datacircle.federation.models import Peer, manages_peers, sees_peers
from datacircle.jobs.models import Job
from datacircle.jobs.runner import enqueue


def _seen(request) -> None:
    if not sees_peers(request.user):
        raise PermissionDenied


def _managed(request) -> None:
    if not manages_peers(request.user):
        raise PermissionDenied


@login_required
def peers(request):
    _seen(request)
    manages = manages_peers(request.user)
    form = PeerForm(request.POST or None) if manages else None
    if request.method == "POST":
        _managed(request)
        if form.is_valid():
            peer = Peer.objects.create(
                url=form.index.base,
                name=form.index.name,
                added_by=getattr(request.user, "person", None),
            )
            messages.success(
                request,
                _("Added %(peer)s. Pull from it to bring its published modules here.")
                % {"peer": peer},
            )
            return redirect("federation-peer", pk=peer.pk)
    listing = Peer.objects.annotate(module_count=Count("modules"))
    return render(
        request, "federation/peers.html", {"peers": listing, "form": form, "manages": manages}
    )


@login_required
def peer_detail(request, pk: int):
    _seen(request)
    peer = get_object_or_404(Peer, pk=pk)
    pulled = peer.modules.select_related("module", "module__organisation").order_by("reference")
    return render(
        request,
        "federation/peer.html",
        {
            "peer": peer,
            "report": peer.last_report or {},
            "pulled": pulled,
            "organisations": peer.organisations.select_related("organisation").order_by(
                "organisation__name"
            ),
            "manages": manages_peers(request.user),
        },
    )


@login_required
@require_POST
def pull_now(request, pk: int):
    _managed(request)
    peer = get_object_or_404(Peer, pk=pk)
    dry_run = request.POST.get("dry_run") == "1"
    title = _("Checking what would change from %(peer)s") if dry_run else _("Pulling from %(peer)s")
    job = Job.objects.create(
        kind="federation.pull",
        title=title % {"peer": peer},
        payload={"peer": peer.pk, "dry_run": dry_run, "language": get_language()},
        created_by=request.user,
    )
    enqueue(job)
    return redirect("job", pk=job.pk)


@login_required
@require_POST
def remove(request, pk: int):
    _managed(request)
    peer = get_object_or_404(Peer, pk=pk)
    modules, organisations = peer.modules.count(), peer.organisations.count()
    if modules or organisations:
        messages.error(
            request,
            _(
                "%(peer)s cannot be removed: modules and organisations here were pulled from "
                "it and keep a link to where they came from (modules: %(modules)d, "
                "organisations: %(organisations)d). Delete them first (in the administration)."
            )
            % {"peer": peer, "modules": modules, "organisations": organisations},
        )
        return redirect("federation-peer", pk=peer.pk)
    peer.delete()
    messages.success(request, _("Removed %(peer)s.") % {"peer": peer})
    return redirect("federation-peers")
