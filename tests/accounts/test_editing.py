"""Coordinators look after their organisation's people; members only read."""

from django.urls import reverse

from datacircle.accounts.models import Person


def form_data(network, **changes):
    data = {
        "given_name": "Fatuma",
        "family_name": "Hassan",
        "email": "fatuma@example.org",
        "organisation": network["kenya"].pk,
        "unit": network["kenyan"].unit_id,
        "kind": "staff",
        "role": "facilitator",
        "languages": ["en", "ar"],
        "timezone": "Africa/Nairobi",
    }
    data.update(changes)
    return data


def test_coordinator_adds_a_person_without_a_login(network, login):
    client = login(network["kenyan_coordinator"])
    response = client.post(reverse("person-add"), form_data(network))
    added = Person.objects.get(family_name="Hassan")
    assert response.status_code == 302 and response["Location"] == reverse(
        "person", args=[added.pk]
    )
    assert added.organisation == network["kenya"] and added.user is None
    assert added.languages == ["en", "ar"]
    assert "Saved Fatuma Hassan." in client.get(response["Location"]).content.decode()


def test_coordinator_cannot_add_into_another_organisation(network, login):
    client = login(network["kenyan_coordinator"])
    response = client.post(
        reverse("person-add"), form_data(network, organisation=network["senegal"].pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(family_name="Hassan").exists()


def test_coordinator_cannot_hand_out_network_admin(network, login):
    response = login(network["kenyan_coordinator"]).post(
        reverse("person-add"), form_data(network, role="network_admin")
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(family_name="Hassan").exists()


def test_bad_values_come_back_with_reasons(network, login):
    response = login(network["kenyan_coordinator"]).post(
        reverse("person-add"), form_data(network, timezone="Nairobi", languages=[])
    )
    page = response.content.decode()
    assert "is not a known time zone" in page
    assert "Give at least one language." in page


def test_coordinator_cannot_edit_another_organisations_person(network, login):
    client = login(network["kenyan_coordinator"])
    url = reverse("person-edit", args=[network["senegalese"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(network)).status_code == 404
    assert Person.objects.get(pk=network["senegalese"].pk).family_name == "Diop"


def test_coordinator_sees_the_edit_link_for_a_colleague(network, login):
    colleague = network["kenyan_nologin"]
    page = login(network["kenyan_coordinator"]).get(reverse("person", args=[colleague.pk]))
    assert reverse("person-edit", args=[colleague.pk]) in page.content.decode()


def test_member_reads_but_does_not_edit(network, login):
    client = login(network["kenyan"])
    assert client.get(reverse("person-add")).status_code == 403
    colleague = network["kenyan_nologin"]
    assert client.get(reverse("person-edit", args=[colleague.pk])).status_code == 404
    page = client.get(reverse("person", args=[colleague.pk])).content.decode()
    assert reverse("person-edit", args=[colleague.pk]) not in page


def test_network_admin_edits_across_the_network(network, login):
    client = login(network["admin"])
    person = network["senegalese_nologin"]
    response = client.post(
        reverse("person-edit", args=[person.pk]),
        form_data(
            network,
            given_name="Moussa",
            family_name="Ndiaye",
            organisation=network["senegal"].pk,
            unit=person.unit_id,
            languages=["fr"],
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.languages == ["fr"] and person.role == "facilitator"


def test_unit_must_match_the_organisation(network, login):
    response = login(network["admin"]).post(
        reverse("person-add"), form_data(network, unit=network["senegalese"].unit_id)
    )
    assert "The unit must belong to the person" in response.content.decode()
