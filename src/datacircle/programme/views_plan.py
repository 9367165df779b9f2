"""Pages of the working group: the programme area, who leads what, milestones, and planning
and publishing programmes."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datacircle.accounts.models import Person, manages_people
from datacircle.core import milestones as core_milestones
from datacircle.jobs.models import Job
from datacircle.jobs.runner import enqueue
from datacircle.notices.services import language_of, notify
from datacircle.programme import plans
from datacircle.programme.forms import (
    InviteForm,
    MemberForm,
    MilestoneForm,
    ProgrammeForm,
    SessionForm,
)
from datacircle.programme.models import Member, Milestone, Programme, Session
from datacircle.scoping.models import Round
from datacircle.scoping.services import taxonomy_for

MILESTONE_HORIZON_DAYS = 370


def _person(request) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


def upcoming_milestones(organisation, days: int = MILESTONE_HORIZON_DAYS):
    today = timezone.localdate()
    every = [*core_milestones.builtin_milestones(), *plans.organisation_milestones(organisation)]
    return core_milestones.occurrences(every, today, today + timedelta(days=days))


def milestone_rows(organisation, taxonomy, language: str) -> list[dict]:
    """The coming milestones as the pages show them, in the reader's language."""
    return [
        {
            "name": o.milestone.name(language),
            "description": o.milestone.description(language),
            "start": o.start,
            "end": o.end,
            "themes": [taxonomy.label(t, language) for t in o.milestone.themes if t in taxonomy],
            "own": o.milestone.key.startswith("org-"),
        }
        for o in upcoming_milestones(organisation)
    ]


@login_required
def area(request):
    person = _person(request)
    organisation = person.organisation
    language = get_language() or "en"
    taxonomy = taxonomy_for(organisation)
    members = (
        Member.objects.filter(person__organisation=organisation, active=True)
        .select_related("person", "person__unit")
        .order_by("person__family_name", "person__given_name")
    )
    return render(
        request,
        "programme/area.html",
        {
            "milestones": milestone_rows(organisation, taxonomy, language)[:8],
            "members": [
                (m, [taxonomy.label(code, language) for code in m.leads if code in taxonomy])
                for m in members
            ],
            "membership": Member.objects.filter(person=person).first(),
            "programmes": Programme.objects.managed_by(request.user).annotate(
                session_count=Count("sessions", filter=~Q(sessions__status=Session.Status.DRAFT))
            )[:10],
            "manages": manages_people(request.user),
        },
    )


@login_required
def group(request):
    """Join the working group or change what you lead; coordinators invite people."""
    person = _person(request)
    taxonomy = taxonomy_for(person.organisation)
    instance = Member.objects.filter(person=person).first() or Member(person=person)
    form = MemberForm(request.POST or None, instance=instance, taxonomy=taxonomy, prefix="me")
    invite = None
    if manages_people(request.user):
        candidates = (
            Person.objects.filter(organisation=person.organisation)
            .exclude(email="")
            .exclude(membership__active=True)
            .order_by("family_name", "given_name")
        )
        invite = InviteForm(
            request.POST if "invite" in request.POST else None, people=candidates, prefix="invite"
        )
    if request.method == "POST" and "invite" in request.POST and invite is not None:
        if invite.is_valid():
            invited = get_object_or_404(Person, pk=invite.cleaned_data["person"])
            with translation.override(language_of(invited)):
                notify(
                    invited,
                    _("Join the data working group"),
                    _(
                        "%(name)s invites you to the data working group of %(organisation)s: "
                        "lead a topic you know, or a session now and then. Say which topics and "
                        "days suit you on the page below."
                    )
                    % {"name": person.full_name, "organisation": person.organisation.name},
                    reverse("programme-group"),
                )
            messages.success(request, _("Invitation sent to %(name)s.") % {"name": invited})
            return redirect("programme-group")
    elif request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved: thank you for leading with us."))
        return redirect("area-programme")
    return render(request, "programme/group.html", {"form": form, "invite": invite})


@login_required
def milestones(request):
    person = _person(request)
    organisation = person.organisation
    taxonomy = taxonomy_for(organisation)
    language = get_language() or "en"
    form = None
    if manages_people(request.user):
        form = MilestoneForm(request.POST or None, taxonomy=taxonomy)
        if request.method == "POST" and form.is_valid():
            milestone = form.save(commit=False)
            milestone.organisation = organisation
            milestone.save()
            messages.success(request, _("Added the milestone “%(name)s”.") % {"name": milestone})
            return redirect("programme-milestones")
    return render(
        request,
        "programme/milestones.html",
        {
            "occurrences": milestone_rows(organisation, taxonomy, language),
            "own": Milestone.objects.filter(organisation=organisation),
            "form": form,
        },
    )


def _managed(request, pk: int) -> Programme:
    if not manages_people(request.user):
        raise PermissionDenied
    return get_object_or_404(
        Programme.objects.managed_by(request.user).select_related("organisation", "demand_round"),
        pk=pk,
    )


def _start_planning(request, programme: Programme):
    job = Job.objects.create(
        kind="programme.plan",
        title=_("Planning “%(title)s”") % {"title": programme.title},
        payload={"programme": programme.pk},
        created_by=request.user,
    )
    enqueue(job)
    return redirect("job", pk=job.pk)


@login_required
def programmes(request):
    if not manages_people(request.user):
        raise PermissionDenied
    person = _person(request)
    rounds = Round.objects.filter(organisation=person.organisation).order_by("-created_at")
    form = ProgrammeForm(
        request.POST or None,
        rounds=rounds,
        initial={"starts_on": timezone.localdate() + timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = Programme.objects.create(
            organisation=person.organisation,
            title=data["title"],
            demand_round=rounds.filter(pk=data["demand_round"]).first()
            if data["demand_round"]
            else None,
            starts_on=data["starts_on"],
            weeks=data["weeks"],
            slot_times=data["slot_times"],
            timezone=person.timezone,
            city=data["city"].strip(),
            online=data["online"],
            created_by=person,
        )
        return _start_planning(request, programme)
    return render(
        request,
        "programme/plans.html",
        {"form": form, "programmes": Programme.objects.managed_by(request.user)},
    )


@login_required
def programme_detail(request, pk: int):
    programme = _managed(request, pk)
    taxonomy = taxonomy_for(programme.organisation)
    language = get_language() or "en"
    sessions = programme.sessions.select_related("module_version__module").prefetch_related(
        "facilitators"
    )
    k = programme.demand_round.min_cell if programme.demand_round else 5
    return render(
        request,
        "programme/plan.html",
        {
            "programme": programme,
            "sessions": [
                {"session": s, "reasons": [_reason(r, taxonomy, language, k) for r in s.reasons]}
                for s in sessions
            ],
            "drafts": programme.sessions.filter(status=Session.Status.DRAFT).count(),
            "versions": programme.versions.order_by("-number"),
            "gap": _gap(programme),
            "gap_percent": 100 * (_gap(programme) or 0.0),
        },
    )


def _gap(programme: Programme) -> float | None:
    if programme.objective is None or not programme.bound:
        return None
    return max(0.0, (programme.bound - programme.objective) / abs(programme.bound))


def _reason(reason: list, taxonomy, language: str, k: int) -> str:
    """A planner reason as a sentence; demand counts obey the round's small-cell rule."""
    kind, *args = reason
    if kind == "skill":
        code, demand = args[0], int(args[1]) if len(args) > 1 else 0
        name = taxonomy.label_or_code(code, language)
        people = str(demand) if demand >= k else f"<{k}"
        return _("Teaches %(skill)s, wanted by %(people)s people in the scoping round.") % {
            "skill": name,
            "people": people,
        }
    if kind == "milestone":
        key, days = args[0], int(args[1]) if len(args) > 1 else 0
        found = next((m for m in core_milestones.builtin_milestones() if m.key == key), None)
        name = found.name(language) if found else key
        return ngettext(
            "%(days)d day from %(milestone)s.", "%(days)d days from %(milestone)s.", days
        ) % {"days": days, "milestone": name}
    if kind == "language":
        from datacircle.accounts.models import LANGUAGE_CHOICES

        name = dict(LANGUAGE_CHOICES).get(args[0], args[0])
        return _("In %(language)s.") % {"language": name}
    return " ".join(str(x) for x in reason)


@login_required
@require_POST
def programme_action(request, pk: int):
    programme = _managed(request, pk)
    action = request.POST.get("action")
    try:
        if action == "plan":
            if programme.status == Programme.Status.PUBLISHED:
                raise plans.PlanError(_("A published programme is changed session by session."))
            programme.status = Programme.Status.PLANNING
            programme.save(update_fields=["status"])
            return _start_planning(request, programme)
        if action == "publish":
            version = plans.publish(programme, _person(request))
            messages.success(
                request,
                ngettext(
                    "Published version %(n)d: %(count)d change.",
                    "Published version %(n)d: %(count)d changes.",
                    len(version.changes),
                )
                % {"n": version.number, "count": len(version.changes)},
            )
        elif action == "remove":
            session = get_object_or_404(
                programme.sessions, pk=request.POST.get("session"), status=Session.Status.DRAFT
            )
            session.delete()
            messages.success(request, _("Removed the session."))
        elif action == "cancel":
            session = get_object_or_404(programme.sessions, pk=request.POST.get("session"))
            told = plans.cancel_session(session)
            messages.success(
                request,
                ngettext(
                    "Cancelled the session; %(count)d registered person was told. Publish the "
                    "changes to update the programme.",
                    "Cancelled the session; %(count)d registered people were told. Publish the "
                    "changes to update the programme.",
                    told,
                )
                % {"count": told},
            )
        else:
            raise Http404
    except plans.PlanError as error:
        messages.error(request, str(error))
    return redirect("programme-plan", pk=programme.pk)


# What a published version's change list names, by the key its snapshot keeps (plans.changes).
CHANGED_FIELDS = {
    "starts_at": pgettext_lazy("changed in a session", "time"),
    "module": pgettext_lazy("changed in a session", "module"),
    "facilitators": pgettext_lazy("changed in a session", "facilitators"),
    "place": pgettext_lazy("changed in a session", "place"),
    "status": pgettext_lazy("changed in a session", "status"),
}


@login_required
def programme_version(request, pk: int, number: int):
    programme = _managed(request, pk)
    version = get_object_or_404(programme.versions, number=number)
    changes = [
        {**c, "fields": [CHANGED_FIELDS.get(f, f) for f in c.get("fields", ())]}
        for c in version.changes
    ]
    return render(
        request,
        "programme/version.html",
        {"programme": programme, "version": version, "changes": changes},
    )


@login_required
def session_edit(request, pk: int, session: int):
    """Move a session, give it to another member, change its place or its number of places."""
    programme = _managed(request, pk)
    target = get_object_or_404(programme.sessions, pk=session)
    zone = plans.zone_of(programme)
    members = Member.objects.filter(
        person__organisation=programme.organisation, active=True
    ).select_related("person")
    current = target.facilitators.first()
    form = SessionForm(
        request.POST or None,
        members=[m.person for m in members],
        initial={
            "starts_at": timezone.localtime(target.starts_at, zone).replace(tzinfo=None),
            "facilitator": current.pk if current else None,
            "city": target.city,
            "online": target.online,
            "capacity": target.capacity,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plans.change_session(
                target,
                starts_at=data["starts_at"].replace(tzinfo=zone),
                facilitator=get_object_or_404(Person, pk=data["facilitator"]),
                city=data["city"].strip(),
                online=data["online"],
                capacity=data["capacity"],
            )
        except plans.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Changed the session; publish to tell everyone."))
            return redirect("programme-plan", pk=programme.pk)
    return render(
        request,
        "programme/session_edit.html",
        {"programme": programme, "target": target, "form": form},
    )
