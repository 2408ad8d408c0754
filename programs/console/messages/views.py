"""Write to a group of a session's people: compose, preview, send; and the session's history.

Staff only. Every rule (which groups, who can be reached, once per person, quiet hours) is in
`programs.services.messages`; these views bind the form and call it.
"""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from declics.accounts.permissions import staff_required
from declics.errors import form_error, form_status
from programs.models import Session
from programs.services import messages as services

from .forms import CohortMessageForm

PAGE_SIZE = 25


def _confirmation(data) -> str:
    """What the preview's "send" button carries: a digest of what was previewed, so a message
    edited after its preview is previewed again rather than sent unseen."""
    value = "\n".join([str(data["token"]), data["segment"], data["subject"], data["body"]])
    return salted_hmac("programs.console.messages.preview", value, algorithm="sha256").hexdigest()


@staff_required
@require_GET
def message_history(request, slug):
    """Three queries of its own whatever the number of messages: the session, the count, the page."""
    session = get_object_or_404(Session.objects.all(), slug=slug)
    page = Paginator(services.message_history(session), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/console/messages/history.html", {"session": session, "page": page})


@staff_required
def compose(request, slug):
    now = timezone.now()
    session = get_object_or_404(Session.objects.all(), slug=slug)
    form = CohortMessageForm(request.POST or None, segments=services.session_segments(session, now=now))
    preview = confirmation = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "send" in request.POST and constant_time_compare(
                request.POST.get("confirmation", ""), _confirmation(data)
            ):
                message, created = services.write_to_segment(
                    session=session,
                    segment_key=data["segment"],
                    subject=data["subject"],
                    body=data["body"],
                    token=data["token"],
                    created_by=request.user,
                    now=now,
                )
                _tell(request, message, created=created, now=now)
                return redirect("programs:console_messages", slug=session.slug)
            preview = services.preview_message(
                session=session,
                segment_key=data["segment"],
                subject=data["subject"],
                body=data["body"],
                now=now,
            )
            confirmation = _confirmation(data)
        except services.MessageError as error:
            form_error(form, error, field="segment")
    return render(
        request,
        "programs/console/messages/compose.html",
        {"session": session, "form": form, "preview": preview, "confirmation": confirmation, "now": now},
        status=form_status(form),
    )


def _tell(request, message, *, created: bool, now) -> None:
    if not created:
        flash.info(request, _("Ce message avait déjà été envoyé : il n'est pas reparti une seconde fois."))
        return
    if message.delivered_at is not None:
        text = ngettext(
            "Message mis en file pour %(n)s personne.",
            "Message mis en file pour %(n)s personnes.",
            message.recipients_count,
        ) % {"n": message.recipients_count}
    else:
        text = _("Message enregistré : il est mis en file pour tout le groupe dans quelques instants.")
    if message.send_after > now:
        when = formats.time_format(timezone.localtime(message.send_after), "H:i")
        text += " " + _("Il partira à %(time)s (aucun envoi entre 21 h et 8 h).") % {"time": when}
    flash.success(request, text)
