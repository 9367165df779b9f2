"""The module editor as plain forms (works without JavaScript), and the import form."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from datacircle.accounts.models import LANGUAGE_CHOICES
from datacircle.core import modules as core
from datacircle.core.taxonomy import Taxonomy

KINDS = [
    ("discussion", _("Discussion")),
    ("exercise", _("Exercise")),
    ("game", _("Game")),
    ("presentation", _("Presentation")),
    ("reflection", _("Reflection")),
    ("close", _("Close")),
]
LEVELS = [(0, _("None")), (1, _("Aware")), (2, _("Can do with help")), (3, _("Can do alone"))]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 2})
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    skills = forms.MultipleChoiceField(
        label=_("Skills"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    level = forms.TypedChoiceField(label=_("For people who are now at"), choices=LEVELS, coerce=int)
    duration = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=240)
    unplugged = forms.BooleanField(label=_("No laptops needed"), required=False)
    outcomes = forms.CharField(
        label=_("Learning outcomes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: “Participants will be able to …” with a verb you can observe."),
    )
    materials = forms.CharField(
        label=_("Materials"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )
    body = forms.CharField(
        label=_("Facilitator notes (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
    )
    contributors = forms.CharField(
        label=_("Contributors"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One name per line, as they agree to be credited."),
    )
    licence = forms.CharField(label=_("Licence"), max_length=40, initial="CC-BY-4.0")
    disabled_rules = forms.CharField(
        label=_("Design rules switched off"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line: the rule's code, then why it does not apply (DC006 …)."),
    )

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.fields["skills"].choices = [(s.code, s.name(language)) for s in taxonomy.skills]

    @classmethod
    def initial_from(cls, m: core.Module) -> dict:
        return {
            "title": m.title,
            "summary": m.summary,
            "language": m.language,
            "skills": list(m.skills),
            "level": m.level,
            "duration": m.duration,
            "unplugged": m.unplugged,
            "outcomes": "\n".join(m.outcomes),
            "materials": "\n".join(m.materials),
            "body": m.body,
            "contributors": "\n".join(m.contributors),
            "licence": m.licence,
            "disabled_rules": "\n".join(f"{k} {v}".strip() for k, v in m.lint_disabled.items()),
        }

    def clean_disabled_rules(self) -> dict[str, str]:
        disabled = {}
        for line in lines(self.cleaned_data.get("disabled_rules", "")):
            rule, _space, reason = line.partition(" ")
            disabled[rule.strip().upper()] = reason.strip()
        return disabled


class ActivityForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=240)
    # An empty first choice keeps an untouched extra row unchanged, so it is skipped.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *KINDS])
    participatory = forms.BooleanField(label=_("Participatory"), required=False)
    title = forms.CharField(label=_("Activity"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


AgendaFormSet = forms.formset_factory(ActivityForm, extra=2, can_delete=True, max_num=20)


def build_module(form: ModuleForm, agenda, base: core.Module) -> core.Module:
    """The edited module: the form's fields over the identity and provenance of `base`."""
    data = form.cleaned_data
    activities = tuple(
        core.Activity(
            minutes=row["minutes"],
            kind=row["kind"],
            participatory=row["participatory"],
            title=row["title"].strip(),
            description=(row.get("description") or "").strip(),
        )
        for row in agenda.cleaned_data
        if row and not row.get("DELETE")
    )
    return core.Module(
        id=base.id,
        organisation=base.organisation,
        title=data["title"].strip(),
        summary=" ".join(data["summary"].split()),
        language=data["language"],
        skills=tuple(data["skills"]),
        level=data["level"],
        duration=data["duration"],
        unplugged=data["unplugged"],
        outcomes=lines(data["outcomes"]),
        agenda=activities,
        materials=lines(data["materials"]),
        licence=data["licence"].strip() or "CC-BY-4.0",
        contributors=lines(data["contributors"]),
        derived_from=base.derived_from,
        translation_of=base.translation_of,
        status=base.status,
        version=base.version,
        lint_disabled=data["disabled_rules"],
        body=data["body"].replace("\r\n", "\n"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Module file or bundle"),
        help_text=_("A module's .md file, or a .zip of several."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".md", ".zip")):
            raise forms.ValidationError(_("Choose a .md module file or a .zip bundle."))
        return upload
