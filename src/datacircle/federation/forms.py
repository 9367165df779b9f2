"""Form of federation: adding a peer by the address of its site or catalogue."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from datacircle.federation import pull


class PeerForm(forms.Form):
    url = forms.CharField(
        label=_("Address of the other Data Circle"),
        max_length=500,
        help_text=_(
            "Its site (https://circle.example.org) or its catalogue "
            "(https://circle.example.org/api/v1/). It is checked by reading its catalogue."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://", "size": 50}),
    )

    def clean_url(self) -> str:
        try:
            self.index = pull.check_new_peer(self.cleaned_data["url"])
        except pull.PullError as error:
            raise forms.ValidationError(str(error)) from error
        return self.index.base
