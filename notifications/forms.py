"""The preferences form: one choice of channel per kind of notice."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import DEFAULT_CHANNELS, Channel, Kind, NotificationPreference


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=chosen.get(kind.value, DEFAULT_CHANNELS.get(kind.value, Channel.IN_APP)),
                widget=forms.RadioSelect,
            )
