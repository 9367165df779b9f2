"""Personal data stays inside an organisation: checked through HTTP, as a browser would ask."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("viewer", ["kenyan", "kenyan_coordinator"])
def test_member_cannot_open_another_organisations_person(network, login, viewer):
    client = login(network[viewer])
    for other in ("senegalese", "senegalese_nologin"):
        response = client.get(reverse("person", args=[network[other].pk]))
        assert response.status_code == 404
        assert network[other].family_name not in response.content.decode()


def test_member_sees_own_organisation_people_only_in_the_list(network, login):
    page = login(network["kenyan"]).get(reverse("people")).content.decode()
    assert "Kamau" in page and "Njeri" in page and "Odhiambo" in page
    assert "Diop" not in page and "Ndiaye" not in page and "Admin" not in page


def test_search_does_not_leak_other_organisations(network, login):
    page = login(network["kenyan"]).get(reverse("people"), {"q": "Diop"}).content.decode()
    assert "Awa Diop" not in page
    assert "Nobody matches this search." in page


def test_member_opens_a_colleague(network, login):
    response = login(network["kenyan"]).get(reverse("person", args=[network["kenyan_nologin"].pk]))
    assert response.status_code == 200
    assert "Achieng Njeri" in response.content.decode()


def test_other_organisation_page_shows_units_but_no_people(network, login):
    page = login(network["kenyan"]).get(reverse("organisation", args=["senegal-rc"]))
    text = page.content.decode()
    assert "Comité de Dakar" in text
    assert "Diop" not in text and "See the people" not in text


def test_network_admin_sees_people_across_the_network(network, login):
    client = login(network["admin"])
    page = client.get(reverse("people")).content.decode()
    assert "Diop" in page and "Kamau" in page
    assert client.get(reverse("person", args=[network["senegalese"].pk])).status_code == 200


def test_login_without_a_person_sees_nobody(network, client, django_user_model):
    django_user_model.objects.create_user("stray", password="a-long-test-password")
    client.login(username="stray", password="a-long-test-password")
    page = client.get(reverse("people")).content.decode()
    assert "No people yet." in page
    assert client.get(reverse("person", args=[network["kenyan"].pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(network, client):
    for url in (reverse("people"), reverse("person", args=[network["kenyan"].pk]), reverse("home")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
