"""Pages for the network's organisations and the people a user may see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from datacircle.accounts.forms import PersonForm
from datacircle.accounts.models import Organisation, Person, manages_people

PAGE_SIZE = 50


@login_required
def people(request):
    visible = Person.objects.visible_to(request.user).select_related("organisation", "unit")
    query = request.GET.get("q", "").strip()
    if query:
        visible = visible.filter(
            Q(given_name__icontains=query)
            | Q(family_name__icontains=query)
            | Q(unit__name__icontains=query)
        )
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    own = getattr(request.user, "person", None)
    context = {
        "page": page,
        "query": query,
        "across_network": own is None or own.role == Person.Role.NETWORK_ADMIN,
        "can_add": manages_people(request.user),
    }
    return render(request, "accounts/people.html", context)


@login_required
def person_detail(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organisation", "unit"), pk=pk
    )
    can_edit = Person.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(request, "accounts/person.html", {"person": person, "can_edit": can_edit})


@login_required
def person_edit(request, pk: int | None = None):
    editable = Person.objects.editable_by(request.user)
    if pk is None:
        if not manages_people(request.user):
            raise PermissionDenied
        person = None
    else:
        person = get_object_or_404(editable, pk=pk)
    form = PersonForm(request.POST or None, instance=person, editor=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Saved %(name)s.") % {"name": saved.full_name})
        return redirect("person", pk=saved.pk)
    return render(request, "accounts/person_form.html", {"form": form, "person": person})


@login_required
def organisations(request):
    # The directory of organisations is shared network knowledge, not personal data.
    rows = Organisation.objects.select_related("parent").annotate(unit_total=Count("units"))
    return render(request, "accounts/organisations.html", {"organisations": rows})


@login_required
def organisation_detail(request, slug: str):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    # People are counted only for those who may see them: the whole organisation or nobody.
    visible = Person.objects.visible_to(request.user).filter(organisation=organisation)
    can_see_people = visible.exists()
    units = organisation.units.all()
    if can_see_people:
        units = units.annotate(people_total=Count("people"))
    context = {
        "organisation": organisation,
        "units": units,
        "children": organisation.children.all(),
        "can_see_people": can_see_people,
    }
    return render(request, "accounts/organisation.html", context)
