"""Pages of skills scoping: rounds, the public questionnaire, imports, coding and the report."""

from __future__ import annotations

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from datacircle.core.questionnaire import builtin_questionnaire
from datacircle.core.suppression import SuppressionError
from datacircle.jobs.models import Job
from datacircle.jobs.runner import enqueue
from datacircle.scoping import exports, services
from datacircle.scoping.forms import (
    CodingForm,
    QuestionnaireForm,
    RoundForm,
    SkillForm,
    UploadForm,
)
from datacircle.scoping.models import Coding, Response, Round, SkillOverride, manages_rounds


def _own_organisation(request):
    person = getattr(request.user, "person", None)
    if person is None or not manages_rounds(request.user):
        raise PermissionDenied
    return person.organisation


@login_required
def rounds(request):
    visible = (
        Round.objects.visible_to(request.user)
        .select_related("organisation")
        .annotate(response_total=Count("responses"))
    )
    own = getattr(request.user, "person", None)
    open_rounds = (
        Round.objects.filter(organisation_id=own.organisation_id, status=Round.Status.OPEN)
        if own
        else Round.objects.none()
    )
    context = {
        "rounds": visible,
        "open_rounds": open_rounds,
        "can_add": manages_rounds(request.user) and own is not None,
    }
    return render(request, "scoping/rounds.html", context)


@login_required
def round_edit(request, pk: int | None = None):
    if pk is None:
        organisation = _own_organisation(request)
        instance = None
    else:
        instance = get_object_or_404(Round.objects.managed_by(request.user), pk=pk)
        organisation = instance.organisation
    form = RoundForm(request.POST or None, instance=instance, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved the round “%(title)s”.") % {"title": saved.title})
        return redirect("scoping-round", pk=saved.pk)
    return render(request, "scoping/round_form.html", {"form": form, "round": instance})


@login_required
def round_detail(request, pk: int):
    round = get_object_or_404(
        Round.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    manages = Round.objects.managed_by(request.user).filter(pk=pk).exists()
    context = {
        "round": round,
        "manages": manages,
        "response_total": round.responses.count(),
        "sources": [
            Response.Source(code).label
            for code in round.responses.values_list("source", flat=True)
            .distinct()
            .order_by("source")
        ],
        "pending": round.codings.filter(status=Coding.Status.PENDING).count() if manages else 0,
        "public_url": request.build_absolute_uri(
            reverse("scoping-questionnaire", args=[round.token])
        ),
        "imports": Job.objects.filter(
            kind="scoping.import", payload__round=round.pk, created_by=request.user
        )[:5]
        if manages
        else [],
    }
    return render(request, "scoping/round.html", context)


@never_cache
def questionnaire(request, token: str):
    """The public questionnaire: no login, no JavaScript, one page."""
    round = get_object_or_404(Round.objects.select_related("organisation"), token=token)
    if round.status != Round.Status.OPEN:
        return render(request, "scoping/questionnaire_closed.html", {"round": round}, status=410)
    organisation = round.organisation
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    form = QuestionnaireForm(
        request.POST or None,
        taxonomy=services.taxonomy_for(organisation),
        units=list(organisation.units.values_list("name", flat=True)),
        country=organisation.country.code,
        offer_profile=person is not None,
    )
    if request.method == "POST" and form.is_valid():
        if form.consented and not form.from_robot:
            row = form.canonical_row()
            frame = pl.DataFrame([row], schema=builtin_questionnaire().frame_schema(form.taxonomy))
            services.save_frame(round, frame, "web", taxonomy=form.taxonomy)
            if person is not None and form.cleaned_data.get("fill_profile"):
                from datacircle.peers.services import fill_from_answers

                fill_from_answers(person, row, form.taxonomy.codes)
        return render(request, "scoping/thanks.html", {"round": round, "consented": form.consented})
    qn = builtin_questionnaire()
    language = get_language() or "en"
    context = {
        "round": round,
        "form": form,
        "intro": qn.intro.get(language) or qn.intro.get("en", ""),
        "consent_text": qn.consent.get(language) or qn.consent.get("en", ""),
    }
    return render(request, "scoping/questionnaire.html", context)


@login_required
def round_import(request, pk: int):
    round = get_object_or_404(Round.objects.managed_by(request.user), pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = form.cleaned_data.get("mapping")
        payload = {"round": round.pk}
        if mapping:
            payload["mapping"] = mapping.read().decode("utf-8", errors="replace")
            payload["mapping_name"] = mapping.name
        job = Job.objects.create(
            kind="scoping.import",
            title=_("Import of %(file)s into %(round)s")
            % {"file": upload.name, "round": round.title},
            created_by=request.user,
            payload=payload,
            upload=upload.read(),
            upload_name=upload.name,
        )
        enqueue(job)
        return redirect("job", pk=job.pk)
    return render(request, "scoping/import.html", {"round": round, "form": form})


@login_required
def coding(request, pk: int):
    round = get_object_or_404(Round.objects.managed_by(request.user), pk=pk)
    taxonomy = services.taxonomy_for(round.organisation)
    qn = builtin_questionnaire()
    language = get_language() or "en"
    targets = services.other_questions(qn)

    def choices_for(question: str):
        target = qn.question(targets[question])
        return [
            (c.code, c.name(language)) for c in qn.choices(target, taxonomy) if c.code != "other"
        ]

    if request.method == "POST":
        item = get_object_or_404(round.codings, pk=request.POST.get("coding"))
        form = CodingForm(request.POST, choices=choices_for(item.question), prefix=f"c{item.pk}")
        if form.is_valid():
            services.decide(item, form.cleaned_data["codes"], request.user)
            messages.success(
                request, _("Saved. Later answers like this one will be coded the same way.")
            )
        return redirect(
            f"{reverse('scoping-coding', args=[round.pk])}?show={request.GET.get('show', 'pending')}"
        )
    show = request.GET.get("show", "pending")
    items = round.codings.all()
    if show == "pending":
        items = items.filter(status=Coding.Status.PENDING)
    rows = [
        {
            "coding": item,
            "question": qn.question(targets[item.question]).text(language),
            "form": CodingForm(
                initial={"codes": item.codes or item.suggested},
                choices=choices_for(item.question),
                prefix=f"c{item.pk}",
            ),
        }
        for item in items[:200]
    ]
    counts = round.codings.aggregate(
        pending=Count("id", filter=Q(status=Coding.Status.PENDING)), all=Count("id")
    )
    return render(
        request,
        "scoping/coding.html",
        {"round": round, "rows": rows, "show": show, "counts": counts},
    )


@login_required
def report(request, pk: int):
    round = get_object_or_404(
        Round.objects.visible_to(request.user).select_related("organisation", "baseline"), pk=pk
    )
    try:
        context = exports.report_context(round, get_language() or "en")
    except SuppressionError:
        return render(request, "scoping/report_too_small.html", {"round": round})
    return render(request, "scoping/report.html", context)


@login_required
def report_export(request, pk: int, fmt: str):
    round = get_object_or_404(
        Round.objects.visible_to(request.user).select_related("organisation", "baseline"), pk=pk
    )
    if fmt not in exports.FORMATS:
        raise Http404
    language = get_language() or "en"
    try:
        content, content_type, extension = exports.render_report(round, fmt, language)
    except SuppressionError:
        return render(request, "scoping/report_too_small.html", {"round": round})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_stem(round)}.{extension}"'
    )
    return response


@login_required
def xlsform(request, pk: int):
    round = get_object_or_404(
        Round.objects.managed_by(request.user).select_related("organisation"), pk=pk
    )
    content = exports.xlsform_bytes(round)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.file_stem(round)}-form.xlsx"'
    return response


@login_required
def skills(request):
    """The skills taxonomy as the person's organisation uses it; coordinators may add or reword."""
    own = getattr(request.user, "person", None)
    if own is None:
        raise PermissionDenied
    organisation = own.organisation
    taxonomy = services.taxonomy_for(organisation)
    can_edit = manages_rounds(request.user)
    form = SkillForm(request.POST or None, taxonomy=taxonomy) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            code = form.cleaned_data["code"]
            override, _created = SkillOverride.objects.get_or_create(
                organisation=organisation, code=code
            )
            override.label = {**override.label, **form.labels()}
            words = form.synonym_list()
            if words:
                override.synonyms = {
                    **override.synonyms,
                    "any": sorted({*override.synonyms.get("any", []), *words}),
                }
            override.save()
            messages.success(request, _("Saved the skill “%(code)s”.") % {"code": code})
            return redirect("scoping-skills")
    language = get_language() or "en"
    rows = [
        {
            "code": s.code,
            "name": s.name(language),
            "description": s.description.get(language) or s.description.get("en", ""),
            "builtin": s.builtin,
            "own": s.code in set(organisation.skill_overrides.values_list("code", flat=True)),
        }
        for s in taxonomy.skills
    ]
    levels = [(lv.value, taxonomy.level_label(lv.value, language)) for lv in taxonomy.levels]
    context = {"rows": rows, "levels": levels, "form": form, "organisation": organisation}
    return render(request, "scoping/skills.html", context)
