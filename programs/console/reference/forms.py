from crispy_forms.helper import FormHelper
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.territories.models import RuralZone, ZoningImport
from declics.territories.services import MAX_UPLOAD_BYTES

ACCEPTED_EXTENSIONS = (".csv", ".txt")


class ZoningUploadForm(forms.Form):
    """An official list as published (CSV, ; or , separated); the file is read by the import task."""

    kind = forms.ChoiceField(label=_("Liste"), choices=ZoningImport.Kind.choices, widget=forms.RadioSelect)
    classification = forms.ChoiceField(
        label=_("Classement des communes du fichier"),
        choices=[("", "—"), *RuralZone.Classification.choices],
        required=False,
        help_text=_("Pour une liste FRR/ZRR seulement (une colonne « classement » du fichier le remplace)."),
    )
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("Le fichier officiel (ANCT, data.gouv.fr), au format CSV, %(size)s au plus.")
        % {"size": filesizeformat(MAX_UPLOAD_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    valid_from = bounded.DateField(label=_("Valable à partir du"), widget=bounded.DateInput())
    valid_to = bounded.DateField(label=_("Valable jusqu'au"), required=False, widget=bounded.DateInput())
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Éditeur, titre et adresse du fichier, date de publication."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Ce fichier pèse %(size)s : %(limit)s au plus.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(
                _("Choisissez un fichier CSV (.csv) : enregistrez le tableur au format CSV.")
            )
        content = upload.read()
        head = content[:4096]
        if b"\x00" in head or head.startswith((b"PK", b"\xd0\xcf")):
            raise forms.ValidationError(
                _("Ce fichier n'est pas un CSV (un classeur Excel ?) : enregistrez-le au format CSV.")
            )
        if not content.strip():
            raise forms.ValidationError(_("Le fichier est vide."))
        self.content = content
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ZoningImport.Kind.RURAL and not cleaned.get("classification"):
            self.add_error("classification", _("Choisissez le classement des communes de cette liste."))
        valid_from, valid_to = cleaned.get("valid_from"), cleaned.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", _("La date de fin de validité précède la date de début."))
        return cleaned

    def queue_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "classification": data.get("classification") or "",
            "content": self.content,
            "filename": data["file"].name,
            "valid_from": data["valid_from"],
            "valid_to": data["valid_to"],
            "source": data["source"],
        }
