"""Forms of the working group: membership, milestones, a new programme, invitations."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from datacircle.core.taxonomy import Taxonomy
from datacircle.programme.models import Member, Milestone
from datacircle.web.i18n import translated

# A weekday as a choice on its own (“Lundi”); dates in running text take Django's own names
# (“le lundi 7”), which a context-free msgid here would override.
WEEKDAYS = [
    (0, pgettext_lazy("weekday on its own", "Monday")),
    (1, pgettext_lazy("weekday on its own", "Tuesday")),
    (2, pgettext_lazy("weekday on its own", "Wednesday")),
    (3, pgettext_lazy("weekday on its own", "Thursday")),
    (4, pgettext_lazy("weekday on its own", "Friday")),
    (5, pgettext_lazy("weekday on its own", "Saturday")),
    (6, pgettext_lazy("weekday on its own", "Sunday")),
]
SLOTS = 3  # weekly session times a programme form offers


class MemberForm(forms.ModelForm):
    leads = forms.MultipleChoiceField(
        label=_("Topics I can lead"), widget=forms.CheckboxSelectMultiple, required=False
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days I can run a session"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Member
        fields = ["leads", "weekdays", "monthly_limit", "active"]

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.fields["leads"].choices = [(s.code, s.name(language)) for s in taxonomy.skills]


class MilestoneForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=_("Themes"), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Milestone
        fields = [
            "name",
            "description",
            "kind",
            "on",
            "month",
            "day",
            "weekday",
            "n",
            "length_days",
            "themes",
        ]
        widgets = {"on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.fields["themes"].choices = [(s.code, s.name(language)) for s in taxonomy.skills]
        self.fields["weekday"].widget = forms.Select(choices=[("", "—"), *WEEKDAYS])

    def clean(self):
        from datacircle.core.milestones import MilestoneError, parse_rule

        cleaned = super().clean()
        try:
            parse_rule(
                {
                    "kind": cleaned.get("kind"),
                    "month": cleaned.get("month"),
                    "day": cleaned.get("day"),
                    "weekday": cleaned.get("weekday"),
                    "n": cleaned.get("n"),
                    "on": cleaned.get("on"),
                }
            )
        except MilestoneError as error:
            # The core's message, in the reader's language.
            raise forms.ValidationError(translated(error.args[0])) from error
        return cleaned


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    demand_round = forms.ChoiceField(label=_("Demand from scoping round"), required=False)
    starts_on = forms.DateField(
        label=_("First week starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=104, initial=26)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demand_round"].choices = [("", "—"), *[(r.pk, r.title) for r in rounds]]
        for i in range(SLOTS):
            self.fields[f"slot_{i}_weekday"] = forms.TypedChoiceField(
                label=_("Session day %(n)d") % {"n": i + 1},
                choices=[("", "—"), *WEEKDAYS],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"slot_{i}_time"] = forms.TimeField(
                label=_("Time %(n)d") % {"n": i + 1},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )

    def clean(self):
        cleaned = super().clean()
        times = []
        for i in range(SLOTS):
            day, at = cleaned.get(f"slot_{i}_weekday"), cleaned.get(f"slot_{i}_time")
            if (day is None) != (at is None):
                raise forms.ValidationError(_("Give both the day and the time of each session."))
            if day is not None:
                times.append({"weekday": day, "time": at.strftime("%H:%M")})
        if not times:
            raise forms.ValidationError(_("Give at least one weekly session time."))
        if not cleaned.get("online") and not cleaned.get("city", "").strip():
            raise forms.ValidationError(_("Say in which city the sessions take place, or online."))
        cleaned["slot_times"] = times
        return cleaned


class InviteForm(forms.Form):
    person = forms.ChoiceField(label=_("Invite"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, f"{p.full_name} ({p.email})") for p in people]


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts (programme time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    facilitator = forms.TypedChoiceField(label=_("Facilitator"), coerce=int)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].choices = [(p.pk, p.full_name) for p in members]
