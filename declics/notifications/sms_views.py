"""The SMS provider's callback: replies to our SMS (STOP, START), signed with SMS_WEBHOOK_SECRET."""

import logging

from django.http import HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import sms_optout

logger = logging.getLogger(__name__)


@csrf_exempt  # a server calls it, with no browser session: its signature stands for the token
@require_POST
def inbound(request):
    """Unsigned or wrongly signed: 403, nothing read. Each reply is acted on (see
    `sms_optout.handle_reply`); the answer counts what was done, so a provider's retry of the same
    callback is harmless (an opt-out is recorded once)."""
    if not sms_optout.signature_ok(body=request.body, headers=request.headers):
        return HttpResponseForbidden()
    try:
        replies = list(sms_optout.replies_in(request.body))
    except ValueError:
        return HttpResponseBadRequest()
    done = {"stop": 0, "start": 0, "ignored": 0}
    for phone, text in replies:
        done[sms_optout.handle_reply(phone=phone, text=text) or "ignored"] += 1
    logger.info("sms replies", extra=done)
    return JsonResponse(done)
