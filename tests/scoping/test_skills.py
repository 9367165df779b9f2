"""An organisation's taxonomy: built-in skills, plus its own skills and wording."""

from __future__ import annotations

from django.urls import reverse

from datacircle.core.xlsform import validate_xlsform
from datacircle.scoping import services
from datacircle.scoping.exports import xlsform_bytes


def test_coordinator_adds_a_skill_used_by_forms_and_coding(network, login, round, tmp_path):
    client = login(network["kenyan_coordinator"])
    page = client.post(
        reverse("scoping-skills"),
        {
            "code": "mobile-money",
            "label_en": "Mobile money data",
            "label_fr": "Données mobile money",
            "synonyms": "mpesa, m-pesa",
        },
    )
    assert page.status_code == 302
    taxonomy = services.taxonomy_for(network["kenya"])
    assert (
        "mobile-money" in taxonomy
        and taxonomy.label("mobile-money", "fr") == "Données mobile money"
    )
    assert "mobile-money" not in services.taxonomy_for(network["senegal"])  # only Kenya's
    listing = client.get(reverse("scoping-skills")).content.decode()
    assert "Mobile money data" in listing and "added by your organisation" in listing
    # The public questionnaire and the XLSForm ask about it too.
    assert (
        "Mobile money data"
        in client.get(reverse("scoping-questionnaire", args=[round.token])).content.decode()
    )
    form = tmp_path / "form.xlsx"
    form.write_bytes(xlsform_bytes(round))
    assert "learn_level_mobile-money" in validate_xlsform(form)


def test_rewording_keeps_the_code(network, login):
    client = login(network["kenyan_coordinator"])
    client.post(reverse("scoping-skills"), {"code": "gis", "label_en": "Mapping"})
    taxonomy = services.taxonomy_for(network["kenya"])
    assert taxonomy.label("gis") == "Mapping"
    assert taxonomy.skill("gis").builtin


def test_new_skill_needs_a_name_and_members_cannot_edit(network, login):
    client = login(network["kenyan_coordinator"])
    page = client.post(reverse("scoping-skills"), {"code": "new-thing"})
    assert "A new skill needs at least an English name." in page.content.decode()
    member = login(network["kenyan"])
    assert member.get(reverse("scoping-skills")).status_code == 200
    assert member.post(reverse("scoping-skills"), {"code": "x", "label_en": "X"}).status_code == 403
