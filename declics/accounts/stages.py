"""allauth's login stages, adapted to people who have a phone number and no e-mail address."""

from allauth.account import app_settings, stages
from allauth.core.exceptions import RateLimited
from django.shortcuts import render


class EmailVerificationStage(stages.EmailVerificationStage):
    """allauth's stage, skipped for a person with no e-mail address (a job seeker signed up with a
    mobile number, verified by SMS in the phone stage before this one).

    Everyone with an address still confirms it before their first login (mandatory verification);
    a sign-up refused for a number already registered (enumeration prevention: no user, no
    address) ends at the phone stage's page, like a new sign-up by phone.
    """

    def handle(self):
        user = self.login.user
        has_no_address = (user is None and not self.login.email) or (user is not None and not user.email)
        if has_no_address:
            self.login.email_verification = app_settings.EmailVerificationMethod.NONE
        return super().handle()


class PhoneVerificationStage(stages.PhoneVerificationStage):
    """allauth's stage, answering 429 instead of crashing when the number got an SMS moments ago.

    allauth limits the SMS per number (`verify_phone`) and raises when the limit is reached, which
    its own stage does not catch: a second sign-up with one number within 30 seconds (a double
    click, a stranger trying the number) would be a server error. The person is told to wait; the
    account, if one was just created, stays, and its owner signs in later with a code.
    """

    def handle(self):
        try:
            return super().handle()
        except RateLimited:
            response = render(self.request, "429.html", status=429)
            return response, False
