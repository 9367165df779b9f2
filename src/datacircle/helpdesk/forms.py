"""Forms of the help desk: asking (signed in or through the public link), replying, assigning,
closing, and writing FAQ entries and their translations."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from datacircle.accounts.models import LANGUAGE_CHOICES
from datacircle.core.taxonomy import Taxonomy

MARKDOWN_HELP = _(
    "You can use Markdown: *italics*, **bold**, lists starting with “-”, `code`, and links."
)


def skill_choices(taxonomy: Taxonomy) -> list[tuple[str, str]]:
    language = get_language() or "en"
    return sorted(
        ((skill.code, skill.name(language)) for skill in taxonomy.skills),
        key=lambda choice: choice[1].casefold(),
    )


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Your question in one line"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What you tried, what you expected, what happened. Leave out personal data about "
            "the people in your data."
        ),
    )
    skill = forms.ChoiceField(label=_("Skill it is about"))
    language = forms.ChoiceField(label=_("Language of the question"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", "—"), *skill_choices(taxonomy)]
        self.fields["body"].help_text = f"{self.fields['body'].help_text} {MARKDOWN_HELP}"


class PublicQuestionForm(QuestionForm):
    """Asking without a login. Like the scoping questionnaire, it carries a honeypot: a field
    hidden from people that form-filling robots fill in; such posts are dropped."""

    honeypot = "website"

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("We send the answer and a private link to follow your question here."),
    )

    field_order = ["name", "email", "title", "body", "skill", "language"]

    @property
    def from_robot(self) -> bool:
        return bool(self.data.get(self.honeypot, "").strip())


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 6}), help_text=MARKDOWN_HELP
    )


class AssignForm(forms.Form):
    leader = forms.ChoiceField(
        label=_("Give the question to"),
        required=False,
        help_text=_("Or leave “Route again” to let Data Circle choose by skill and language."),
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [
            ("", _("Route again")),
            *[
                (str(person.pk), f"{person.full_name} ({person.get_role_display()})")
                for person in leaders
            ],
        ]


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Why close it?"),
        max_length=300,
        required=False,
        help_text=_("For example: a duplicate, or no longer needed."),
    )


class FaqForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10}), help_text=MARKDOWN_HELP
    )
    skill = forms.ChoiceField(label=_("Skill"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = skill_choices(taxonomy)


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10}), help_text=MARKDOWN_HELP
    )

    def __init__(self, *args, missing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(LANGUAGE_CHOICES)
        self.fields["language"].choices = [(code, labels[code]) for code in missing]


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGE_CHOICES]
    )

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [("", _("Any")), *skill_choices(taxonomy)]
