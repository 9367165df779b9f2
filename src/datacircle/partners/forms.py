"""Forms of the partners registry: a partner, a contact (with consent), an engagement."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from datacircle.core.taxonomy import Taxonomy
from datacircle.library.models import Module
from datacircle.partners.models import Contact, Engagement, Partner
from datacircle.programme.models import Session
from datacircle.programme.sessions import sessions_visible_to


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PartnerForm(forms.ModelForm):
    """A partner of `organisation`; its areas of expertise are skills of that organisation's
    taxonomy."""

    expertise = forms.MultipleChoiceField(
        label=_("Areas of expertise"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("“%(value)s” is not a skill of the taxonomy."),
        },
    )

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "country",
            "website",
            "relationship",
            "agreement_signed_on",
            "agreement_ends_on",
            "expertise",
            "notes",
        ]
        widgets = {
            "agreement_signed_on": DateInput(),
            "agreement_ends_on": DateInput(),
            "relationship": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "agreement_signed_on": _("Only for a formal agreement."),
            "agreement_ends_on": _("Only for a formal agreement; empty if open-ended."),
            "notes": _("What they bring and how to work with them. Markdown."),
        }

    def __init__(self, *args, taxonomy: Taxonomy, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        language = get_language() or "en"
        choices = [(s.code, s.name(language)) for s in taxonomy.skills]
        # A skill recorded earlier that the taxonomy no longer has stays visible, to be dropped.
        known = {code for code, _name in choices}
        choices += [(code, code) for code in self.instance.expertise or [] if code not in known]
        self.fields["expertise"].choices = choices

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = Partner.objects.filter(
            organisation=self.instance.organisation, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Your organisation already has a partner of this name."))
        return name


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "consent_on", "consent_how"]
        widgets = {"consent_on": DateInput(), "consent_how": forms.RadioSelect}
        help_texts = {
            "consent_on": _(
                "Contact details are personal data: record them only once the person has "
                "agreed to be contacted."
            ),
        }


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        day = formats.date_format(timezone.localtime(obj.starts_at), "SHORT_DATE_FORMAT")
        return f"{day} · {obj.module_version.module.title}"


class EngagementForm(forms.ModelForm):
    """An engagement with a partner, linked to a session of the partner's organisation and/or a
    library module the person recording it can see."""

    session = SessionChoice(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("A session of your organisation's programmes, if it was part of one."),
    )
    module = forms.ModelChoiceField(
        label=_("Library module"),
        queryset=Module.objects.none(),
        required=False,
        help_text=_("A module they contributed to or that the engagement used."),
    )

    class Meta:
        model = Engagement
        fields = ["kind", "title", "happened_on", "description", "session", "module"]
        widgets = {
            "happened_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, partner: Partner, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        self.fields["session"].queryset = (
            sessions_visible_to(user)
            .filter(organisation_id=partner.organisation_id)
            .filter(~Q(status=Session.Status.CANCELLED) | Q(pk=self.instance.session_id))
            .select_related("module_version__module")
            .order_by("-starts_at")
        )
        self.fields["module"].queryset = (
            Module.objects.visible_to(user).only("pk", "title").order_by("title", "pk")
        )
