from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.forms import VerifyPhoneForm as AllauthVerifyPhoneForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.webauthn import forms as webauthn_forms
from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.hashers import make_password
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
    """Sign-up for job seekers and mentors; advisers and partners are invited by staff.

    A job seeker gives an e-mail address, a mobile number, or both; a mentor gives an address.
    """

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
    # Fields are cleaned in this order: the names and the address are known when password1 is.
    field_order = ["first_name", "last_name", "email", "phone", "password1", "password2", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("Adresse e-mail")
        email.required = False
        email.widget.is_required = False
        email.widget.attrs.pop("placeholder", None)
        email.help_text = _("Facultatif si vous donnez un numéro de portable. Obligatoire pour les mentors.")
        phone = self.fields["phone"]
        phone.label = _("Numéro de portable")
        phone.help_text = _(
            "Facultatif si vous donnez une adresse e-mail. Vous recevrez un code par SMS. "
            "Par exemple : 06 12 34 56 78."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        email, phone = cleaned.get("email"), cleaned.get("phone")
        if cleaned.get("role") == Role.MENTOR and not email and "email" not in self.errors:
            self.add_error("email", _("Les mentors s'inscrivent avec une adresse e-mail."))
        elif not email and not phone and "email" not in self.errors and "phone" not in self.errors:
            message = _("Indiquez une adresse e-mail ou un numéro de portable.")
            self.add_error("email", message)
            self.add_error("phone", message)
        return cleaned

    def clean_password1(self):
        """The password validators see the person as they will be saved: names and address.

        allauth's own check (in clean(), run when this one passes) knows only the address.
        """
        password = self.cleaned_data["password1"]
        probe = User(
            email=self.cleaned_data.get("email", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )
        validate_password(password, user=probe)
        return password

    def try_save(self, request):
        """Sign up, or (address already registered) e-mail its owner: the same work either way.

        A new account costs a password hash and an outbox row (the confirmation e-mail); an
        address already taken costs the same hash, dropped, and an outbox row (the "you already
        have an account" e-mail), so the time of the answer does not tell who is registered.
        """
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
            return super().try_save(request)
        # The same sign-up sent twice at once: the twin that loses gets the answer given to an
        # address already registered (allauth's, without enumeration), not a unique-violation crash.
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
        self.account_already_exists = True
        return super().try_save(request)


class LoginForm(AllauthLoginForm):
    """allauth's login: one field for the address or the mobile number, with a plain label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Adresse e-mail ou numéro de portable")
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autocomplete"] = "username"
        login.help_text = _("Le numéro s'écrit comme vous voulez, par exemple 06 12 34 56 78.")


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """A one-time code by e-mail or by SMS: one of the two fields, with plain labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["email"].help_text = _("Le code arrive par e-mail.")
        self.fields["phone"].help_text = _("Ou bien : le code arrive par SMS. Par exemple : 06 12 34 56 78.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            raise forms.ValidationError(_("Indiquez votre adresse e-mail ou votre numéro de portable."))
        return cleaned


class VerifyPhoneForm(AllauthVerifyPhoneForm):
    """The code received by SMS: six digits, the phone's numeric keypad, the SMS's code offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code reçu par SMS (6 chiffres)")
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


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
        phone = normalise_french_phone(phone) if phone else ""
        if not phone and not self.instance.email:
            raise forms.ValidationError(
                _("Gardez un numéro : sans adresse e-mail, c'est par lui que vous vous connectez.")
            )
        if phone != self.instance.phone:
            # A new number is not verified: it serves to sign in once a code sent to it comes back.
            self.instance.phone_verified = False
        return phone


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


# --- Second factor: allauth.mfa's forms (MFA_FORMS), with plain French labels --------------------


def _code_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


_SIGN_IN_CODE_HELP = _(
    "Ouvrez votre application d'authentification : le code change toutes les 30 secondes. "
    "Sans votre téléphone, saisissez l'un de vos codes de secours (8 chiffres)."
)


class AuthenticateForm(mfa_forms.AuthenticateForm):
    """The code asked at sign-in, after the password."""

    code = _code_field(_("Code à 6 chiffres ou code de secours"), _SIGN_IN_CODE_HELP)


class ReauthenticateForm(mfa_forms.ReauthenticateForm):
    """The code asked to confirm it is still you (before a sensitive change, or to open staff pages)."""

    code = _code_field(_("Code à 6 chiffres ou code de secours"), _SIGN_IN_CODE_HELP)


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    code = _code_field(_("Code à 6 chiffres affiché par l'application"))


def _key_name_field(*, required):
    return forms.CharField(
        label=_("Nom de la clé"),
        help_text=_("Pour la reconnaître dans la liste, par exemple « Clé USB bleue »."),
        max_length=100,
        required=required,
    )


# The credential a browser posts back: an absurd one is refused like any invalid one (see JSONField).
def _credential_field():
    return bounded.JSONField(required=True, widget=forms.HiddenInput)


class AddWebAuthnForm(webauthn_forms.AddWebAuthnForm):
    name = _key_name_field(required=False)
    credential = _credential_field()


class ReauthenticateWebAuthnForm(webauthn_forms.ReauthenticateWebAuthnForm):
    credential = _credential_field()


class EditWebAuthnForm(webauthn_forms.EditWebAuthnForm):
    name = _key_name_field(required=True)


# --- Staff: the list of people, a role, deactivation ----------------------------------------------


class UserSearchForm(forms.Form):
    STATES = [("", _("Actifs et désactivés")), ("active", _("Actifs")), ("inactive", _("Désactivés"))]

    q = forms.CharField(label=_("Nom, adresse e-mail ou téléphone"), max_length=100, required=False)
    role = forms.ChoiceField(
        label=_("Rôle"), choices=[("", _("Tous les rôles")), *Role.choices], required=False
    )
    state = forms.ChoiceField(label=_("État du compte"), choices=STATES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class UserChoiceForm(forms.Form):
    """The account a staff action is about, posted back in a hidden field (never in the URL)."""

    user = bounded.IdField()

    def clean_user(self):
        user = User.objects.filter(pk=self.cleaned_data["user"]).first()
        if user is None:
            raise forms.ValidationError(_("Ce compte n'existe pas ou plus."))
        return user


class RoleForm(UserChoiceForm):
    role = forms.ChoiceField(label=_("Nouveau rôle"), choices=Role.choices)
