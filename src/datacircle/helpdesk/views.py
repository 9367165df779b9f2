"""Pages of the data help desk: asking, a question's thread, the queues, and the FAQ.

Who may see a question is decided by `Question.objects.visible_to` (and who may act on it by
`handled_by` / `managed_by`); anything outside those querysets is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from datacircle.accounts.models import LANGUAGE_CHOICES, Organisation, Person, manages_people
from datacircle.core.helpdesk import LEADER_ROLES, Document, rank
from datacircle.core.taxonomy import builtin_taxonomy
from datacircle.helpdesk import services
from datacircle.helpdesk.forms import (
    AssignForm,
    CloseForm,
    FaqForm,
    FaqSearchForm,
    PublicQuestionForm,
    QuestionForm,
    ReplyForm,
    TranslationForm,
)
from datacircle.helpdesk.models import FaqEntry, Question
from datacircle.helpdesk.suggestions import suggest, vocabulary
from datacircle.scoping.services import taxonomy_for

QUERY_MAX = 300


def _person(request) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


def _reader_language(request) -> str:
    return (get_language() or "en").split("-")[0]


def _mark_overdue(questions, today) -> list[Question]:
    rows = list(questions)
    for question in rows:
        question.is_overdue = question.overdue(today)
    return rows


@login_required
def landing(request):
    person = getattr(request.user, "person", None)
    today = timezone.localdate()
    context = {
        "person": person,
        "mine": [],
        "assigned": [],
        "queue": [],
        "is_leader": person is not None and person.role in LEADER_ROLES,
        "manages": manages_people(request.user),
        "search": FaqSearchForm(taxonomy=builtin_taxonomy()),
        "faq_total": FaqEntry.objects.visible_to(request.user).count(),
    }
    if person is not None:
        context["mine"] = _mark_overdue(
            Question.objects.filter(asker=person).select_related("assigned_to")[:10], today
        )
        context["assigned"] = _mark_overdue(
            Question.objects.filter(assigned_to=person)
            .unfinished()
            .select_related("asker")
            .order_by("due_on", "pk"),
            today,
        )
        context["public_url"] = request.build_absolute_uri(
            reverse("helpdesk-ask-public", args=[person.organisation.slug])
        )
    if context["manages"]:
        queue = (
            Question.objects.managed_by(request.user)
            .unfinished()
            .select_related("asker", "assigned_to", "organisation")
            .order_by("due_on", "pk")
        )
        context["queue"] = _mark_overdue(queue[:25], today)
        context["queue_total"] = queue.count()
        context["overdue_total"] = queue.filter(
            status__in=[Question.Status.OPEN, Question.Status.ASSIGNED], due_on__lt=today
        ).count()
    return render(request, "helpdesk/landing.html", context)


@login_required
def ask(request):
    person = _person(request)
    taxonomy = taxonomy_for(person.organisation)
    initial = {
        "language": (person.languages or [_reader_language(request)])[0],
        "skill": request.GET.get("skill", ""),
        "title": request.GET.get("q", "")[:200],
    }
    form = QuestionForm(request.POST or None, taxonomy=taxonomy, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        question = services.ask(
            organisation=person.organisation,
            title=data["title"],
            body=data["body"],
            skill=data["skill"],
            language=data["language"],
            asker=person,
        )
        messages.success(request, _("Your question is in. %(why)s") % {"why": _why(question)})
        return redirect("helpdesk-question", pk=question.pk)
    return render(
        request,
        "helpdesk/ask.html",
        {"form": form, "organisation": person.organisation, "suggest": True},
    )


def _why(question: Question) -> str:
    if question.assigned_to_id:
        return _("%(leader)s will answer it. %(reason)s") % {
            "leader": question.assigned_to.full_name,
            "reason": question.routing_explained,
        }
    return question.routing_explained


@never_cache
def ask_public(request, organisation: str):
    """Asking without a login, through the organisation's public link; no JavaScript needed."""
    organisation = get_object_or_404(Organisation, slug=organisation)
    form = PublicQuestionForm(
        request.POST or None,
        taxonomy=taxonomy_for(organisation),
        initial={"language": _reader_language(request)},
    )
    if request.method == "POST" and form.is_valid():
        if form.from_robot:
            return render(request, "helpdesk/public_thanks.html", {"organisation": organisation})
        data = form.cleaned_data
        question = services.ask(
            organisation=organisation,
            title=data["title"],
            body=data["body"],
            skill=data["skill"],
            language=data["language"],
            asker_name=data["name"],
            asker_email=data["email"],
        )
        messages.success(
            request,
            _(
                "Thank you. We sent this page's private link to %(email)s: use it to follow "
                "your question and read the answer."
            )
            % {"email": data["email"]},
        )
        return redirect("helpdesk-track", token=question.token)
    return render(request, "helpdesk/ask_public.html", {"form": form, "organisation": organisation})


def _thread_context(request, question: Question, *, as_asker: bool, handler: bool) -> dict:
    taxonomy = taxonomy_for(question.organisation)
    language = _reader_language(request)
    today = timezone.localdate()
    return {
        "question": question,
        "replies": list(question.replies.select_related("author")),
        "events": list(question.events.select_related("actor", "assigned_to")),
        "skill": taxonomy.label(question.skill, language)
        if question.skill in taxonomy
        else question.skill,
        "language_label": dict(LANGUAGE_CHOICES).get(question.language, question.language),
        "as_asker": as_asker,
        "can_reply": (as_asker or handler) and not question.finished,
        "show_overdue": handler and question.overdue(today),
        "reply_form": ReplyForm(),
    }


@login_required
def question_detail(request, pk: int):
    question = get_object_or_404(
        Question.objects.visible_to(request.user).select_related(
            "organisation", "asker", "assigned_to"
        ),
        pk=pk,
    )
    person = getattr(request.user, "person", None)
    handler = Question.objects.handled_by(request.user).filter(pk=pk).exists()
    manages = Question.objects.managed_by(request.user).filter(pk=pk).exists()
    context = _thread_context(
        request, question, as_asker=question.is_asker(person), handler=handler
    )
    context["manages"] = manages
    if manages and not question.finished:
        leaders = services.data_leaders(question.organisation)
        context["assign_form"] = AssignForm(
            leaders=leaders,
            initial={"leader": str(question.assigned_to_id or "")},
        )
        context["close_form"] = CloseForm()
    return render(request, "helpdesk/question.html", context)


@login_required
@require_POST
def question_reply(request, pk: int):
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    person = getattr(request.user, "person", None)
    as_asker = question.is_asker(person)
    if not as_asker and not Question.objects.handled_by(request.user).filter(pk=pk).exists():
        raise Http404
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(question, form.cleaned_data["body"], author=person, by_asker=as_asker)
        except services.HelpdeskError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your reply is posted."))
    else:
        messages.error(request, _("A reply needs some text."))
    return redirect("helpdesk-question", pk=pk)


@login_required
@require_POST
def question_accept(request, pk: int, reply: int):
    person = _person(request)
    question = get_object_or_404(Question.objects.filter(asker=person), pk=pk)
    answer = get_object_or_404(question.replies, pk=reply)
    try:
        services.accept(question, answer, actor=person)
    except services.HelpdeskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: the question is resolved."))
    return redirect("helpdesk-question", pk=pk)


@login_required
@require_POST
def question_assign(request, pk: int):
    question = get_object_or_404(Question.objects.managed_by(request.user), pk=pk)
    leaders = services.data_leaders(question.organisation)
    form = AssignForm(request.POST, leaders=leaders)
    if form.is_valid():
        chosen = form.cleaned_data["leader"]
        leader = leaders.get(pk=int(chosen)) if chosen else None
        try:
            services.reassign(question, leader, actor=getattr(request.user, "person", None))
        except services.HelpdeskError as error:
            messages.error(request, str(error))
        else:
            question.refresh_from_db()
            messages.success(request, _why(question))
    return redirect("helpdesk-question", pk=pk)


@login_required
@require_POST
def question_close(request, pk: int):
    question = get_object_or_404(Question.objects.managed_by(request.user), pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close(
                question,
                actor=getattr(request.user, "person", None),
                note=form.cleaned_data["note"],
            )
        except services.HelpdeskError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The question is closed."))
    return redirect("helpdesk-question", pk=pk)


@login_required
def question_promote(request, pk: int, reply: int):
    question = get_object_or_404(
        Question.objects.managed_by(request.user).select_related("organisation", "asker"), pk=pk
    )
    answer = get_object_or_404(question.replies.filter(by_asker=False), pk=reply)
    form = FaqForm(
        request.POST or None,
        taxonomy=taxonomy_for(question.organisation),
        initial=services.promotion_draft(question, answer),
    )
    if request.method == "POST" and form.is_valid():
        entry = services.promote(question, organisation=question.organisation, **form.cleaned_data)
        messages.success(request, _("The answer is now in the FAQ."))
        return redirect("helpdesk-faq-entry", pk=entry.pk)
    return render(
        request, "helpdesk/promote.html", {"form": form, "question": question, "answer": answer}
    )


@login_required
def question_list(request):
    """Every question the reader may see, filtered by role in it and status."""
    person = getattr(request.user, "person", None)
    questions = Question.objects.visible_to(request.user).select_related(
        "asker", "assigned_to", "organisation"
    )
    show = request.GET.get("show", "")
    if show in ("mine", "assigned") and person is None:
        questions = questions.none()
    elif show == "mine":
        questions = questions.filter(asker=person)
    elif show == "assigned":
        questions = questions.filter(assigned_to=person)
    status = request.GET.get("status", "")
    if status in Question.Status.values:
        questions = questions.filter(status=status)
    elif status == "unfinished":
        questions = questions.unfinished()
    page = Paginator(questions.order_by("-asked_at", "-pk"), 50).get_page(request.GET.get("page"))
    handled = set(
        Question.objects.handled_by(request.user)
        .filter(pk__in=[q.pk for q in page.object_list])
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    for question in page.object_list:
        # Only answerers and coordinators are pressed by a due date; askers just wait.
        question.is_overdue = question.pk in handled and question.overdue(today)
    context = {
        "page": page,
        "show": show,
        "status": status,
        "statuses": Question.Status.choices,
    }
    return render(request, "helpdesk/questions.html", context)


@never_cache
def track(request, token: str):
    """The private page of a question asked without a login: read, reply, accept."""
    question = get_object_or_404(
        Question.objects.select_related("organisation", "assigned_to"),
        token=token,
        asker__isnull=True,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reply":
                form = ReplyForm(request.POST)
                if not form.is_valid():
                    raise services.HelpdeskError(_("A reply needs some text."))
                services.reply(question, form.cleaned_data["body"], author=None, by_asker=True)
                messages.success(request, _("Your reply is posted."))
            elif action == "accept":
                answer = get_object_or_404(question.replies, pk=request.POST.get("reply") or 0)
                services.accept(question, answer, actor=None)
                messages.success(request, _("Thank you: the question is resolved."))
        except services.HelpdeskError as error:
            messages.error(request, str(error))
        return redirect("helpdesk-track", token=token)
    context = _thread_context(request, question, as_asker=True, handler=False)
    context["public"] = True
    return render(request, "helpdesk/question.html", context)


# --- FAQ ----------------------------------------------------------------------------------------


def _families(entries: list[FaqEntry], language: str) -> list[FaqEntry]:
    """One entry per family (an entry and its translations): the reader's language if there,
    else the original, else the first found."""
    chosen: dict[int, FaqEntry] = {}
    for entry in entries:
        key = entry.original_id or entry.pk
        best = chosen.get(key)
        if best is None or _preference(entry, language) < _preference(best, language):
            chosen[key] = entry
    return list(chosen.values())


def _preference(entry: FaqEntry, language: str) -> tuple[int, int, int]:
    return (entry.language != language, entry.original_id is not None, entry.pk)


@login_required
def faq(request):
    language = _reader_language(request)
    form = FaqSearchForm(request.GET or None, taxonomy=builtin_taxonomy())
    entries = FaqEntry.objects.visible_to(request.user)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if form.cleaned_data["skill"]:
            entries = entries.filter(skill=form.cleaned_data["skill"])
        if form.cleaned_data["language"]:
            entries = entries.filter(language=form.cleaned_data["language"])
    entries = list(entries)
    if query:
        by_id = {entry.pk: entry for entry in entries}
        ranked = rank(
            query,
            [Document(e.pk, e.title, e.body, e.language) for e in entries],
            vocabulary=vocabulary(),
            prefer_language=language,
        )
        # A family (an entry and its translations) shows once, with its best score, in the
        # reader's language when it has a version in it: a French word finds an entry an
        # English reader then reads in English.
        in_language = {e.original_id or e.pk: e for e in entries if e.language == language}
        best: dict[int, tuple[float, FaqEntry]] = {}
        for item in ranked:
            entry = by_id[item.id]
            family = entry.original_id or entry.pk
            if family not in best or item.score > best[family][0]:
                best[family] = (item.score, in_language.get(family, entry))
        results = [
            entry
            for _score, entry in sorted(
                best.values(), key=lambda pair: (pair[1].language != language, -pair[0], pair[1].pk)
            )
        ]
    else:
        results = sorted(
            _families(entries, language),
            key=lambda e: (e.language != language, e.title.casefold(), e.pk),
        )
    context = {
        "form": form,
        "query": query,
        "results": results,
        "can_ask": getattr(request.user, "person", None) is not None,
    }
    return render(request, "helpdesk/faq.html", context)


@login_required
def faq_entry(request, pk: int):
    entry = get_object_or_404(
        FaqEntry.objects.visible_to(request.user).select_related("original"), pk=pk
    )
    family = entry.family()
    present = {member.language for member in family}
    can_translate = manages_people(request.user) and len(present) < len(LANGUAGE_CHOICES)
    source = None
    if entry.source_id:
        source = Question.objects.visible_to(request.user).filter(pk=entry.source_id).first()
    context = {
        "entry": entry,
        "others": [member for member in family if member.pk != entry.pk],
        "can_edit": FaqEntry.objects.editable_by(request.user).filter(pk=pk).exists(),
        "can_translate": can_translate,
        "source": source,
    }
    return render(request, "helpdesk/faq_entry.html", context)


@login_required
def faq_edit(request, pk: int):
    entry = get_object_or_404(FaqEntry.objects.editable_by(request.user), pk=pk)
    form = FaqForm(
        request.POST or None,
        taxonomy=taxonomy_for(entry.organisation),
        initial={
            "title": entry.title,
            "body": entry.body,
            "skill": entry.skill,
            "language": entry.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        clash = [m for m in entry.family() if m.pk != entry.pk and m.language == language]
        if clash:
            form.add_error("language", _("This entry already exists in that language."))
        else:
            for name, value in form.cleaned_data.items():
                setattr(entry, name, value)
            entry.save()
            if entry.original_id is None:
                # Translations are about the same skill as their original.
                entry.translations.update(skill=entry.skill)
            messages.success(request, _("Saved."))
            return redirect("helpdesk-faq-entry", pk=entry.pk)
    return render(request, "helpdesk/faq_form.html", {"form": form, "entry": entry})


@login_required
def faq_translate(request, pk: int):
    if not manages_people(request.user):
        raise PermissionDenied
    entry = get_object_or_404(FaqEntry.objects.visible_to(request.user), pk=pk)
    present = {member.language for member in entry.family()}
    missing = [code for code, _label in LANGUAGE_CHOICES if code not in present]
    if not missing:
        messages.info(request, _("This entry exists in every language already."))
        return redirect("helpdesk-faq-entry", pk=pk)
    form = TranslationForm(
        request.POST or None,
        missing=missing,
        initial={"title": entry.title, "body": entry.body},
    )
    if request.method == "POST" and form.is_valid():
        person = getattr(request.user, "person", None)
        try:
            translation = services.translate(
                entry,
                organisation=person.organisation if person else entry.organisation,
                **form.cleaned_data,
            )
        except services.HelpdeskError as error:
            form.add_error("language", str(error))
        else:
            messages.success(request, _("The translation is saved."))
            return redirect("helpdesk-faq-entry", pk=translation.pk)
    return render(request, "helpdesk/faq_translate.html", {"form": form, "entry": entry})


@login_required
def suggestions(request):
    """FAQ entries (and later other documents) matching a question being typed: an HTML
    fragment for the ask page's script, or JSON with ?format=json."""
    query = request.GET.get("q", "")[:QUERY_MAX]
    language = request.GET.get("language", "") or _reader_language(request)
    found = suggest(request.user, query, language=language) if query.strip() else []
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "suggestions": [
                    {
                        "kind": s.kind,
                        "title": s.title,
                        "url": s.url,
                        "language": s.language,
                        "excerpt": s.excerpt,
                        "score": s.score,
                    }
                    for s in found
                ]
            }
        )
    return render(request, "helpdesk/_suggestions.html", {"suggestions": found, "query": query})
