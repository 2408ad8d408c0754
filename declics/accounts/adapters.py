"""allauth hooks: names and role at sign-up, e-mails and SMS through the outbox, the welcome e-mail,
login limits per account and client, the mobile number as a login (allauth's phone support)."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from declics import ratelimits
from declics.db import is_unique_violation
from declics.notifications.services import queue_message, queue_sms

from . import landing, services
from .fields import MobilePhoneField
from .mfa import SecondFactorAccountAdapterMixin
from .models import Role, User
from .validators import normalise_french_phone


class AccountAdapter(SecondFactorAccountAdapterMixin, DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.email = user.email or None  # no address: NULL, outside the unique index
        user.first_name = data.get("first_name", "")
        user.last_name = data.get("last_name", "")
        # Self sign-up gives only the roles a person may choose; staff invite the others.
        role = data.get("role") or Role.JOB_SEEKER
        user.role = role if services.role_may_self_register(role) else Role.JOB_SEEKER
        # The account keeps the language the person signed up in: their e-mails and SMS follow it.
        user.language = services.site_language(translation.get_language())
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (verification, password reset…) leave through the outbox too.

        The context is completed as allauth's own send_mail does (request, email, current_site),
        then rendered now, in the request's language, and queued.
        """
        request = allauth_context.request
        site = get_current_site(request) if request is not None else None
        ctx = {"request": request, "email": email, "current_site": site, **context}
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        user = context.get("user")
        queue_message(
            # Each of these e-mails carries its own one-time link or code: every send is a new message.
            key=f"allauth:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
            user=user if getattr(user, "pk", None) else None,
        )

    def confirm_email(self, request, email_address):
        """Verify the address; the first verification of a person queues their welcome e-mail."""
        verified = super().confirm_email(request, email_address)
        if verified:
            services.queue_welcome(user=email_address.user)
        return verified

    # --- The mobile number: stored on the User, verified by a code sent by SMS -------------------

    def get_login_stages(self):
        """allauth's stages, two of them adapted (declics.accounts.stages): the e-mail verification
        skipped for a person who has no address, the SMS limit answered with a 429."""
        ours = {
            "allauth.account.stages.EmailVerificationStage": "declics.accounts.stages.EmailVerificationStage",
            "allauth.account.stages.PhoneVerificationStage": "declics.accounts.stages.PhoneVerificationStage",
        }
        return [ours.get(path, path) for path in super().get_login_stages()]

    def phone_form_field(self, **kwargs):
        return MobilePhoneField(**kwargs)

    def set_phone(self, user, phone, verified):
        """Store the number on `user` (saved if the account exists already).

        A number another account holds without it being a login (typed on a profile, so
        `get_user_by_phone` did not see it) stays with that account: the unique constraint refuses
        the change, the person keeps their former number, and nothing fails.
        """
        previous = (user.phone, user.phone_verified)
        user.phone = phone
        user.phone_verified = verified
        if not user.pk:
            return
        try:
            with transaction.atomic():
                user.save(update_fields=["phone", "phone_verified"])
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            user.phone, user.phone_verified = previous

    def get_phone(self, user):
        """The number allauth knows the person by, and whether it is verified.

        A number merely typed on the profile of an account with an address is not an identifier
        (see `get_user_by_phone`): allauth does not see it, so signing in with the address never
        stops to ask for an SMS code for it.
        """
        if not user.phone or (user.email and not user.phone_verified):
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone):
        User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)
        if user.phone == phone:
            user.phone_verified = True

    def get_user_by_phone(self, phone):
        """The account that signs in with this number, typed in any French form (06…, +33 6…,
        0033…), or None.

        A number signs in once verified (a code sent to it came back), or when it is the account's
        only identifier (a sign-up by phone whose code was not typed yet: the login asks for it).
        A number merely typed on the profile of an account with an address is not a login: else
        whoever holds that phone could sign in to that account with a code.
        """
        try:
            phone = normalise_french_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(Q(phone_verified=True) | Q(email__isnull=True), phone=phone).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        self._queue_security_sms(
            "code",
            phone,
            _("DéClics : votre code est %(code)s. Il expire dans 15 minutes. Ne le donnez à personne.")
            % {"code": code},
            user=user,
        )

    def send_account_already_exists_sms(self, phone):
        """A sign-up with a number already registered: its owner is told, the page shows nothing."""
        user = self.get_user_by_phone(phone)
        self._queue_security_sms(
            "account-exists",
            phone,
            _("DéClics : ce numéro a déjà un compte. Connectez-vous avec un code par SMS : %(url)s")
            % {"url": settings.SITE_URL + reverse("account_request_login_code")},
            user=user,
        )

    def send_unknown_account_sms(self, phone, **kwargs):
        """A code asked for a number nobody uses: nothing is sent (an SMS to a stranger costs money
        and reads as spam); the page is the same as for a registered number."""

    def _queue_security_sms(self, what, phone, text, *, user):
        queue_sms(
            # Each code is a new message: never folded into an earlier one.
            key=f"allauth:sms:{what}:{uuid.uuid4().hex}",
            to=phone,
            text=text,
            user=user if getattr(user, "pk", None) else None,
            kind="security",
        )

    def get_login_redirect_url(self, request):
        """Each role's own space (declics.accounts.landing); allauth gives a safe `?next=` first."""
        return landing.landing_url(request.user)

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL

    # --- Failed logins: per account *and* client, plus a looser cap per account -------------------

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key of the `login_failed` limit: allauth's (site and login) plus the client.

        allauth keys it on the account alone, so five wrong passwords from anyone refuse even the
        owner's right one. allauth's rollback on success and its reset after a password reset use
        this same method, so they follow.
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{ratelimits.client_address(request)}"

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)
        # Checked before the password, counted only on a failure (authentication_failed).
        if not ratelimit.consume(
            request,
            action="login_failed_account",
            key=self._account_key(request, **credentials),
            dry_run=True,
        ):
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        ratelimit.consume(
            request, action="login_failed_account", key=self._account_key(request, **credentials)
        )

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a password reset (the owner proved the mailbox): both limits start again."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, action="login_failed_account", key=self._account_key(request, **credentials))

    def _account_key(self, request, **credentials):
        return super()._get_login_attempts_cache_key(request, **credentials)
