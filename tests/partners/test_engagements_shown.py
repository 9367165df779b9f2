"""Partners' engagements on the pages of the session and the module they are linked to, for
those who may see the partner."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from datacircle.partners.models import Engagement

LINE = "With <bdi>Savannah University Data Science Lab</bdi> — guest talk, 12 March 2026"


@pytest.fixture
def linked(network, partners):
    """A scheduled Kenyan session of "From a table to three findings", with Savannah's guest
    talk linked to the session and a content contribution linked to the module."""
    from datacircle.library.models import ModuleVersion
    from datacircle.library.services import load_starter_library
    from datacircle.programme.models import Session

    load_starter_library()
    version = ModuleVersion.objects.get(module__slug="table-to-three-findings")
    session = Session.objects.create(
        organisation=network["kenya"],
        module_version=version,
        starts_at=timezone.now() + timedelta(days=5),
        city="Nairobi",
        language="en",
        status="scheduled",
    )
    savannah = partners["savannah"]
    Engagement.objects.create(
        partner=savannah,
        kind="guest_talk",
        title="What a sample can tell you",
        happened_on=date(2026, 3, 12),
        session=session,
    )
    Engagement.objects.create(
        partner=savannah,
        kind="content",
        title="Examples from the census",
        happened_on=date(2026, 1, 20),
        module=version.module,
    )
    return {"session": session, "module": version.module, "savannah": savannah}


def test_session_page_names_the_partner_and_what_they_did(network, linked, login):
    client = login(network["kenyan"])
    page = client.get(reverse("programme-session", args=[linked["session"].pk])).content.decode()
    assert LINE in page
    assert "What a sample can tell you" in page
    assert reverse("partner", args=[linked["savannah"].pk]) in page
    assert "Examples from the census" not in page, "linked to the module, not this session"


def test_module_page_lists_its_engagements_in_date_order(network, linked, partners, login):
    Engagement.objects.create(
        partner=linked["savannah"],
        kind="mentoring",
        title="Mentoring on the exercise",
        happened_on=date(2025, 12, 1),
        module=linked["module"],
    )
    client = login(network["kenyan"])
    page = client.get(reverse("library-module", args=[linked["module"].pk])).content.decode()
    assert (
        "With <bdi>Savannah University Data Science Lab</bdi> — content contribution, 20 January 2026"
        in page
    )
    assert page.index("Mentoring on the exercise") < page.index("Examples from the census")
    assert "What a sample can tell you" not in page


def test_module_page_hides_partners_outside_the_viewers_reach(network, linked, partners, login):
    Engagement.objects.create(
        partner=partners["dakar"],
        kind="joint_event",
        title="Cartopartie à Dakar",
        happened_on=date(2026, 2, 2),
        module=linked["module"],
    )
    kenyan = login(network["kenyan"]).get(reverse("library-module", args=[linked["module"].pk]))
    assert "Cartopartie à Dakar" not in kenyan.content.decode()
    assert "Examples from the census" in kenyan.content.decode()
    senegalese = login(network["senegalese"]).get(
        reverse("library-module", args=[linked["module"].pk])
    )
    page = senegalese.content.decode()
    assert "Cartopartie à Dakar" in page
    assert "Savannah University" not in page


def test_nothing_is_shown_without_engagements(network, linked, login):
    Engagement.objects.all().delete()
    client = login(network["kenyan"])
    page = client.get(reverse("programme-session", args=[linked["session"].pk])).content.decode()
    assert "partner-engagements-heading" not in page


def test_tag_refuses_other_objects(rf, network):
    request = rf.get("/")
    request.user = network["kenyan"].user
    template = Template("{% load partners %}{% engagements_for thing %}")
    with pytest.raises(TypeError):
        template.render(Context({"request": request, "thing": network["kenya"]}))
