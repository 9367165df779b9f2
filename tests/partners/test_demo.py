"""The demo partners: invented partners of several organisations, contacts with consent, and
engagements linked to the Kenyan programme's sessions and to library modules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from datacircle.accounts.demo import load_network
from datacircle.accounts.models import Organisation, Person
from datacircle.core.demo import build_network
from datacircle.partners.demo import load_demo
from datacircle.partners.models import Contact, Engagement, Partner


@pytest.fixture
def demo_network(db):
    """The demo network, the library demo, and a small published Kenyan programme (made here
    rather than planned, which the programme's own tests cover)."""
    from datacircle.library.demo import load_demo as load_library
    from datacircle.library.models import ModuleVersion
    from datacircle.programme.models import Programme, Session

    load_network(build_network(people=150, seed=7))
    load_library()
    kenya = Organisation.objects.get(slug="kenya-rc")
    programme = Programme.objects.create(
        organisation=kenya,
        title="Data sessions",
        starts_on=timezone.localdate(),
        timezone="Africa/Nairobi",
        status="published",
    )
    for days, slug in enumerate(
        ["spreadsheet-habits", "table-to-three-findings", "mapping-a-data-flow"], start=3
    ):
        Session.objects.create(
            programme=programme,
            organisation=kenya,
            module_version=ModuleVersion.objects.filter(module__slug=slug).first(),
            starts_at=timezone.now() + timedelta(days=days),
            language="en",
            status="scheduled",
        )
    return kenya


def test_demo_partners_span_organisations_kinds_and_relationships(demo_network):
    summary = load_demo()
    assert summary == {
        "partners": Partner.objects.count(),
        "contacts": Contact.objects.count(),
        "engagements": Engagement.objects.count(),
    }
    assert 8 <= summary["partners"] <= 14
    keepers = set(Partner.objects.values_list("organisation__slug", flat=True))
    assert {"kenya-rc", "senegal-rc", "lebanese-rc"} <= keepers
    assert set(Partner.objects.values_list("kind", flat=True)) == set(Partner.Kind.values)
    assert set(Partner.objects.values_list("relationship", flat=True)) == {"formal", "informal"}
    assert Partner.objects.filter(kind="government", organisation=demo_network).exists()
    for partner in Partner.objects.all():
        partner.full_clean()  # expertise in the taxonomy, dates in order
        assert partner.expertise


def test_demo_contacts_have_consent_and_invented_addresses(demo_network):
    load_demo()
    contacts = list(Contact.objects.all())
    assert len(contacts) >= 5
    for contact in contacts:
        assert contact.consent_on <= timezone.localdate() and contact.consent_how
        assert contact.email.endswith("@example.org")
        keeper = contact.recorded_by
        if keeper is not None:  # an organisation of the demo may have no coordinator
            assert keeper.role == Person.Role.COORDINATOR
            assert keeper.organisation_id == contact.partner.organisation_id
    kenyan = Contact.objects.filter(partner__organisation=demo_network)
    assert kenyan.exists() and not kenyan.filter(recorded_by__isnull=True).exists()


def test_demo_engagements_link_kenyan_sessions_and_modules(demo_network):
    load_demo()
    at_sessions = Engagement.objects.filter(session__isnull=False)
    assert at_sessions.count() == 3
    assert {e.session.organisation for e in at_sessions} == {demo_network}
    assert len({e.session_id for e in at_sessions}) == 3, "one guest at each session"
    assert all(e.partner.organisation == demo_network for e in at_sessions)
    with_modules = Engagement.objects.filter(module__isnull=False)
    assert with_modules.count() >= 6
    assert with_modules.filter(module__organisation=demo_network).exists(), "Kenya's adaptation"
    assert Engagement.objects.filter(partner__organisation__slug="senegal-rc").exists()


def test_same_seed_same_demo(demo_network):
    def snapshot():
        return sorted(
            Engagement.objects.values_list("partner__name", "title", "happened_on", "session_id")
        ), sorted(Partner.objects.values_list("name", "agreement_signed_on"))

    load_demo(seed=11)
    first = snapshot()
    Partner.objects.all().delete()
    load_demo(seed=11)
    assert snapshot() == first


def test_demo_without_a_programme_skips_the_session_talks(db):
    load_network(build_network(people=60, seed=3))
    summary = load_demo()
    assert summary["partners"] >= 8
    assert not Engagement.objects.filter(session__isnull=False).exists()
    assert summary["engagements"] == Engagement.objects.count() > 0
