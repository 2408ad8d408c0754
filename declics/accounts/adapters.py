"""allauth hooks: names and role at sign-up, e-mails through the outbox, the welcome e-mail."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from declics.notifications.services import queue_message

from . import services
from .models import Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.first_name = data.get("first_name", "")
        user.last_name = data.get("last_name", "")
        # Self sign-up gives only the roles a person may choose; staff invite the others.
        role = data.get("role") or Role.JOB_SEEKER
        user.role = role if services.role_may_self_register(role) else Role.JOB_SEEKER
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (verification, password reset) leave through the outbox too."""
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        user = context.get("user")
        queue_message(
            # Each of these e-mails carries its own one-time link: every send is a new message.
            key=f"allauth:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
            user=user if getattr(user, "pk", None) else None,
        )

    def confirm_email(self, request, email_address):
        super().confirm_email(request, email_address)
        services.queue_welcome(user=email_address.user)

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL
