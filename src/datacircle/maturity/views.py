"""Pages of the maturity scan: the list of scans, answering one, its results and the
questionnaire editor. Who may see what is decided by `Scan.objects` (see models)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datacircle.core import maturity as core
from datacircle.maturity import exports, services
from datacircle.maturity.forms import QuestionnaireForm, ResponseForm, ScanForm
from datacircle.maturity.models import Scan, ScanResponse, runs_scans
from datacircle.web.i18n import translated


def _person(request):
    return getattr(request.user, "person", None)


@login_required
def scans(request):
    person = _person(request)
    manages = runs_scans(request.user)
    form = None
    if manages:
        form = ScanForm(
            request.POST or None,
            organisation=person.organisation,
            initial={"opens_on": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            scan = services.start_scan(person.organisation, person, **form.cleaned_data)
            messages.success(
                request,
                _("Started the scan “%(title)s”. Everyone in your organisation can answer it now.")
                % {"title": scan.title},
            )
            return redirect("area-maturity")
    elif request.method == "POST":
        raise PermissionDenied
    visible = list(
        Scan.objects.visible_to(request.user)
        .select_related("organisation", "questionnaire")
        .order_by("organisation__name", "-opens_on", "-pk")
    )
    counts = services.respondent_counts(visible)
    mine = {}
    if person is not None:
        mine = dict(
            ScanResponse.objects.filter(person=person, scan__in=visible).values_list(
                "scan_id", "submitted_at"
            )
        )
    managed = set(Scan.objects.managed_by(request.user).values_list("pk", flat=True))
    rows = [
        {
            "scan": scan,
            "respondents": services.shown_count(counts.get(scan.pk, 0)),
            "answered": mine.get(scan.pk),
            "can_answer": person is not None
            and scan.organisation_id == person.organisation_id
            and scan.is_open,
            "can_read": scan.pk in managed,
        }
        for scan in visible
    ]
    context = {"rows": rows, "form": form, "manages": manages}
    return render(request, "maturity/scans.html", context)


@login_required
def respond(request, pk: int):
    scan = get_object_or_404(
        Scan.objects.answerable_by(request.user).select_related("questionnaire"), pk=pk
    )
    person = _person(request)
    if not scan.is_open:
        return render(request, "maturity/closed.html", {"scan": scan}, status=410)
    # Questions and answers in the reader's language; the answers saved are ids and scores.
    questionnaire = scan.questionnaire.shown(get_language() or "en")
    earlier = ScanResponse.objects.filter(scan=scan, person=person).first()
    initial = (
        ResponseForm.initial_from(questionnaire, earlier.answers, earlier.targets)
        if earlier
        else None
    )
    form = ResponseForm(request.POST or None, questionnaire=questionnaire, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(scan, person, form.answers(), form.targets())
        except services.ScanClosed:
            return render(request, "maturity/closed.html", {"scan": scan}, status=410)
        messages.success(
            request,
            _(
                "Thank you: your answers to “%(title)s” are saved. You can change them while the scan is open."
            )
            % {"title": scan.title},
        )
        return redirect("area-maturity")
    context = {
        "scan": scan,
        "form": form,
        "questionnaire": questionnaire,
        "earlier": earlier,
        "unit": person.unit,
    }
    return render(request, "maturity/respond.html", context, status=400 if form.errors else 200)


def _managed_scan(request, pk: int) -> Scan:
    return get_object_or_404(
        Scan.objects.managed_by(request.user).select_related("organisation", "questionnaire"),
        pk=pk,
    )


def _unit(request, scan: Scan):
    key = request.GET.get("unit") or ""
    if not key:
        return None
    if not key.isdigit():
        raise Http404
    return get_object_or_404(scan.organisation.units, pk=int(key))


@login_required
def results(request, pk: int):
    scan = _managed_scan(request, pk)
    unit = _unit(request, scan)
    context = exports.results_context(scan, unit, get_language() or "en", get_language_bidi())
    return render(request, "maturity/results.html", context)


@login_required
def results_export(request, pk: int, fmt: str):
    scan = _managed_scan(request, pk)
    if fmt not in exports.FORMATS:
        raise Http404
    unit = _unit(request, scan)
    content, content_type, extension = exports.render_results(
        scan, fmt, get_language() or "en", unit=unit
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_stem(scan, unit)}.{extension}"'
    )
    return response


@login_required
@require_POST
def scan_status(request, pk: int):
    scan = _managed_scan(request, pk)
    wanted = request.POST.get("status")
    if wanted not in Scan.Status.values:
        return HttpResponse(_("Unknown status."), status=400)
    scan.status = wanted
    scan.save(update_fields=["status"])
    if scan.is_open:
        messages.success(request, _("The scan is open for answers again."))
    else:
        messages.success(request, _("The scan is closed: answers can no longer change."))
    return redirect("maturity-results", pk=scan.pk)


@login_required
def questionnaire(request):
    if not runs_scans(request.user):
        raise PermissionDenied
    person = _person(request)
    organisation = person.organisation
    current = services.current_questionnaire(organisation)
    form = QuestionnaireForm(
        request.POST or None, initial={"text": core.dump_text(current.parsed())}
    )
    problems: tuple[str, ...] = ()
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_questionnaire(organisation, form.cleaned_data["text"], person)
        except core.QuestionnaireError as error:
            # Each problem with its path and line, in the coordinator's language.
            problems = tuple(translated(p) for p in error.problems or (str(error),))
        else:
            messages.success(
                request,
                _("Saved as version %(n)s. New scans use it; scans already started keep theirs.")
                % {"n": saved.version},
            )
            return redirect("maturity-questionnaire")
    preview = current.shown(get_language() or "en")
    context = {
        "form": form,
        "problems": problems,
        "current": current,
        "preview": preview,
        "preview_dimensions": [
            (d, exports.AREA_LABELS.get(d.area, d.area)) for d in preview.dimensions
        ],
        "versions": services.versions_of(organisation),
        "organisation": organisation,
    }
    return render(request, "maturity/questionnaire.html", context, status=400 if problems else 200)
