"""Pages of the session library: browse and search, a module, its editor, versions and diffs,
adapt and translate, the facilitator sheet, import and export."""

from __future__ import annotations

import difflib
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from datacircle.accounts.models import LANGUAGE_CHOICES, Organisation, Person
from datacircle.core import lint as core_lint
from datacircle.core import modules as core
from datacircle.core.i18n import Message
from datacircle.core.taxonomy import builtin_taxonomy
from datacircle.library import services
from datacircle.library.forms import KINDS, AgendaFormSet, ImportForm, ModuleForm, build_module
from datacircle.library.models import (
    STARTER,
    Module,
    ModuleVersion,
    publishes_modules,
    writes_modules,
)
from datacircle.library.search import search
from datacircle.scoping.services import taxonomy_for
from datacircle.web.i18n import translated
from datacircle.web.rendering import render as render_markdown

PAGE_SIZE = 20
DURATIONS = (15, 30, 45, 60)


def _person(request) -> Person | None:
    return getattr(request.user, "person", None)


def _taxonomy(request):
    person = _person(request)
    return taxonomy_for(person.organisation) if person else builtin_taxonomy()


@login_required
def browse(request):
    """Every module the reader may see, filtered and searched; best matches first."""
    modules = Module.objects.visible_to(request.user)
    taxonomy = _taxonomy(request)
    language = get_language() or "en"
    q = request.GET.get("q", "").strip()
    skill = request.GET.get("skill", "")
    languages = dict(LANGUAGE_CHOICES)
    if skill in taxonomy:
        # The JSON list as text holds "code" with its quotes: no other code can match.
        modules = modules.filter(skills__icontains=f'"{skill}"')
    if request.GET.get("language") in languages:
        modules = modules.filter(language=request.GET["language"])
    if request.GET.get("minutes", "").isdigit():
        modules = modules.filter(duration__lte=int(request.GET["minutes"]))
    organisation = request.GET.get("organisation", "")
    if organisation == STARTER:
        modules = modules.filter(organisation__isnull=True)
    elif organisation:
        modules = modules.filter(organisation__slug=organisation)
    if request.GET.get("unplugged") == "1":
        modules = modules.filter(unplugged=True)
    if q:
        ids = search(modules, q)
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        found = Module.objects.select_related("organisation").in_bulk(list(page.object_list))
        results = [found[pk] for pk in page.object_list]
    else:
        page = Paginator(modules.select_related("organisation"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        results = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/browse.html",
        {
            "results": results,
            "page": page,
            "q": q,
            "query": query.urlencode(),
            "skills": [(s.code, s.name(language)) for s in taxonomy.skills],
            "skill_names": {s.code: s.name(language) for s in taxonomy.skills},
            "languages": LANGUAGE_CHOICES,
            "durations": DURATIONS,
            "organisations": Organisation.objects.filter(modules__isnull=False).distinct(),
            "starter": STARTER,
            "filters": request.GET,
            "can_write": can_write(request),
        },
    )


def can_write(request) -> bool:
    return _person(request) is not None and writes_modules(request.user)


def _module(request, pk: int) -> Module:
    return get_object_or_404(
        Module.objects.visible_to(request.user).select_related(
            "organisation", "translation_of", "derived_from__module"
        ),
        pk=pk,
    )


def _editable(request, pk: int) -> Module:
    return get_object_or_404(Module.objects.editable_by(request.user), pk=pk)


def finding_rows(found: list[core_lint.Finding]) -> list[dict]:
    """Findings in the reader's language (the core's English texts are catalogue keys)."""
    return [
        {
            "rule": f.rule,
            "severity": f.severity,
            "text": translated(Message(f.message, f.params)),
            "hint": _(f.hint) if f.hint else "",
            "path": f.path,
            "line": f.line,
        }
        for f in found
    ]


def problem_text(problem: core.Problem, *, where: bool = False) -> str:
    """A module file's problem in the reader's language, after its field (and file:line)."""
    parts = [problem.where] if where else []
    parts += [problem.path] if problem.path else []
    return ": ".join([*parts, translated(problem.message)])


KIND_LABELS = dict(KINDS)


def module_context(module: Module, text: str, taxonomy) -> dict:
    m = core.parse(text)
    language = get_language() or "en"
    start = 0
    agenda = []
    for activity in m.agenda:
        agenda.append(
            {
                "activity": activity,
                "kind": KIND_LABELS.get(activity.kind, activity.kind),
                "start": start,
                "end": start + activity.minutes,
            }
        )
        start += activity.minutes
    participatory = sum(a.minutes for a in m.agenda if a.participatory)
    return {
        "m": m,
        "agenda": agenda,
        "participatory": participatory,
        "skill_names": [taxonomy.label_or_code(code, language) for code in m.skills],
        "notes": render_markdown(m.body),
        "level_label": builtin_taxonomy().level_label(m.level, language),
    }


@login_required
def module_detail(request, pk: int):
    module = _module(request, pk)
    editable = _may_edit(request, pk)
    versions = list(module.versions.order_by("-number"))
    text, showing = _shown(request, module, editable)
    family = _family(module)
    context = module_context(module, text, taxonomy_for(module.organisation))
    context.update(
        {
            "module": module,
            "versions": versions,
            "showing": showing,
            "editable": editable,
            "findings": finding_rows(services.findings(module, text)) if editable else [],
            "translations": family,
            "adaptations": Module.objects.visible_to(request.user).filter(
                derived_from__module=module
            ),
            "languages": [
                (code, label)
                for code, label in LANGUAGE_CHOICES
                if code not in {t.language for t in family} | {module.language}
            ],
            "can_adapt": can_write(request) and bool(versions),
            "can_publish": editable and publishes_modules(request.user),
        }
    )
    return render(request, "library/module.html", context)


def _may_edit(request, pk: int) -> bool:
    return Module.objects.editable_by(request.user).filter(pk=pk).exists()


def _shown(request, module: Module, editable: bool) -> tuple[str, int | None]:
    """The text a reader gets and its version number: the version asked for (?version=N),
    else the working copy for those who may edit it (or when nothing is published yet), else
    the latest published version."""
    number = request.GET.get("version")
    if number and number.isdigit():
        version = get_object_or_404(module.versions, number=int(number))
        return version.source, version.number
    latest = module.latest_version
    if editable or latest is None:
        return module.source, None
    return latest.source, latest.number


def _family(module: Module) -> list[Module]:
    """The module's other languages: its original and the original's translations."""
    original = module.translation_of or module
    family = [original, *original.translations.all()]
    return [m for m in family if m.pk != module.pk]


def _editor(request, pk: int | None):
    """The module being edited (None for a new one), the core module it starts from, and the
    organisation it belongs to."""
    if pk is not None:
        module = _editable(request, pk)
        return module, services.parsed(module), module.organisation
    person = _person(request)
    if not can_write(request):
        raise PermissionDenied
    base = core.Module(
        id="new-module",
        organisation=person.organisation.slug,
        title="",
        summary="",
        language=(person.languages or ["en"])[0],
        skills=(),
        level=0,
        duration=60,
        unplugged=True,
        outcomes=(),
        agenda=(),
        materials=(),
    )
    return None, base, person.organisation


def _forms(request, module, base, taxonomy):
    initial = (
        ModuleForm.initial_from(base)
        if module
        else {"language": base.language, "duration": 60, "unplugged": True}
    )
    form = ModuleForm(request.POST or None, initial=initial, taxonomy=taxonomy)
    if request.method == "POST":
        # No initial rows when reading a post: a row left as it was must still count.
        return form, AgendaFormSet(request.POST, prefix="agenda")
    agenda = AgendaFormSet(
        initial=[
            {
                "minutes": a.minutes,
                "kind": a.kind,
                "participatory": a.participatory,
                "title": a.title,
                "description": a.description,
            }
            for a in base.agenda
        ],
        prefix="agenda",
    )
    return form, agenda


def _checked(form, agenda, module, base, organisation, taxonomy):
    """(file text, parsed module, problems) of what the editor holds; problems are the format
    errors that keep it from being saved."""
    edited = build_module(form, agenda, base)
    if module is None:
        edited = replace(edited, id=services.free_slug(organisation, _slug(edited.title)))
    try:
        text = core.dump(edited)
        checked = core.parse(text, source=f"{edited.reference}.md", skill_codes=taxonomy.codes)
    except core.ModuleFormatError as error:
        return (
            None,
            None,
            [problem_text(p) for p in error.problems],
        )
    return text, checked, []


def _preview(module, text, checked, taxonomy) -> dict:
    return {
        **module_context(module, text, taxonomy),
        "findings": finding_rows(core_lint.lint(checked, positions=core.positions(text))),
    }


@login_required
def edit(request, pk: int | None = None):
    module, base, organisation = _editor(request, pk)
    taxonomy = taxonomy_for(organisation)
    form, agenda = _forms(request, module, base, taxonomy)
    problems: list[str] = []
    preview = None
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        text, checked, problems = _checked(form, agenda, module, base, organisation, taxonomy)
        if checked is not None and request.POST.get("action") == "preview":
            preview = _preview(module, text, checked, taxonomy)
        elif checked is not None:
            target = module or Module(organisation=organisation, slug=checked.id)
            saved = services.save_working_copy(target, checked)
            messages.success(request, _("Saved the module “%(title)s”.") % {"title": saved.title})
            return redirect("library-module", pk=saved.pk)
    return render(
        request,
        "library/edit.html",
        {
            "form": form,
            "agenda": agenda,
            "module": module,
            "problems": problems,
            "preview": preview,
        },
    )


@login_required
@require_POST
def live_preview(request, pk: int | None = None):
    """The editor's live panel (JavaScript posts the form here as one types): the notes as
    they will look and what the design linter says, without saving anything."""
    module, base, organisation = _editor(request, pk)
    taxonomy = taxonomy_for(organisation)
    form, agenda = _forms(request, module, base, taxonomy)
    context: dict = {"problems": [], "preview": None}
    if form.is_valid() and agenda.is_valid():
        text, checked, problems = _checked(form, agenda, module, base, organisation, taxonomy)
        context["problems"] = problems
        if checked is not None:
            context["preview"] = _preview(module, text, checked, taxonomy)
    else:
        context["problems"] = [
            f"{form[name].label}: {' '.join(errors)}"
            for name, errors in form.errors.items()
            if name in form.fields
        ] + [_("Complete or remove the unfinished agenda rows.")] * (not agenda.is_valid())
    return render(request, "library/_preview.html", context)


def _slug(title: str) -> str:
    from django.utils.text import slugify

    slug = slugify(title)[:70].strip("-") or "module"
    return slug if slug[0].isalpha() else f"m-{slug}"


@login_required
@require_POST
def action(request, pk: int):
    module = _editable(request, pk)
    what = request.POST.get("action")
    try:
        if what == "review":
            services.submit_for_review(module)
            messages.success(request, _("Sent for review."))
        elif what == "publish":
            if not publishes_modules(request.user):
                raise PermissionDenied
            version = services.publish(module, _person(request))
            messages.success(
                request, _("Published as version %(number)d.") % {"number": version.number}
            )
        else:
            raise Http404
    except services.LibraryError as error:
        messages.error(request, str(error))
    return redirect("library-module", pk=module.pk)


@login_required
@require_POST
def adapt(request, pk: int):
    module = _module(request, pk)
    person = _person(request)
    version = module.latest_version
    if person is None or version is None or not can_write(request):
        raise PermissionDenied
    made = services.adapt(version, person.organisation, person)
    messages.success(
        request,
        _("This is your adaptation of “%(title)s” (version %(number)d); change it as you need.")
        % {"title": module.title, "number": version.number},
    )
    return redirect("library-edit", pk=made.pk)


@login_required
@require_POST
def translate(request, pk: int):
    module = _module(request, pk)
    person = _person(request)
    if person is None or not can_write(request):
        raise PermissionDenied
    language = request.POST.get("language", "")
    if language not in dict(LANGUAGE_CHOICES):
        raise Http404
    try:
        made = services.translate(module, language, person.organisation, person)
    except services.LibraryError as error:
        messages.error(request, str(error))
        return redirect("library-module", pk=module.pk)
    messages.success(request, _("Translate the text below; the link to the original is kept."))
    return redirect("library-edit", pk=made.pk)


@login_required
def diff(request, pk: int):
    """What changed between two versions (or a version and the working copy)."""
    module = _module(request, pk)
    editable = _may_edit(request, pk)
    versions = {v.number: v.source for v in module.versions.all()}
    if editable:
        versions[0] = module.source  # 0 = the working copy
    if not versions:
        raise Http404
    numbers = sorted(versions)
    newest = max(n for n in numbers if n) if any(numbers) else 0
    a = _int(request.GET.get("from"), numbers[0])
    b = _int(request.GET.get("to"), 0 if editable else newest)
    if a not in versions or b not in versions:
        raise Http404
    rows = [
        {"kind": line[:1], "text": line[2:]}
        for line in difflib.ndiff(versions[a].splitlines(), versions[b].splitlines())
        if not line.startswith("?")
    ]
    return render(
        request,
        "library/diff.html",
        {
            "module": module,
            "rows": rows,
            "a": a,
            "b": b,
            "numbers": numbers,
            "changed": any(r["kind"] in "+-" for r in rows),
        },
    )


def _int(text, default: int) -> int:
    return int(text) if text and text.isdigit() else default


@login_required
def export(request, pk: int):
    module = _module(request, pk)
    text, _number = _shown(request, module, _may_edit(request, pk))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{module.slug}.md"'
    return response


@login_required
def bundle(request):
    """Every published module the reader may see, newest versions, as one zip."""
    latest: dict[int, ModuleVersion] = {}
    for version in ModuleVersion.objects.filter(
        module__in=Module.objects.visible_to(request.user)
    ).order_by("module_id", "number"):
        latest[version.module_id] = version
    data = core.write_bundle(core.parse(v.source) for v in latest.values())
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="datacircle-modules.zip"'
    return response


@login_required
def sheet(request, pk: int):
    """The facilitator sheet: the module on paper, as a PDF."""
    from weasyprint import HTML  # imported late: it loads Pango, which pages never need

    module = _module(request, pk)
    version = module.latest_version
    text = version.source if version else module.source
    # The sheet is handed out with the session, so it reads wholly in the module's language
    # (headings too, right to left for Arabic), whichever language the page was in.
    with translation.override(core.parse(text).language):
        context = module_context(module, text, taxonomy_for(module.organisation))
        context.update({"module": module, "version": version})
        html = render_to_string("library/sheet.html", context, request=request)
    response = HttpResponse(
        HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{module.slug}.pdf"'
    return response


@login_required
def import_page(request):
    person = _person(request)
    if person is None or not can_write(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        codes = taxonomy_for(person.organisation).codes
        admin = request.user.is_superuser or person.role == Person.Role.NETWORK_ADMIN
        allowed = None if admin else {person.organisation.slug}
        try:
            if upload.name.lower().endswith(".zip"):
                items = [
                    (m, core.dump(m))
                    for _name, m in core.read_bundle(data, source=upload.name, skill_codes=codes)
                ]
            else:
                text = data.decode("utf-8")
                items = [(core.parse(text, source=upload.name, skill_codes=codes), text)]
            report = services.import_modules(items, allowed=allowed)
        except core.ModuleFormatError as error:
            problems = [problem_text(p, where=True) for p in error.problems]
        except UnicodeDecodeError:
            problems = [_("%(file)s is not UTF-8 text.") % {"file": upload.name}]
        except services.LibraryError as error:
            problems = [str(error)]
        else:
            messages.success(
                request,
                _("%(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "unchanged": len(report.unchanged),
                },
            )
            return redirect("area-library")
    return render(request, "library/import.html", {"form": form, "problems": problems})
