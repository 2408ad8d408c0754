from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from declics.accounts.models import Role, User
from declics.forms import DateField, DateInput


def _team():
    return User.objects.filter(Q(role=Role.STAFF) | Q(is_superuser=True)).order_by(
        "first_name", "last_name", "pk"
    )


def _model_choices():
    models = sorted(auditlog.get_models(), key=lambda model: str(model._meta.verbose_name).lower())
    types = ContentType.objects.get_for_models(*models)  # cached after the first page
    return [("", _("Tous"))] + [
        (str(types[model].pk), str(model._meta.verbose_name).capitalize()) for model in models
    ]


class TeamMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class AuditFilterForm(forms.Form):
    """The page's filters, read from the query string."""

    auteur = TeamMemberChoiceField(
        label=_("Auteur·e"), queryset=_team(), required=False, empty_label=_("Toute l'équipe")
    )
    objet = forms.TypedChoiceField(label=_("Type d'objet"), required=False, coerce=int, empty_value=None)
    action = forms.TypedChoiceField(
        label=_("Action"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Toutes")),
            (LogEntry.Action.CREATE, _("création")),
            (LogEntry.Action.UPDATE, _("modification")),
            (LogEntry.Action.DELETE, _("suppression")),
        ],
    )
    du = DateField(label=_("Du"), required=False, widget=DateInput())
    au = DateField(label=_("Au"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auteur"].queryset = _team()
        self.fields["objet"].choices = _model_choices()

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return data
