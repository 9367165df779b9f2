"""Pages of sessions: the list, one session (register, attendance, held, feedback), the
calendar feeds and deliveries. Who may do what is decided in `programme.sessions`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from datacircle.accounts.models import Person
from datacircle.library.models import Module, ModuleVersion
from datacircle.programme import ics
from datacircle.programme import sessions as services
from datacircle.programme.models import Delivery, Feedback, Programme, Registration, Session

SCALE_CHOICES = [(n, str(n)) for n in services.SCALE]


def _person(request) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


def _zone(request) -> str:
    person = getattr(request.user, "person", None)
    return person.timezone if person is not None else "UTC"


# ---------------------------------------------------------------- forms


class FeedbackForm(forms.Form):
    """Confidence before and after for each outcome of the module, a rating and a comment."""

    rating = forms.TypedChoiceField(
        label=gettext_lazy("How useful was the session for you?"),
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything you want to tell the facilitators?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, outcomes: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome_rows = []
        for index, outcome in enumerate(outcomes):
            for when, label in (
                ("before", gettext_lazy("Before the session")),
                ("after", gettext_lazy("After the session")),
            ):
                self.fields[f"{when}_{index}"] = forms.TypedChoiceField(
                    label=label, choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect
                )
            self.outcome_rows.append((outcome, self[f"before_{index}"], self[f"after_{index}"]))
        self.outcome_count = len(outcomes)

    def confidence(self) -> list[tuple[int, int]]:
        data = self.cleaned_data
        return [(data[f"before_{i}"], data[f"after_{i}"]) for i in range(self.outcome_count)]

    @classmethod
    def initial_from(cls, feedback: Feedback | None) -> dict:
        if feedback is None:
            return {}
        initial = {"rating": feedback.rating, "comment": feedback.comment}
        for index, (before, after) in enumerate(feedback.confidence):
            initial[f"before_{index}"] = before
            initial[f"after_{index}"] = after
        return initial


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ModuleVersion) -> str:
        return _("%(title)s (version %(number)d)") % {
            "title": obj.module.title,
            "number": obj.number,
        }


class DeliveryForm(forms.ModelForm):
    module_version = VersionChoiceField(
        label=gettext_lazy("Module"), queryset=ModuleVersion.objects.none()
    )

    class Meta:
        model = Delivery
        fields = [
            "module_version",
            "organisation",
            "held_on",
            "online",
            "city",
            "country",
            "language",
            "participants",
        ]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module_version"].queryset = (
            ModuleVersion.objects.filter(module__in=Module.objects.visible_to(user))
            .select_related("module")
            .order_by("module__title", "-number")
        )
        organisations = services.organisations_for_deliveries(user)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label = _("Organisation")
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["participants"].widget.attrs["min"] = 1


# ---------------------------------------------------------------- sessions


def _title(session: Session) -> str:
    return services.module_of(session.module_version).title


def _rows(sessions, registrations: dict[int, Registration], person: Person) -> list[dict]:
    rows = []
    for session in sessions:
        registration = registrations.get(session.pk)
        rows.append(
            {
                "session": session,
                "title": _title(session),
                "places_left": services.places_left(session),
                "registration": registration,
                "position": services.waiting_position(registration) if registration else None,
                "facilitates": person in session.facilitators.all(),
            }
        )
    return rows


def _listed(queryset):
    return services.with_places(
        queryset.select_related("module_version", "module_version__module").prefetch_related(
            "facilitators"
        )
    ).order_by("starts_at", "pk")


@login_required
def session_list(request):
    """Upcoming sessions the person may see, with places left; their own sessions."""
    person = _person(request)
    visible = services.sessions_visible_to(request.user)
    registrations = {
        r.session_id: r
        for r in Registration.objects.filter(person=person).exclude(
            status=Registration.Status.CANCELLED
        )
    }
    upcoming = _listed(
        visible.filter(
            starts_at__gte=timezone.now(),
            status__in=(Session.Status.SCHEDULED, Session.Status.CANCELLED),
        )
    )
    mine = _listed(
        visible.filter(Q(pk__in=list(registrations)) | Q(facilitators=person))
        .exclude(status=Session.Status.DRAFT)
        .distinct()
    )
    return render(
        request,
        "programme/sessions.html",
        {
            "upcoming": _rows(upcoming, registrations, person),
            "mine": _rows(mine, registrations, person),
            "zone": person.timezone,
            "calendar_url": ics.person_calendar_url(person),
        },
    )


def _act(request, session: Session, person: Person, form: FeedbackForm | None):
    """Carry out one POSTed action; returns a response to send instead of the page (a
    redirect), or None to show the page with the form's errors."""
    action = request.POST.get("action")
    if action == "register":
        registration = services.register(session, person)
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.success(
                request,
                _("The session is full: you are number %(position)d on the waiting list.")
                % {"position": services.waiting_position(registration)},
            )
    elif action == "cancel":
        registration = get_object_or_404(Registration, session=session, person=person)
        services.cancel(registration)
        messages.success(request, _("Your registration is cancelled."))
    elif action == "attendance":
        if not services.manages_session(request.user, session):
            raise PermissionDenied
        ticked = set(request.POST.getlist("present"))
        registered = session.registrations.filter(status=Registration.Status.REGISTERED)
        present = {
            pid: str(pid) in ticked for pid in registered.values_list("person_id", flat=True)
        }
        count = services.mark_attendance(session, present, person)
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(count)d person came.",
                "Attendance saved: %(count)d people came.",
                count,
            )
            % {"count": count},
        )
    elif action == "held":
        if not services.manages_session(request.user, session):
            raise PermissionDenied
        delivery = services.mark_held(session, person)
        messages.success(
            request,
            ngettext(
                "Marked as held, with %(count)d participant.",
                "Marked as held, with %(count)d participants.",
                delivery.participants,
            )
            % {"count": delivery.participants},
        )
    elif action == "feedback":
        if form is None:
            raise services.SessionError(
                _("Only people who took part in the session may give feedback.")
            )
        if not form.is_valid():
            return None
        services.give_feedback(
            session,
            person,
            form.confidence(),
            form.cleaned_data["rating"],
            form.cleaned_data["comment"],
        )
        messages.success(request, _("Thank you for your feedback."))
    else:
        raise Http404
    return redirect("programme-session", pk=session.pk)


@login_required
def session_detail(request, pk: int):
    session = get_object_or_404(
        services.sessions_visible_to(request.user).select_related(
            "module_version", "module_version__module", "organisation", "programme"
        ),
        pk=pk,
    )
    person = getattr(request.user, "person", None)
    outcomes = services.outcomes_of(session)
    mine = Registration.objects.filter(session=session, person=person).first() if person else None
    can_feedback = person is not None and services.may_give_feedback(session, person)
    existing = Feedback.objects.filter(session=session, person=person).first() if person else None
    form = (
        FeedbackForm(
            request.POST if request.POST.get("action") == "feedback" else None,
            outcomes=outcomes,
            initial=FeedbackForm.initial_from(existing),
        )
        if can_feedback
        else None
    )
    if request.method == "POST":
        person = _person(request)
        try:
            response = _act(request, session, person, form)
        except services.SessionError as error:
            messages.error(request, str(error))
            return redirect("programme-session", pk=session.pk)
        if response is not None:
            return response
    manages = services.manages_session(request.user, session)
    registered = (
        session.registrations.filter(status=Registration.Status.REGISTERED).select_related("person")
        if manages
        else Registration.objects.none()
    )
    module = services.module_of(session.module_version)
    context = {
        "session": session,
        "module": module,
        "facilitators": session.facilitators.all(),
        "places_left": services.places_left(session),
        "waiting": session.registrations.filter(status=Registration.Status.WAITING).count(),
        "registration": mine,
        "position": services.waiting_position(mine) if mine else None,
        "open": session.status == Session.Status.SCHEDULED and not services.has_started(session),
        "started": services.has_started(session),
        "manages": manages,
        "registered": registered,
        "delivery": Delivery.objects.filter(session=session).first(),
        "form": form,
        "has_feedback": existing is not None,
        "summary": services.feedback_summary(session)
        if services.coordinates_session(request.user, session)
        else None,
        "small_cell": services.SMALL_CELL,
        "zone": _zone(request),
        "ends_at": services.ends_at(session),
    }
    return render(request, "programme/session.html", context)


# ---------------------------------------------------------------- calendar feeds


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The address is the key to the feed: keep it out of search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


def programme_calendar(request, token: str):
    programme = get_object_or_404(Programme, token=token)
    return _calendar_response(ics.programme_calendar(programme), f"programme-{programme.pk}.ics")


def my_calendar(request, token: str):
    try:
        person = ics.person_from_token(token)
    except (signing.BadSignature, Person.DoesNotExist) as error:
        raise Http404 from error
    return _calendar_response(ics.person_calendar(person), "my-sessions.ics")


# ---------------------------------------------------------------- deliveries


@login_required
def delivery_list(request):
    _person(request)
    deliveries = services.deliveries_visible_to(request.user).select_related(
        "module_version__module", "organisation", "session"
    )
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    form = (
        DeliveryForm(user=request.user, initial={"held_on": timezone.localdate()})
        if services.records_deliveries(request.user)
        else None
    )
    return render(request, "programme/deliveries.html", {"page": page, "form": form})


@login_required
def delivery_add(request):
    person = _person(request)
    if not services.records_deliveries(request.user):
        raise PermissionDenied
    form = DeliveryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_delivery(
                person,
                module_version=data["module_version"],
                organisation=data["organisation"],
                held_on=data["held_on"],
                participants=data["participants"],
                language=data["language"],
                online=data["online"],
                city=data["city"],
                country=data["country"] or "",
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Recorded the delivery."))
            return redirect("programme-deliveries")
    return render(request, "programme/delivery_form.html", {"form": form})
