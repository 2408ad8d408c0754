import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models.messages import BODY_MAX, SUBJECT_MAX

# No control character in a subject (a line break would end the header), nor in a body but for
# line breaks and tabs.
_SUBJECT_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CohortMessageForm(forms.Form):
    """A message to one group: the groups offered are the session's (`segments`), in that order."""

    segment = forms.ChoiceField(label=_("Destinataires"))
    subject = forms.CharField(
        label=_("Objet"),
        max_length=SUBJECT_MAX,
        help_text=_("Court et clair : c'est la première chose que les personnes liront."),
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "En texte simple, des phrases courtes. Le lien vers le parcours et le nom de la session "
            "sont ajoutés à la fin. %(max)s caractères au plus."
        )
        % {"max": BODY_MAX},
    )
    # The same form sent twice (a double click, a reload) carries the same token: it sends once.
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, segments=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [
            ("", _("Choisissez un groupe")),
            *((s.key, s.label) for s in segments),
        ]

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        if _SUBJECT_CONTROL.search(subject):
            raise forms.ValidationError(_("L'objet ne peut contenir que du texte, sur une ligne."))
        if len(subject) < 3:
            raise forms.ValidationError(_("Écrivez un objet d'au moins 3 caractères."))
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if _BODY_CONTROL.search(body):
            raise forms.ValidationError(_("Le message ne peut contenir que du texte."))
        if len(body) < 10:
            raise forms.ValidationError(_("Écrivez un message d'au moins 10 caractères."))
        return body
