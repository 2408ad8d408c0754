import json

from allauth.mfa.models import Authenticator
from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def in_groups_of_four(value: str) -> str:
    """'JBSWY3DPEHPK3PXP' → 'JBSW Y3DP EHPK 3PXP': a key easier to read and type by hand."""
    value = str(value)
    return " ".join(value[index : index + 4] for index in range(0, len(value), 4))


@register.filter
def has_security_key(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).exists()


@register.filter
def as_json(value) -> str:
    """JSON for a data- attribute (autoescaping then makes it safe there): no inline <script> (CSP)."""
    return json.dumps(value, cls=DjangoJSONEncoder)
