"""Who sees which partners and contacts, and who may change them — through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from datacircle.partners.models import Contact, Partner


def detail(client, partner):
    return client.get(reverse("partner", args=[partner.pk]))


def test_signing_in_is_needed(client, partners):
    response = client.get(reverse("partners"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("partners-export")).status_code == 302


def test_member_sees_their_organisations_partners_without_contacts(network, partners, login):
    client = login(network["kenyan"])
    listing = client.get(reverse("partners")).content.decode()
    assert "Savannah University Data Science Lab" in listing
    assert "Collectif Carto Libre Dakar" not in listing, "Senegal's partner is out of reach"
    assert "Add a partner" not in listing
    page = detail(client, partners["savannah"]).content.decode()
    assert "Analysing data, Statistics" in page
    assert "Amani Wekesa" not in page and "amani.wekesa@example.org" not in page
    assert "+254 700 000 101" not in page
    assert "Contacts" not in page
    assert reverse("partner-edit", args=[partners["savannah"].pk]) not in page


def test_partner_outside_reach_is_not_found(network, partners, login):
    client = login(network["kenyan"])
    assert detail(client, partners["dakar"]).status_code == 404


def test_member_cannot_edit_or_touch_contacts(network, partners, login):
    client = login(network["kenyan"])
    savannah = partners["savannah"]
    contact = savannah.contacts.get()
    assert client.get(reverse("partner-edit", args=[savannah.pk])).status_code == 403
    response = client.post(
        reverse("partner-edit", args=[savannah.pk]),
        {"name": "Renamed", "kind": "business", "country": "KE", "relationship": "informal"},
    )
    assert response.status_code == 403
    assert Partner.objects.get(pk=savannah.pk).name == "Savannah University Data Science Lab"
    for name, args in [
        ("partner-contact-add", [savannah.pk]),
        ("partner-contact-edit", [savannah.pk, contact.pk]),
        ("partner-engagement-add", [savannah.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert (
        client.post(reverse("partner-contact-delete", args=[savannah.pk, contact.pk])).status_code
        == 403
    )
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert client.get(reverse("partner-add")).status_code == 403


def test_coordinator_sees_contacts_and_may_edit(network, partners, login):
    client = login(network["kenyan_coordinator"])
    page = detail(client, partners["savannah"]).content.decode()
    assert "Amani Wekesa" in page and "amani.wekesa@example.org" in page
    assert "Lab director" in page
    assert reverse("partner-edit", args=[partners["savannah"].pk]) in page
    assert client.get(reverse("partner-edit", args=[partners["savannah"].pk])).status_code == 200


def test_other_organisations_coordinator_cannot_see_or_edit(
    network, partners, senegal_coordinator, login
):
    client = login(senegal_coordinator)
    savannah = partners["savannah"]
    contact = savannah.contacts.get()
    assert detail(client, savannah).status_code == 404
    response = client.post(
        reverse("partner-edit", args=[savannah.pk]),
        {"name": "Taken over", "kind": "other", "country": "SN", "relationship": "informal"},
    )
    assert response.status_code == 404
    assert Partner.objects.get(pk=savannah.pk).name == "Savannah University Data Science Lab"
    response = client.post(reverse("partner-contact-delete", args=[savannah.pk, contact.pk]))
    assert response.status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()
    # Their own partner's contacts they do see.
    assert "ousmane.ba@example.org" in detail(client, partners["dakar"]).content.decode()


def test_network_admin_sees_every_partner_but_not_other_organisations_contacts(
    network, partners, login
):
    client = login(network["admin"])
    listing = client.get(reverse("partners")).content.decode()
    assert "Savannah University Data Science Lab" in listing
    assert "Collectif Carto Libre Dakar" in listing
    page = detail(client, partners["dakar"]).content.decode()
    assert "Collectif Carto Libre Dakar" in page
    assert "ousmane.ba@example.org" not in page
    assert client.get(reverse("partner-edit", args=[partners["dakar"].pk])).status_code == 403


@pytest.mark.parametrize("who", ["admin", "kenyan_coordinator"])
def test_coordinators_and_admins_add_partners_for_their_own_organisation(network, login, who):
    client = login(network[who])
    response = client.post(
        reverse("partner-add"),
        {
            "name": "Kilele Mobile",
            "kind": "business",
            "country": "KE",
            "relationship": "informal",
            "expertise": ["data-protection"],
        },
    )
    partner = Partner.objects.get(name="Kilele Mobile")
    assert response["Location"] == reverse("partner", args=[partner.pk])
    assert partner.organisation == network[who].organisation
