from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.rome.models import RomeJob
from jobs.forms import CommunesField, digital_job_choices, form_helper
from jobs.validators import validate_cv

from .models import ApplicationStatus, ContractType, JobOffer, OfferSource, RejectionReason


class OfferSearchForm(forms.Form):
    WHERE_CHOICES = [
        ("", _("Tout le territoire de ma session")),
        ("commune", _("Dans ma commune, ou en télétravail")),
        ("departement", _("Dans mon département, ou en télétravail")),
        ("remote", _("En télétravail seulement")),
    ]
    job = forms.ChoiceField(label=_("Métier"), required=False)
    where = forms.ChoiceField(label=_("Où"), choices=WHERE_CHOICES, required=False)
    contract = forms.ChoiceField(
        label=_("Contrat"), choices=[("", _("Tous les contrats")), *ContractType.choices], required=False
    )

    def __init__(self, *args, with_suggested=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = digital_job_choices(
            with_suggested=with_suggested, blank_label=_("Tous les métiers du numérique")
        )
        self.helper = form_helper()


class ApplicationForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message à l'entreprise"),
        help_text=_("Quelques phrases : pourquoi ce poste vous intéresse, ce que vous savez faire."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
    )
    cv = forms.FileField(
        label=_("Votre CV"),
        help_text=_("Un fichier PDF ou Word (.docx), 5 Mo au maximum."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que l'entreprise reçoive mon nom, mon adresse e-mail, mon message et mon CV."),
        required=True,
        error_messages={"required": _("Cochez cette case pour envoyer votre candidature.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        validate_cv(cv)
        return cv


class JobOfferForm(bounded.ModelForm):
    commune = CommunesField(label=_("Ville"), many=False, required=False)
    rome_job = forms.ModelChoiceField(label=_("Métier (ROME)"), queryset=RomeJob.objects.digital())

    class Meta(bounded.ModelForm.Meta):
        model = JobOffer
        fields = [
            "title", "rome_job", "contract", "commune", "is_remote", "hours", "salary_min", "salary_max",
            "description", "requirements", "starts_on", "expires_on", "positions", "is_published",
        ]  # fmt: skip
        widgets = {
            "starts_on": bounded.DateInput(),
            "expires_on": bounded.DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_moderated:
            self.fields["is_published"].disabled = True
            self.fields["is_published"].help_text = _(
                "L'équipe DéClics a retiré cette offre : seule l'équipe peut la remettre en ligne."
            )
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        if not data.get("commune") and not data.get("is_remote"):
            self.add_error("commune", _("Indiquez la ville du poste, ou cochez « télétravail complet »."))
        low, high = data.get("salary_min"), data.get("salary_max")
        if low and high and low > high:
            self.add_error("salary_max", _("Le salaire maximum doit être supérieur au minimum."))
        expires_on = data.get("expires_on")
        if expires_on and not self.instance.pk and expires_on < timezone.localdate():
            self.add_error("expires_on", _("La date limite de candidature est déjà passée."))
        return data


class ApplicationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvelle étape"), choices=[])
    reason = forms.ChoiceField(
        label=_("Raison montrée à la personne (si non retenue)"),
        choices=[("", "—"), *RejectionReason.choices],
        required=False,
    )
    message = forms.CharField(
        label=_("Message à la personne (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, allowed: set, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label) for status in ApplicationStatus if status in allowed
        ]
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        if data.get("status") == ApplicationStatus.NOT_SELECTED and not data.get("reason"):
            self.add_error("reason", _("Choisissez la raison qui sera montrée à la personne."))
        return data


# --- Staff: moderation ---------------------------------------------------------------------------


class OfferModerationSearchForm(forms.Form):
    STATES = [
        ("", _("Toutes")),
        ("online", _("En ligne")),
        ("moderated", _("Retirées par l'équipe")),
        ("unpublished", _("Non publiées par l'entreprise")),
        ("expired", _("Date limite passée")),
    ]
    q = forms.CharField(label=_("Intitulé ou entreprise"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("État"), choices=STATES, required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("Toutes")), *OfferSource.choices], required=False
    )
    departement = forms.CharField(
        label=_("Département"), max_length=3, required=False, help_text=_("Son code, par exemple 34.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class UnpublishOfferForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du retrait"),
        help_text=_("L'entreprise la reçoit par e-mail : écrivez-la pour elle, poliment et précisément."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
