"""Pages of the partners registry: the list with filters and its CSV export, a partner, and
the forms that keep partners, their contacts and engagements. Who may do what is decided in
`partners.models` (`visible_to`, `managed_by`)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from datacircle.accounts.models import Person
from datacircle.core.taxonomy import Taxonomy, builtin_taxonomy
from datacircle.library.models import Module
from datacircle.partners.exports import csv_rows
from datacircle.partners.forms import ContactForm, EngagementForm, PartnerForm
from datacircle.partners.models import Contact, Engagement, Partner, manages_partners
from datacircle.programme.sessions import sessions_visible_to
from datacircle.scoping.services import taxonomy_for
from datacircle.web.rendering import render as render_markdown

PAGE_SIZE = 50


def _person(request) -> Person | None:
    return getattr(request.user, "person", None)


def _taxonomy(request) -> Taxonomy:
    person = _person(request)
    return taxonomy_for(person.organisation) if person else builtin_taxonomy()


class Taxonomies:
    """Each organisation's taxonomy, read once per request (a partner's expertise is named in
    the words of the organisation that keeps it)."""

    def __init__(self):
        self.by_organisation: dict[int, Taxonomy] = {}

    def __call__(self, partner: Partner) -> Taxonomy:
        key = partner.organisation_id
        if key not in self.by_organisation:
            self.by_organisation[key] = taxonomy_for(partner.organisation)
        return self.by_organisation[key]


def _filtered(partners: QuerySet[Partner], params, taxonomy: Taxonomy) -> QuerySet[Partner]:
    if params.get("kind") in Partner.Kind.values:
        partners = partners.filter(kind=params["kind"])
    if params.get("relationship") in Partner.Relationship.values:
        partners = partners.filter(relationship=params["relationship"])
    country = params.get("country", "").upper()
    if country in countries:
        partners = partners.filter(country=country)
    skill = params.get("skill", "")
    if skill in taxonomy:
        # The JSON list as text holds "code" with its quotes: no other code can match.
        partners = partners.filter(expertise__icontains=f'"{skill}"')
    q = params.get("q", "").strip()
    if q:
        partners = partners.filter(
            Q(name__icontains=q) | Q(notes__icontains=q) | Q(website__icontains=q)
        )
    return partners


def _with_counts(partners: QuerySet[Partner]) -> QuerySet[Partner]:
    return partners.select_related("organisation").annotate(
        engagement_count=Count("engagements"), last_engagement=Max("engagements__happened_on")
    )


@login_required
def partner_list(request):
    visible = Partner.objects.visible_to(request.user)
    taxonomy = _taxonomy(request)
    language = get_language() or "en"
    partners = _with_counts(_filtered(visible, request.GET, taxonomy)).order_by("name", "pk")
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    names = Taxonomies()
    rows = [
        {
            "partner": p,
            "expertise": [names(p).label_or_code(code, language) for code in p.expertise],
        }
        for p in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    present = visible.order_by().values_list("country", flat=True).distinct()
    return render(
        request,
        "partners/list.html",
        {
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "filters": request.GET,
            "kinds": Partner.Kind.choices,
            "relationships": Partner.Relationship.choices,
            "countries": sorted(
                ((code, countries.name(code)) for code in present), key=lambda c: c[1]
            ),
            "skills": [(s.code, s.name(language)) for s in taxonomy.skills],
            "can_add": manages_partners(request.user),
        },
    )


def _visible(request, pk: int) -> Partner:
    return get_object_or_404(
        Partner.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )


def _managed(request, pk: int) -> Partner:
    """The partner, for someone who keeps it: 404 outside reach, 403 for those who only read."""
    partner = _visible(request, pk)
    if not Partner.objects.managed_by(request.user).filter(pk=partner.pk).exists():
        raise PermissionDenied
    return partner


@login_required
def partner_detail(request, pk: int):
    partner = _visible(request, pk)
    language = get_language() or "en"
    taxonomy = taxonomy_for(partner.organisation)
    manages = Partner.objects.managed_by(request.user).filter(pk=partner.pk).exists()
    engagements = list(
        partner.engagements.select_related("session__module_version__module", "module").order_by(
            "happened_on", "pk"
        )
    )
    session_ids = {e.session_id for e in engagements if e.session_id}
    module_ids = {e.module_id for e in engagements if e.module_id}
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "expertise": [taxonomy.label_or_code(code, language) for code in partner.expertise],
            "notes": render_markdown(partner.notes),
            "engagements": engagements,
            # Links only to what the reader may open.
            "sessions_shown": set(
                sessions_visible_to(request.user)
                .filter(pk__in=session_ids)
                .values_list("pk", flat=True)
            ),
            "modules_shown": set(
                Module.objects.visible_to(request.user)
                .filter(pk__in=module_ids)
                .values_list("pk", flat=True)
            ),
            "manages": manages,
            "contacts": Contact.objects.visible_to(request.user).filter(partner=partner)
            if manages
            else None,
        },
    )


def _save(request, form, message: str):
    with transaction.atomic():
        saved = form.save()
    messages.success(request, message)
    return saved


@login_required
def partner_add(request):
    if not manages_partners(request.user):
        raise PermissionDenied
    organisation = _person(request).organisation
    form = PartnerForm(
        request.POST or None, taxonomy=taxonomy_for(organisation), organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        partner = _save(request, form, _("Added the partner."))
        return redirect("partner", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": None})


@login_required
def partner_edit(request, pk: int):
    partner = _managed(request, pk)
    form = PartnerForm(
        request.POST or None,
        instance=partner,
        taxonomy=taxonomy_for(partner.organisation),
        organisation=partner.organisation,
    )
    if request.method == "POST" and form.is_valid():
        _save(request, form, _("Saved the partner."))
        return redirect("partner", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@login_required
def contact_form(request, pk: int, contact: int | None = None):
    partner = _managed(request, pk)
    instance = (
        get_object_or_404(Contact.objects.visible_to(request.user), partner=partner, pk=contact)
        if contact
        else Contact(partner=partner, recorded_by=_person(request))
    )
    form = ContactForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        _save(request, form, _("Saved the contact."))
        return redirect("partner", pk=partner.pk)
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "partner": partner, "contact": instance if contact else None},
    )


@login_required
def contact_delete(request, pk: int, contact: int):
    partner = _managed(request, pk)
    instance = get_object_or_404(
        Contact.objects.visible_to(request.user), partner=partner, pk=contact
    )
    if request.method == "POST":
        with transaction.atomic():
            instance.delete()
        messages.success(request, _("Deleted the contact and their details."))
        return redirect("partner", pk=partner.pk)
    return render(
        request,
        "partners/confirm_delete.html",
        {
            "partner": partner,
            "question": _("Delete the contact %(name)s and their details?")
            % {"name": instance.name},
        },
    )


@login_required
def engagement_form(request, pk: int, engagement: int | None = None):
    partner = _managed(request, pk)
    instance = (
        get_object_or_404(Engagement, partner=partner, pk=engagement)
        if engagement
        else Engagement(partner=partner, recorded_by=_person(request))
    )
    form = EngagementForm(
        request.POST or None,
        instance=instance,
        initial=None if engagement else {"happened_on": timezone.localdate()},
        partner=partner,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        _save(request, form, _("Saved the engagement."))
        return redirect("partner", pk=partner.pk)
    return render(
        request,
        "partners/engagement_form.html",
        {"form": form, "partner": partner, "engagement": instance if engagement else None},
    )


@login_required
def engagement_delete(request, pk: int, engagement: int):
    partner = _managed(request, pk)
    instance = get_object_or_404(Engagement, partner=partner, pk=engagement)
    if request.method == "POST":
        with transaction.atomic():
            instance.delete()
        messages.success(request, _("Deleted the engagement."))
        return redirect("partner", pk=partner.pk)
    return render(
        request,
        "partners/confirm_delete.html",
        {
            "partner": partner,
            # The title people wrote keeps its own direction inside the translated question.
            "question": mark_safe(  # noqa: S308 (the sentence and the title are both escaped)
                conditional_escape(_("Delete the engagement “%(title)s”?"))
                % {"title": format_html("<bdi>{}</bdi>", instance.title)}
            ),
        },
    )


@login_required
def partner_export(request):
    """The registry as filtered on the list, as CSV; contacts only of partners the reader
    manages, and no contacts column at all for those who manage none."""
    filtered = _filtered(Partner.objects.visible_to(request.user), request.GET, _taxonomy(request))
    partners = _with_counts(filtered).order_by("organisation__name", "name", "pk")
    contacts_of = None
    if manages_partners(request.user):
        by_partner: dict[int, list[Contact]] = {}
        for c in Contact.objects.visible_to(request.user).filter(partner__in=filtered):
            by_partner.setdefault(c.partner_id, []).append(c)

        def contacts_of(partner: Partner) -> list[Contact]:
            return by_partner.get(partner.pk, [])

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partners.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(
        csv_rows(partners, Taxonomies(), get_language() or "en", contacts_of)
    )
    return response
