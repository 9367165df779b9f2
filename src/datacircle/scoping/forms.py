"""Forms: the public questionnaire (built from the questionnaire data), rounds, uploads, coding."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from datacircle.core.questionnaire import SKILL_QUESTIONS, Questionnaire, builtin_questionnaire
from datacircle.core.taxonomy import LANGUAGES, Taxonomy
from datacircle.scoping.models import Round

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class QuestionnaireForm(forms.Form):
    """The scoping questionnaire as a plain HTML form: works on a phone without JavaScript.

    The public link takes answers from anyone, so it carries a honeypot: a field hidden from
    people (and from screen readers) that form-filling robots fill in; such posts are dropped.
    """

    honeypot = "website"

    def __init__(
        self,
        *args,
        questionnaire: Questionnaire | None = None,
        taxonomy: Taxonomy,
        units: list[str],
        country: str = "",
        offer_profile: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire or builtin_questionnaire()
        self.taxonomy = taxonomy
        language = get_language() or "en"
        qn = self.questionnaire
        for q in qn.questions:
            label = q.text(language)
            if q.type == "consent":
                self.fields[q.name] = forms.ChoiceField(
                    label=label,
                    choices=[(c.code, c.name(language)) for c in qn.choices(q)],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please say whether you agree.")},
                )
            elif q.name == "unit" and units:
                self.fields[q.name] = forms.ChoiceField(
                    label=label, required=False, choices=[("", "—"), *[(u, u) for u in units]]
                )
            elif q.type == "text":
                self.fields[q.name] = forms.CharField(label=label, required=False, max_length=200)
            elif q.type == "country":
                self.fields[q.name] = forms.ChoiceField(
                    label=label, required=False, choices=[("", "—"), *countries], initial=country
                )
            elif q.type == "select_one":
                self.fields[q.name] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), *[(c.code, c.name(language)) for c in qn.choices(q)]],
                )
            elif q.type == "select_multiple":
                self.fields[q.name] = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=[(c.code, c.name(language)) for c in qn.choices(q)],
                    widget=forms.CheckboxSelectMultiple,
                )
            elif q.type == "skills":
                no = _("No")
                for skill in taxonomy.skills:
                    levels = [(str(v), taxonomy.level_label(v, language)) for v in q.levels]
                    self.fields[f"{q.name}_level_{skill.code}"] = forms.ChoiceField(
                        label=skill.name(language),
                        required=False,
                        choices=[("", no), *levels],
                    )
            if q.other:
                self.fields[q.other] = forms.CharField(
                    label=_("Other (please say which)"), required=False, max_length=300
                )
        if offer_profile:
            # Answers stay anonymous; only a signed-in person's explicit "yes" copies their
            # skills (never the rest) into their own learning profile.
            self.fields["fill_profile"] = forms.BooleanField(
                label=_("Also use my skill answers for my peer-learning profile"),
                help_text=_(
                    "Your answers above stay anonymous. With this ticked, the skills you want "
                    "to learn and can share also replace those in your learning profile, which "
                    "your coordinators see and use to find you a peer."
                ),
                required=False,
            )

    def sections(self):
        """The form's fields grouped as the questionnaire groups them, for the template."""
        language = get_language() or "en"
        qn = self.questionnaire
        for group in qn.groups:
            items = []
            for q in qn.questions:
                if q.group != group.name:
                    continue
                if q.type == "skills":
                    items.append(
                        {
                            "question": q.text(language),
                            "skills": [
                                self[f"{q.name}_level_{s.code}"] for s in self.taxonomy.skills
                            ],
                            "help": _("Choose your current level for each skill, or leave “No”."),
                        }
                    )
                else:
                    items.append({"field": self[q.name]})
                if q.other:
                    items.append({"field": self[q.other]})
            yield {"label": group.label.get(language) or group.label["en"], "items": items}

    @property
    def consented(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("consent") == "yes"

    @property
    def from_robot(self) -> bool:
        return bool(self.data.get(self.honeypot, "").strip())

    def canonical_row(self) -> dict:
        """The answers as one row of the canonical frame."""
        data = self.cleaned_data
        qn = self.questionnaire
        row: dict = {
            "uuid": f"web:{uuid.uuid4()}",
            "submitted_at": datetime.now(UTC),
            "consent": True,
            "organisation": None,
            "unit": data.get("unit") or None,
            "role": data.get("role") or None,
            "country": data.get("country") or None,
        }
        for q in qn.multi_choice_questions():
            chosen = set(data.get(q.name) or ())
            for c in qn.choices(q):
                row[f"{q.name}.{c.code}"] = c.code in chosen
        for name in SKILL_QUESTIONS:
            for code in self.taxonomy.codes:
                level = data.get(f"{name}_level_{code}") or ""
                row[f"{name}.{code}"] = level != ""
                row[f"{name}_level.{code}"] = int(level) if level != "" else None
        for name in qn.text_columns():
            if name not in row:
                row[name] = (data.get(name) or "").strip() or None
        return row


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "slug", "status", "opens_on", "closes_on", "min_cell", "baseline"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        earlier = Round.objects.filter(organisation=organisation)
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["baseline"].queryset = earlier
        self.fields["baseline"].required = False

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Round.objects.filter(organisation=self.organisation, slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Another round of this organisation uses this identifier.")
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A round cannot close before it opens."))
        return cleaned

    def save(self, commit=True):
        self.instance.organisation = self.organisation
        return super().save(commit)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "A KoboToolbox export (XLSX or CSV), an ODK Central CSV, or any CSV/XLSX with a mapping file."
        ),
    )
    mapping = forms.FileField(
        label=_("Mapping file (optional)"),
        required=False,
        help_text=_(
            "A YAML file that says which column holds which answer, for files from other tools."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 50 MB. Use the command line for big files.")
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class CodingForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label=_("Codes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = choices


class SkillForm(forms.Form):
    """An organisation's own skill, or its own wording of a built-in one."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_(
            "A built-in code to reword it, or a new one (lower case letters, digits, hyphens)."
        ),
    )
    label_en = forms.CharField(label=_("Name in English"), max_length=100, required=False)
    label_fr = forms.CharField(label=_("Name in French"), max_length=100, required=False)
    label_es = forms.CharField(label=_("Name in Spanish"), max_length=100, required=False)
    label_ar = forms.CharField(label=_("Name in Arabic"), max_length=100, required=False)
    synonyms = forms.CharField(
        label=_("Other words people use for it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas, in any language; they help code free-text answers."),
    )

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy

    def clean_code(self):
        from datacircle.core.taxonomy import is_valid_code

        code = self.cleaned_data["code"]
        if not is_valid_code(code):
            raise forms.ValidationError(
                _("Use lower case letters, digits and hyphens, starting with a letter.")
            )
        return code

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code and code not in self.taxonomy and not cleaned.get("label_en"):
            self.add_error("label_en", _("A new skill needs at least an English name."))
        return cleaned

    def labels(self) -> dict[str, str]:
        return {
            lang: self.cleaned_data[f"label_{lang}"].strip()
            for lang in LANGUAGES
            if self.cleaned_data.get(f"label_{lang}", "").strip()
        }

    def synonym_list(self) -> list[str]:
        return [
            w.strip().lower() for w in self.cleaned_data.get("synonyms", "").split(",") if w.strip()
        ]
