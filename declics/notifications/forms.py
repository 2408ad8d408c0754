from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import kinds, preferences
from .models import Channels


class PreferencesForm(forms.Form):
    """A person's choices: a channel per group (only when they have both), optional groups on or
    off, quiet hours, the language of the site and of their messages."""

    language = forms.ChoiceField(
        label=_("Langue du site et de vos messages"), choices=settings.LANGUAGES, widget=forms.Select
    )
    quiet_from = forms.TimeField(
        label=_("Heures calmes : à partir de"),
        required=False,
        help_text=_(
            "Facultatif. Pendant ces heures, seuls les messages urgents vous sont envoyés."
            " Par exemple : 21:00."
        ),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_until = forms.TimeField(
        label=_("Heures calmes : jusqu'à"),
        required=False,
        help_text=_("Par exemple : 08:00."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(
        self, *args, user, prefs: preferences.Preferences, has_email: bool, has_phone: bool, **kwargs
    ):
        initial = {
            "language": user.language or settings.LANGUAGE_CODE,
            "quiet_from": prefs.quiet_from,
            "quiet_until": prefs.quiet_until,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.choose_channel = has_email and has_phone
        self.channel_fields, self.optional_fields = [], []
        for group in kinds.GROUPS.values():
            if self.choose_channel:
                name = f"channel_{group.name}"
                self.fields[name] = forms.ChoiceField(
                    label=group.label,
                    help_text=group.help_text,
                    choices=Channels.choices,
                    initial=prefs.channel_for(group.name, has_email=has_email),
                )
                self.channel_fields.append(name)
            if group.optional:
                name = f"receive_{group.name}"
                self.fields[name] = forms.BooleanField(
                    label=_("Recevoir : %(group)s") % {"group": group.label},
                    help_text=group.help_text,
                    required=False,
                    initial=group.name not in prefs.muted,
                )
                self.optional_fields.append(name)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if (start is None) != (end is None) and not self.errors:
            self.add_error(
                "quiet_until" if end is None else "quiet_from",
                _("Indiquez le début et la fin des heures calmes, ou laissez les deux vides."),
            )
        return cleaned

    def channels(self) -> dict[str, str]:
        return {name.removeprefix("channel_"): self.cleaned_data[name] for name in self.channel_fields}

    def muted(self) -> list[str]:
        return [name.removeprefix("receive_") for name in self.optional_fields if not self.cleaned_data[name]]
