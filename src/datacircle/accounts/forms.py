"""Forms for adding and changing people, limited to what the editing user may assign."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from datacircle.accounts.models import LANGUAGE_CHOICES, Organisation, Person, Unit


class PersonForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every language this person works in."),
        error_messages={"required": _("Give at least one language.")},
    )

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "email",
            "organisation",
            "unit",
            "kind",
            "role",
            "languages",
            "timezone",
        ]
        help_texts = {"timezone": _("For example Africa/Nairobi or America/Bogota.")}

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        own = getattr(editor, "person", None)
        across_network = editor.is_superuser or (own and own.role == Person.Role.NETWORK_ADMIN)
        if across_network:
            self.fields["unit"].queryset = Unit.objects.select_related("organisation")
            self.fields["unit"].label_from_instance = lambda unit: (
                f"{unit.organisation.short_name or unit.organisation.name} – {unit.name}"
            )
        else:
            # Coordinators work inside their own organisation and cannot hand out network rights.
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk=own.organisation_id
            )
            self.fields["organisation"].initial = own.organisation_id
            self.fields["unit"].queryset = Unit.objects.filter(organisation_id=own.organisation_id)
            self.fields["role"].choices = [
                choice for choice in Person.Role.choices if choice[0] != Person.Role.NETWORK_ADMIN
            ]
