"""Validation rules a coordinator meets when editing organisations and people."""

import pytest
from django.core.exceptions import ValidationError

from datacircle.accounts.models import Person


def test_unit_must_belong_to_the_persons_organisation(network):
    person = network["kenyan"]
    person.unit = network["senegalese"].unit
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "unit" in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "is not a known time zone"),
        ("languages", ["en", "xx"], "Unknown language code: xx"),
        ("languages", [], "at least one language"),
    ],
)
def test_person_fields_reject_bad_values_with_a_reason(network, field, value, message):
    person = network["kenyan"]
    setattr(person, field, value)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_organisation_cannot_be_its_own_ancestor(network):
    ifrc = network["ifrc"]
    ifrc.parent = network["kenya"]
    with pytest.raises(ValidationError) as error:
        ifrc.full_clean()
    assert "parent" in error.value.message_dict


def test_person_without_login_is_a_full_person(network):
    person = Person.objects.get(pk=network["senegalese_nologin"].pk)
    assert person.user is None
    assert person.full_name == "Moussa Ndiaye"
    assert person.languages == ["fr", "ar"]
