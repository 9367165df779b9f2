"""Loading the generated demo network: complete, consistent, logins that work, all or nothing."""

import pytest
from django.db.models import Count, F

from datacircle.accounts.demo import DEMO_PASSWORD, load_network
from datacircle.accounts.models import Organisation, Person, Unit
from datacircle.core.demo import DEMO_LOGINS, build_network


@pytest.fixture
def demo(db):
    network = build_network(people=300, seed=7)
    return network, load_network(network)


def test_everything_generated_is_stored(demo):
    network, summary = demo
    assert Organisation.objects.count() == len(network.organisations) == summary["organisations"]
    assert Unit.objects.count() == len(network.units)
    assert Person.objects.count() == 300
    for demo_org in network.organisations:
        stored = Organisation.objects.get(slug=demo_org.key)
        assert (stored.parent.slug if stored.parent else None) == demo_org.parent
        assert stored.country.code == demo_org.country


def test_every_person_sits_in_a_unit_of_their_own_organisation(demo):
    mismatched = Person.objects.exclude(unit__organisation=F("organisation"))
    assert not mismatched.exists()


def test_demo_logins_work_and_carry_their_role(demo, client):
    _network, summary = demo
    assert [login for login, _role, _org in summary["logins"]] == [
        login for login, *_ in DEMO_LOGINS
    ]
    for login, role, organisation_key, _description in DEMO_LOGINS:
        person = Person.objects.select_related("organisation").get(user__username=login)
        assert person.role == role
        assert person.organisation.slug == organisation_key
        assert client.login(username=login, password=DEMO_PASSWORD)


def test_a_failed_load_leaves_nothing_behind(db):
    network = build_network(people=300, seed=7)

    def fail(_n):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        load_network(network, advance=fail)
    assert Organisation.objects.count() == 0
    assert Person.objects.count() == 0


def test_people_spread_over_several_national_societies(demo):
    per_society = (
        Person.objects.filter(organisation__kind="national_society")
        .values("organisation")
        .annotate(total=Count("id"))
    )
    assert len(per_society) >= 5
