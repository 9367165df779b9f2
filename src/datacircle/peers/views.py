"""Pages of peer learning: my profile and matches, matching rounds, and one match."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from datacircle.accounts.models import Organisation, Person
from datacircle.jobs.models import Job
from datacircle.jobs.runner import enqueue
from datacircle.peers import services
from datacircle.peers.explain import csv_rows
from datacircle.peers.forms import FeedbackForm, ProfileForm, RoundForm
from datacircle.peers.models import Match, MatchingRound, Profile, manages_matching
from datacircle.scoping.services import taxonomy_for

NETWORK_SCOPE = "network"


def _person(request) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


@login_required
def mine(request):
    """A person's own peer learning: their profile at a glance and their matches."""
    person = _person(request)
    profile = Profile.objects.filter(person=person).first()
    matches = (
        Match.objects.of_person(person)
        .select_related("learner", "sharer", "round")
        .order_by("-updated_at")
    )
    return render(
        request,
        "peers/mine.html",
        {
            "person": person,
            "profile": profile,
            "matches": matches,
            "taxonomy": taxonomy_for(person.organisation),
            "manages": manages_matching(request.user),
        },
    )


@login_required
def profile(request):
    person = _person(request)
    instance = Profile.objects.filter(person=person).first() or Profile(
        person=person, source=Profile.Source.SELF
    )
    form = ProfileForm(
        request.POST or None, instance=instance, taxonomy=taxonomy_for(person.organisation)
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.source = Profile.Source.SELF
        saved.save()
        messages.success(request, _("Saved your learning profile."))
        return redirect("peers-mine")
    return render(request, "peers/profile.html", {"form": form})


def _scopes(request) -> list[tuple[str, str]]:
    """Network admins match anyone, one organisation or the whole network; coordinators their own
    organisation."""
    person = _person(request)
    if request.user.is_superuser or person.role == Person.Role.NETWORK_ADMIN:
        organisations = Organisation.objects.all()
        return [(NETWORK_SCOPE, _("The whole network")), *[(o.slug, o.name) for o in organisations]]
    return [(person.organisation.slug, person.organisation.name)]


@login_required
def rounds(request):
    if not manages_matching(request.user):
        raise PermissionDenied
    person = _person(request)
    scopes = _scopes(request)
    form = RoundForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        scope = form.cleaned_data["scope"]
        organisation = None if scope == NETWORK_SCOPE else Organisation.objects.get(slug=scope)
        round = MatchingRound.objects.create(
            organisation=organisation, title=form.cleaned_data["title"], created_by=person
        )
        job = Job.objects.create(
            kind="peers.match",
            title=_("Matching round “%(title)s”") % {"title": round.title},
            payload={"round": round.pk},
            created_by=request.user,
        )
        enqueue(job)
        return redirect("job", pk=job.pk)
    visible = (
        MatchingRound.objects.visible_to(request.user)
        .select_related("organisation")
        .annotate(
            matched=Count("matches", distinct=True),
            unmatched_count=Count("unmatched", distinct=True),
        )
    )
    return render(request, "peers/rounds.html", {"rounds": visible, "form": form})


def _round(request, pk: int) -> MatchingRound:
    if not manages_matching(request.user):
        raise PermissionDenied
    return get_object_or_404(
        MatchingRound.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )


@login_required
def round_detail(request, pk: int):
    round = _round(request, pk)
    taxonomy = taxonomy_for(round.organisation)
    matches = round.matches.select_related("learner", "sharer", "learner__unit", "sharer__unit")
    unmatched = round.unmatched.select_related("learner", "learner__unit")
    counts = dict(
        round.matches.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "peers/round.html",
        {
            "round": round,
            "matches": matches,
            "unmatched": unmatched,
            "taxonomy": taxonomy,
            "status_counts": [(Match.Status(s).label, n) for s, n in sorted(counts.items())],
            "is_draft": round.status == MatchingRound.Status.DRAFT,
        },
    )


@login_required
def round_action(request, pk: int):
    """POST: publish the round, recompute it, or remove one proposed match."""
    if request.method != "POST":
        return redirect("peers-round", pk=pk)
    round = _round(request, pk)
    actor = _person(request)
    action = request.POST.get("action")
    try:
        if action == "publish":
            count = services.publish(round, actor)
            messages.success(
                request,
                ngettext(
                    "Published: %(count)d match; everyone concerned has been told by email.",
                    "Published: %(count)d matches; everyone concerned has been told by email.",
                    count,
                )
                % {"count": count},
            )
        elif action == "remove":
            match = get_object_or_404(round.matches, pk=request.POST.get("match"))
            services.remove(match, actor)
            messages.success(request, _("Removed the match of %(name)s.") % {"name": match.learner})
        elif action == "recompute":
            if round.status != MatchingRound.Status.DRAFT:
                raise services.WorkflowError(_("Only a draft round can be changed."))
            round.status = MatchingRound.Status.RUNNING
            round.save(update_fields=["status"])
            job = Job.objects.create(
                kind="peers.match",
                title=_("Matching round “%(title)s”") % {"title": round.title},
                payload={"round": round.pk},
                created_by=request.user,
            )
            enqueue(job)
            return redirect("job", pk=job.pk)
        else:
            raise Http404
    except services.WorkflowError as error:
        messages.error(request, str(error))
    return redirect("peers-round", pk=round.pk)


@login_required
def assign(request, pk: int, learner: int):
    """Choose a sharer by hand for one learner of a draft round, among those the rules allow."""
    round = _round(request, pk)
    person = get_object_or_404(
        Person.objects.filter(pk=learner).filter(
            Q(pk__in=round.matches.values("learner")) | Q(pk__in=round.unmatched.values("learner"))
        )
    )
    if request.method == "POST":
        sharer = get_object_or_404(Person, pk=request.POST.get("sharer"))
        try:
            services.assign(round, person, sharer, _person(request))
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(learner)s now learns from %(sharer)s.")
                % {"learner": person, "sharer": sharer},
            )
            return redirect("peers-round", pk=round.pk)
    current = round.matches.filter(learner=person).select_related("sharer").first()
    reason = round.unmatched.filter(learner=person).first()
    return render(
        request,
        "peers/assign.html",
        {
            "round": round,
            "learner": person,
            "current": current,
            "reason": reason,
            "candidates": services.candidates(round, person)
            if round.status == MatchingRound.Status.DRAFT
            else [],
            "taxonomy": taxonomy_for(round.organisation),
        },
    )


@login_required
def round_csv(request, pk: int):
    """The round's matches and unmatched learners as CSV, safe to open in a spreadsheet."""
    round = _round(request, pk)
    taxonomy = taxonomy_for(round.organisation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="matching-round-{round.pk}.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(
        csv_rows(
            round.matches.select_related("learner", "sharer"),
            round.unmatched.select_related("learner"),
            taxonomy,
        )
    )
    return response


def _match_page(request, match: Match, side: str | None, token: str | None):
    actor = getattr(request.user, "person", None) if request.user.is_authenticated else None
    feedback = FeedbackForm(request.POST or None) if side else None
    if request.method == "POST" and side:
        try:
            action = request.POST.get("action")
            if action in ("accept", "decline"):
                services.answer(match, side, action == "accept", actor)
                messages.success(request, _("Thank you, your answer is saved."))
            elif action == "complete" and feedback.is_valid():
                services.complete(
                    match,
                    side,
                    feedback.cleaned_data["rating"],
                    feedback.cleaned_data["feedback"],
                    actor,
                )
                messages.success(request, _("Thank you for your feedback."))
            else:
                raise Http404
        except services.WorkflowError as error:
            messages.error(request, str(error))
        if token:
            return redirect("peers-match-link", token=token)
        return redirect("peers-match", pk=match.pk)
    match.refresh_from_db()
    return render(
        request,
        "peers/match.html",
        {
            "match": match,
            "side": side,
            "my_answer": getattr(match, f"{side}_answer", None) if side else None,
            "feedback": feedback,
            "events": match.events.select_related("actor"),
            "taxonomy": taxonomy_for(match.learner.organisation),
            "can_see_round": manages_matching(request.user)
            and MatchingRound.objects.visible_to(request.user).filter(pk=match.round_id).exists(),
        },
    )


@login_required
def match_detail(request, pk: int):
    match = get_object_or_404(
        Match.objects.select_related("learner", "sharer", "round").exclude(
            status=Match.Status.PROPOSED
        ),
        pk=pk,
    )
    person = getattr(request.user, "person", None)
    side = match.side_of(person)
    if side is None:
        visible = MatchingRound.objects.visible_to(request.user).filter(pk=match.round_id)
        if not visible.exists():
            raise Http404
    return _match_page(request, match, side, None)


@never_cache
def match_link(request, token: str):
    """The page an email links to: lets one side answer without signing in."""
    try:
        match, side = services.from_token(token)
    except (signing.BadSignature, Match.DoesNotExist) as error:
        raise Http404 from error
    if match.status == Match.Status.PROPOSED:
        raise Http404
    return _match_page(request, match, side, token)
