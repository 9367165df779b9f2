"""Forms of the maturity scan: a new scan, the scan itself (built from a questionnaire version)
and the questionnaire editor. All work without JavaScript."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from datacircle.core import maturity as core
from datacircle.maturity.models import Scan
from datacircle.web.i18n import translated

SKIP = "skip"  # "I don't know": the question counts as unanswered


class ScanForm(forms.ModelForm):
    class Meta:
        model = Scan
        fields = ["title", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "closes_on": _("Optional: the scan stays open until you close it."),
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if "/" in title:
            raise forms.ValidationError(_("Leave “/” out of the title."))
        taken = Scan.objects.filter(organisation=self.organisation, title__iexact=title)
        if taken.exists():
            raise forms.ValidationError(_("Your organisation already has a scan with this title."))
        return title

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The scan cannot close before it opens."))
        return data


def question_field(question: core.Question) -> str:
    return f"q-{question.id}"


def target_field(dimension: core.Dimension) -> str:
    return f"target-{dimension.id}"


class ResponseForm(forms.Form):
    """One question per radio group, and a target stage per dimension."""

    def __init__(self, *args, questionnaire: core.Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        stages = [("", _("Not sure"))] + [
            (str(s.level), f"{s.level} · {s.name}") for s in questionnaire.stages
        ]
        for dimension in questionnaire.dimensions:
            for question in dimension.questions:
                self.fields[question_field(question)] = forms.ChoiceField(
                    label=question.text,
                    choices=[(str(a.score), a.text) for a in question.answers]
                    + [(SKIP, _("I don't know"))],
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Choose an answer to “%(question)s”, or “I don't know”.")
                        % {"question": question.text},
                        "invalid_choice": _("“%(value)s” is not one of the answers offered."),
                    },
                )
            self.fields[target_field(dimension)] = forms.ChoiceField(
                label=_("Where should we be in two years? (%(dimension)s)")
                % {"dimension": dimension.name},
                choices=stages,
                required=False,
                error_messages={
                    "invalid_choice": _("Choose a stage from 1 to 5 for “%(dimension)s”.")
                    % {"dimension": dimension.name},
                },
            )

    @classmethod
    def initial_from(cls, questionnaire: core.Questionnaire, answers: dict, targets: dict) -> dict:
        initial = {}
        for dimension in questionnaire.dimensions:
            for question in dimension.questions:
                score = answers.get(question.id)
                initial[question_field(question)] = SKIP if score is None else str(score)
            if dimension.id in targets:
                initial[target_field(dimension)] = str(targets[dimension.id])
        return initial

    def dimensions(self):
        """(dimension, its question fields, its target field) in questionnaire order."""
        for dimension in self.questionnaire.dimensions:
            yield (
                dimension,
                [self[question_field(q)] for q in dimension.questions],
                self[target_field(dimension)],
            )

    def answers(self) -> dict[str, int]:
        found = {}
        for dimension in self.questionnaire.dimensions:
            for question in dimension.questions:
                value = self.cleaned_data.get(question_field(question))
                if value and value != SKIP:
                    found[question.id] = int(value)
        return found

    def targets(self) -> dict[str, int]:
        found = {}
        for dimension in self.questionnaire.dimensions:
            value = self.cleaned_data.get(target_field(dimension))
            if value:
                found[dimension.id] = int(value)
        return found

    def clean(self):
        data = super().clean()
        if not self.errors:
            for problem in core.validate_response(
                self.questionnaire, self.answers(), self.targets()
            ):
                self.add_error(None, translated(problem))
        return data


class QuestionnaireForm(forms.Form):
    text = forms.CharField(
        label=_("The questionnaire as YAML"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "dir": "ltr"}),
        help_text=_(
            "Five stages; dimensions with an area (people, process or technology), five stage "
            "descriptions, skills and questions; each answer with a score from 1 to 5. "
            "Saving makes a new version: scans already started keep theirs."
        ),
    )
