"""Forms of the talk pages. They validate input; the services decide the business rules."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.accounts.models import Role
from declics.forms import DateTimeInput
from declics.rome.models import RomeJob
from programs.models import Session

from .models import RoleModel

User = get_user_model()


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class AttendanceForm(forms.Form):
    """The confirmed registrations of a talk, as checkboxes (the others are recorded absent)."""

    present = forms.MultipleChoiceField(
        label=_("Personnes présentes"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(r.pk), r.job_seeker.get_full_name() or r.job_seeker.email) for r in registrations
        ]
        self.fields["present"].error_messages["invalid_choice"] = _(
            "Cette personne n'est pas inscrite à ce témoignage."
        )


class MoveTalkForm(forms.Form):
    """Staff: a talk's new date (everyone registered or waiting is told)."""

    starts_at = bounded.DateTimeField(label=_("Nouvelle date et heure de début"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CancelTalkForm(forms.Form):
    """Staff: cancel a talk, with a reason told to the people registered (optional)."""

    reason = forms.CharField(
        label=_("La raison, dite aux personnes inscrites (facultatif)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RoleModelForm(bounded.ModelForm):
    """Staff: a role model's details, photo and photo consent (the service stamps the consent)."""

    photo_consent = forms.BooleanField(
        label=_("La personne a donné son accord pour la photo"),
        required=False,
        help_text=_("Sans cet accord, la photo n'est jamais montrée."),
    )
    remove_photo = forms.BooleanField(label=_("Retirer la photo enregistrée"), required=False)

    class Meta(bounded.ModelForm.Meta):
        model = RoleModel
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "rome",
            "employer",
            "town",
            "story",
            "photo",
            "sessions",
        ]
        # A plain file input: the stored photo is never linked from the form (it may lack consent).
        widgets = {"photo": forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp"})}
        help_texts = {"photo": _("JPG, PNG ou WebP.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rome"].queryset = RomeJob.objects.filter(is_digital=True).order_by("label", "code")
        self.fields["rome"].label = _("Métier ROME (numérique)")
        self.fields["sessions"].queryset = Session.objects.exclude(
            status__in=["archived", "cancelled"]
        ).order_by("-starts_at")
        self.fields["sessions"].widget = forms.CheckboxSelectMultiple()
        self.fields["sessions"].required = False
        self.fields["sessions"].help_text = _("Les sessions où ce modèle peut témoigner.")
        self.initial["photo_consent"] = self.instance.photo_consent_at is not None
        if not self.instance.photo:
            del self.fields["remove_photo"]
        self.helper = _helper()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("remove_photo"):
            cleaned_data["photo"] = False  # the model field clears the stored photo
        return cleaned_data


class RoleModelFilterForm(forms.Form):
    """Staff: the role models list, all of them or only the active or inactive ones."""

    actif = forms.ChoiceField(
        label=_("Afficher"),
        required=False,
        choices=[("", _("Tous les modèles")), ("oui", _("Actif·ves")), ("non", _("Inactif·ves"))],
    )

    def active(self) -> bool | None:
        value = self.cleaned_data.get("actif") if self.is_valid() else ""
        return {"oui": True, "non": False}.get(value)


class HostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.email} ({obj.get_role_display()})"


class TalkForm(forms.Form):
    """Staff: a new talk of a session, or its details (the date moves through `MoveTalkForm`)."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Présentation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    role_models = forms.ModelMultipleChoiceField(
        label=_("Modèles"), queryset=RoleModel.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    starts_at = bounded.DateTimeField(label=_("Début"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=480, initial=60)
    seats = forms.IntegerField(
        label=_("Nombre de places"),
        min_value=1,
        max_value=5000,
        required=False,
        help_text=_("Vide : sans limite."),
    )
    video_url = forms.URLField(label=_("Lien de la visioconférence"), assume_scheme="https", max_length=500)
    host = HostChoiceField(label=_("Animateur·rice"), queryset=User.objects.none(), required=False)
    replay_url = forms.URLField(
        label=_("Lien du replay"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("À ajouter une fois le témoignage terminé."),
    )

    def __init__(self, *args, session, talk=None, **kwargs):
        super().__init__(*args, **kwargs)
        speakers = Q(is_active=True)
        if talk is not None:
            speakers |= Q(talks=talk)
        self.fields["role_models"].queryset = (
            session.role_models.filter(speakers)
            .select_related("rome")
            .distinct()
            .order_by("first_name", "pk")
        )
        self.fields["host"].queryset = User.objects.filter(
            is_active=True, role__in=(Role.MENTOR, Role.PARTNER, Role.STAFF)
        ).order_by("last_name", "first_name", "pk")
        if talk is not None:
            # The date has its own page: moving tells everyone and updates their calendars.
            del self.fields["starts_at"]
            del self.fields["duration_minutes"]
        else:
            del self.fields["replay_url"]
        self.helper = _helper()
