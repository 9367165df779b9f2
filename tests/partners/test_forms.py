"""Keeping partners, contacts and engagements through the forms: what is saved, and the
specific error a person gets for bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from datacircle.partners.models import Contact, Engagement, Partner

VALID = {
    "name": "Savannah National Statistics Office",
    "kind": "government",
    "country": "KE",
    "website": "https://statistics.example.org",
    "relationship": "formal",
    "agreement_signed_on": "2025-06-01",
    "agreement_ends_on": "2027-05-31",
    "expertise": ["statistics", "open-data"],
    "notes": "Shares *census* tables.",
}


@pytest.fixture
def coordinator(network, login):
    return login(network["kenyan_coordinator"])


def errors_of(response) -> str:
    assert response.status_code == 200, "an invalid form is shown again"
    return response.content.decode()


def test_coordinator_adds_a_partner_and_sees_it(network, coordinator):
    response = coordinator.post(reverse("partner-add"), VALID)
    partner = Partner.objects.get(name=VALID["name"])
    assert response["Location"] == reverse("partner", args=[partner.pk])
    assert partner.organisation == network["kenya"]
    assert partner.expertise == ["statistics", "open-data"]
    assert partner.agreement_ends_on == date(2027, 5, 31)
    page = coordinator.get(response["Location"]).content.decode()
    assert "Statistics, Open data" in page
    assert "<em>census</em>" in page
    assert "signed on 1 June 2025" in page


def test_notes_are_rendered_without_script(network, partners, coordinator):
    page = coordinator.get(reverse("partner", args=[partners["savannah"].pk])).content.decode()
    assert "<strong>every quarter</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_unknown_skill_is_refused_with_its_name(coordinator):
    page = errors_of(
        coordinator.post(reverse("partner-add"), {**VALID, "expertise": ["astrology"]})
    )
    assert "“astrology” is not a skill of the taxonomy." in page
    assert not Partner.objects.exists()


def test_model_refuses_unknown_skills_too(network):
    partner = Partner(
        organisation=network["kenya"],
        name="X",
        kind="other",
        country="KE",
        expertise=["gis", "astrology"],
    )
    with pytest.raises(ValidationError) as raised:
        partner.full_clean()
    assert raised.value.message_dict["expertise"] == ["Not skills of the taxonomy: astrology."]


def test_agreement_cannot_end_before_it_was_signed(coordinator):
    page = errors_of(
        coordinator.post(
            reverse("partner-add"),
            {**VALID, "agreement_signed_on": "2026-03-01", "agreement_ends_on": "2026-02-28"},
        )
    )
    assert "The agreement cannot end before it was signed." in page
    assert not Partner.objects.exists()


def test_informal_relationship_has_no_agreement_dates(coordinator):
    page = errors_of(
        coordinator.post(reverse("partner-add"), {**VALID, "relationship": "informal"})
    )
    assert "Only a formal agreement has dates" in page
    assert not Partner.objects.exists()


def test_database_refuses_an_agreement_ending_before_signing(network):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(
            organisation=network["kenya"],
            name="X",
            kind="other",
            country="KE",
            relationship="formal",
            agreement_signed_on=date(2026, 3, 1),
            agreement_ends_on=date(2026, 1, 1),
        )


def test_same_name_twice_in_one_organisation_is_refused(partners, coordinator):
    page = errors_of(
        coordinator.post(
            reverse("partner-add"), {**VALID, "name": "savannah university data science lab"}
        )
    )
    assert "Your organisation already has a partner of this name." in page
    assert Partner.objects.filter(organisation=partners["savannah"].organisation).count() == 1


def test_editing_keeps_the_organisation_and_saves_changes(network, partners, coordinator):
    savannah = partners["savannah"]
    response = coordinator.post(
        reverse("partner-edit", args=[savannah.pk]),
        {**VALID, "name": savannah.name, "expertise": ["programming"]},
    )
    assert response.status_code == 302
    savannah.refresh_from_db()
    assert savannah.expertise == ["programming"]
    assert savannah.organisation == network["kenya"]


# ---------------------------------------------------------------- contacts

CONTACT = {
    "name": "Joy Kiprotich",
    "role": "Placements officer",
    "email": "joy@example.org",
    "phone": "+254 700 000 102",
    "consent_on": "2026-01-10",
    "consent_how": "form",
}


def test_contact_is_added_with_consent_and_who_recorded_it(network, partners, coordinator):
    savannah = partners["savannah"]
    response = coordinator.post(reverse("partner-contact-add", args=[savannah.pk]), CONTACT)
    assert response["Location"] == reverse("partner", args=[savannah.pk])
    contact = Contact.objects.get(name="Joy Kiprotich")
    assert contact.consent_on == date(2026, 1, 10) and contact.consent_how == "form"
    assert contact.recorded_by == network["kenyan_coordinator"]
    page = coordinator.get(response["Location"]).content.decode()
    assert "joy@example.org" in page and "Signed a consent form" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consent_on": ""}, "This field is required."),
        ({"consent_how": ""}, "This field is required."),
        ({"email": "", "phone": ""}, "Give an email address or a phone number to reach them."),
        ({"phone": "call me"}, "is not a phone number"),
        ({"email": "joy-at-example"}, "Enter a valid email address."),
    ],
)
def test_contact_needs_consent_and_a_way_to_reach_them(partners, coordinator, change, message):
    response = coordinator.post(
        reverse("partner-contact-add", args=[partners["savannah"].pk]), {**CONTACT, **change}
    )
    assert message in errors_of(response)
    assert not Contact.objects.filter(name="Joy Kiprotich").exists()


def test_consent_cannot_be_recorded_for_a_future_day(partners, coordinator):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = coordinator.post(
        reverse("partner-contact-add", args=[partners["savannah"].pk]),
        {**CONTACT, "consent_on": tomorrow.isoformat()},
    )
    assert "Consent cannot be recorded for a day that has not come yet." in errors_of(response)


def test_contact_is_edited_then_deleted(partners, coordinator):
    savannah = partners["savannah"]
    contact = savannah.contacts.get()
    edit = reverse("partner-contact-edit", args=[savannah.pk, contact.pk])
    coordinator.post(edit, {**CONTACT, "name": "Amani Wekesa", "role": "Dean"})
    contact.refresh_from_db()
    assert contact.role == "Dean"
    delete = reverse("partner-contact-delete", args=[savannah.pk, contact.pk])
    assert "Delete the contact Amani Wekesa" in coordinator.get(delete).content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists(), "asking is not deleting"
    coordinator.post(delete)
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_contact_of_another_partner_is_not_reached_through_this_one(network, partners, coordinator):
    other = Partner.objects.create(
        organisation=network["kenya"], name="Other", kind="other", country="KE"
    )
    contact = partners["savannah"].contacts.get()
    url = reverse("partner-contact-edit", args=[other.pk, contact.pk])
    assert coordinator.get(url).status_code == 404


# ---------------------------------------------------------------- engagements


@pytest.fixture
def sessions(network, db):
    """A Kenyan session and a Senegalese one of the same starter module."""
    from datacircle.library.models import ModuleVersion
    from datacircle.library.services import load_starter_library
    from datacircle.programme.models import Session

    load_starter_library()
    version = ModuleVersion.objects.get(module__slug="table-to-three-findings")

    def session(organisation, city):
        return Session.objects.create(
            organisation=organisation,
            module_version=version,
            starts_at=timezone.now() + timedelta(days=10),
            city=city,
            language="en",
            status="scheduled",
        )

    return {
        "kenya": session(network["kenya"], "Nairobi"),
        "senegal": session(network["senegal"], "Dakar"),
    }


def engagement_data(**change):
    return {
        "kind": "guest_talk",
        "title": "What a sample can tell you",
        "happened_on": "2026-03-12",
        "description": "",
        "session": "",
        "module": "",
        **change,
    }


def test_engagement_linked_to_a_session_and_a_module(network, partners, sessions, coordinator):
    savannah = partners["savannah"]
    module = sessions["kenya"].module_version.module
    response = coordinator.post(
        reverse("partner-engagement-add", args=[savannah.pk]),
        engagement_data(session=sessions["kenya"].pk, module=module.pk),
    )
    assert response["Location"] == reverse("partner", args=[savannah.pk])
    engagement = Engagement.objects.get()
    assert engagement.session == sessions["kenya"] and engagement.module == module
    assert engagement.recorded_by == network["kenyan_coordinator"]
    page = coordinator.get(response["Location"]).content.decode()
    assert reverse("programme-session", args=[sessions["kenya"].pk]) in page
    assert reverse("library-module", args=[module.pk]) in page
    assert "12 March 2026" in page


def test_session_of_another_organisation_cannot_be_chosen(partners, sessions, coordinator):
    form = coordinator.get(reverse("partner-engagement-add", args=[partners["savannah"].pk]))
    page = form.content.decode()
    offered = page[
        page.index('name="session"') : page.index("</select>", page.index('name="session"'))
    ]
    assert f'value="{sessions["kenya"].pk}"' in offered
    assert f'value="{sessions["senegal"].pk}"' not in offered
    response = coordinator.post(
        reverse("partner-engagement-add", args=[partners["savannah"].pk]),
        engagement_data(session=sessions["senegal"].pk),
    )
    assert "Select a valid choice" in errors_of(response)
    assert not Engagement.objects.exists()


def test_module_the_person_cannot_see_cannot_be_chosen(network, partners, sessions, coordinator):
    from datacircle.library.models import Module

    draft = Module.objects.create(
        organisation=network["senegal"],
        slug="brouillon",
        language="fr",
        title="Brouillon sénégalais",
        summary="…",
        level=1,
        duration=30,
        unplugged=True,
        source="",
    )
    response = coordinator.post(
        reverse("partner-engagement-add", args=[partners["savannah"].pk]),
        engagement_data(module=draft.pk),
    )
    assert "Select a valid choice" in errors_of(response)


def test_engagements_are_listed_in_date_order_with_counts(partners, coordinator):
    savannah = partners["savannah"]
    for title, day in [("Later talk", "2026-05-01"), ("Earlier mentoring", "2025-11-20")]:
        coordinator.post(
            reverse("partner-engagement-add", args=[savannah.pk]),
            engagement_data(title=title, happened_on=day),
        )
    page = coordinator.get(reverse("partner", args=[savannah.pk])).content.decode()
    assert page.index("Earlier mentoring") < page.index("Later talk")
    listing = coordinator.get(reverse("partners")).content.decode()
    row = listing[listing.index("Savannah University") :]
    assert '<td class="num">2</td>' in row[: row.index("</tr>")]


def test_engagement_is_edited_then_deleted(partners, coordinator):
    savannah = partners["savannah"]
    engagement = Engagement.objects.create(
        partner=savannah, kind="mentoring", title="Mentoring", happened_on=date(2026, 1, 5)
    )
    coordinator.post(
        reverse("partner-engagement-edit", args=[savannah.pk, engagement.pk]),
        engagement_data(kind="mentoring", title="Mentoring two officers"),
    )
    engagement.refresh_from_db()
    assert engagement.title == "Mentoring two officers"
    engagement.title = "Mentoring <two> officers?"
    engagement.save()
    delete = reverse("partner-engagement-delete", args=[savannah.pk, engagement.pk])
    assert (
        "<h1>Delete the engagement “<bdi>Mentoring &lt;two&gt; officers?</bdi>”?</h1>"
        in coordinator.get(delete).content.decode()
    )
    coordinator.post(reverse("partner-engagement-delete", args=[savannah.pk, engagement.pk]))
    assert not Engagement.objects.exists()
