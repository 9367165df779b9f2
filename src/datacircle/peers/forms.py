"""Forms of peer learning: a person's learning profile, a new matching round, feedback."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from datacircle.core.taxonomy import SUPPLY_LEVEL, Taxonomy
from datacircle.peers.models import MAX_CAPACITY, Profile

# Wanting to learn makes sense up to "can do with help"; sharing from "can do alone".
WANT_LEVELS = (0, 1, 2, 3)
SHARE_LEVELS = (SUPPLY_LEVEL, 4)


class ProfileForm(forms.ModelForm):
    """The profile with one pair of choices per skill: the level now if you want to learn it,
    your level if you can share it."""

    class Meta:
        model = Profile
        fields = ["capacity", "status", "digest"]

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        language = get_language() or "en"
        self.fields["capacity"].widget = forms.NumberInput(attrs={"min": 0, "max": MAX_CAPACITY})
        profile = self.instance
        self.skill_rows = []
        for skill in taxonomy.skills:
            want = f"want_{skill.code}"
            share = f"share_{skill.code}"
            self.fields[want] = forms.TypedChoiceField(
                label=_("I want to learn it; my level now"),
                choices=[("", "—"), *[(v, taxonomy.level_label(v, language)) for v in WANT_LEVELS]],
                coerce=int,
                empty_value=None,
                required=False,
                initial=(profile.wants or {}).get(skill.code),
            )
            self.fields[share] = forms.TypedChoiceField(
                label=_("I can share it; my level"),
                choices=[
                    ("", "—"),
                    *[(v, taxonomy.level_label(v, language)) for v in SHARE_LEVELS],
                ],
                coerce=int,
                empty_value=None,
                required=False,
                initial=(profile.shares or {}).get(skill.code),
            )
            self.skill_rows.append((skill.name(language), self[want], self[share]))

    def clean(self):
        cleaned = super().clean()
        wants, shares = {}, {}
        for skill in self.taxonomy.skills:
            want = cleaned.get(f"want_{skill.code}")
            share = cleaned.get(f"share_{skill.code}")
            if want is not None and share is not None:
                self.add_error(
                    f"want_{skill.code}",
                    _("You cannot both learn and share %(skill)s: choose one.")
                    % {"skill": skill.name(get_language() or "en")},
                )
            if want is not None:
                wants[skill.code] = want
            if share is not None:
                shares[skill.code] = share
        cleaned["wants"], cleaned["shares"] = wants, shares
        return cleaned

    def save(self, commit: bool = True):
        profile = super().save(commit=False)
        # Skills of an organisation's own wording that this form does not show are kept.
        known = set(self.taxonomy.codes)
        keep_wants = {k: v for k, v in (profile.wants or {}).items() if k not in known}
        keep_shares = {k: v for k, v in (profile.shares or {}).items() if k not in known}
        profile.wants = {**keep_wants, **self.cleaned_data["wants"]}
        profile.shares = {**keep_shares, **self.cleaned_data["shares"]}
        if commit:
            profile.save()
        return profile


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.ChoiceField(label=_("Who takes part"))

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes
        if len(scopes) == 1:
            self.fields["scope"].widget = forms.HiddenInput()
            self.fields["scope"].initial = scopes[0][0]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"),
        choices=[
            ("", "—"),
            (5, _("5: very useful")),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, _("1: not useful")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    feedback = forms.CharField(
        label=_("A few words on what you learned or shared"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
