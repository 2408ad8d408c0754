from allauth.account.forms import SignupForm as AllauthSignupForm
from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from declics import forms as bounded
from declics.db import is_unique_violation

from .models import INVITED_ROLES, SELF_SERVICE_ROLES, Role, User
from .validators import normalise_french_phone


class SelfServiceRoleField(forms.ChoiceField):
    """The sign-up role: any value other than the offered ones (a tampered form) means job seeker.

    Adviser, partner and staff come only through an invitation; a forged POST never grants them.
    """

    def validate(self, value):
        if value:
            return  # unknown values are replaced in clean(), never rejected nor kept
        super().validate(value)

    def clean(self, value):
        value = super().clean(value)
        return value if value in SELF_SERVICE_ROLES else Role.JOB_SEEKER.value


class SignupForm(AllauthSignupForm):
    """Sign-up for job seekers and mentors; advisers and partners are invited by staff."""

    first_name = forms.CharField(
        label=_("Prénom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    role = SelfServiceRoleField(
        label=_("Vous êtes"),
        choices=[
            (Role.JOB_SEEKER.value, _("en recherche d'emploi")),
            (Role.MENTOR.value, _("professionnel·le du numérique et vous voulez être mentor·e")),
        ],
        initial=Role.JOB_SEEKER,
        widget=forms.RadioSelect,
    )
    field_order = ["first_name", "last_name", "email", "password1", "password2", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def try_save(self, request):
        """The same sign-up sent twice at once: the twin that loses gets the answer given to an
        address already registered (allauth's, without enumeration), not a unique-violation crash."""
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
        self.account_already_exists = True
        return super().try_save(request)


class ProfileForm(bounded.ModelForm):
    class Meta(bounded.ModelForm.Meta):
        model = User
        fields = ["first_name", "last_name", "phone"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {"phone": _("Facultatif. Par exemple : 06 12 34 56 78.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_french_phone(phone) if phone else ""


class InvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("Adresse e-mail"))
    role = forms.ChoiceField(label=_("Rôle"), choices=[(r.value, r.label) for r in INVITED_ROLES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Mot de passe"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Mot de passe (à nouveau)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            probe = User(
                email=self.invitation.email if self.invitation else "",
                first_name=self.invitation.first_name if self.invitation else "",
                last_name=self.invitation.last_name if self.invitation else "",
            )
            try:
                validate_password(p1, user=probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
