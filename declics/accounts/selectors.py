"""Reads of accounts shared by views: the staff's list of people."""

from django.db.models import Q, QuerySet

from .models import User


def users_for_staff(*, query: str = "", role: str = "", state: str = "") -> QuerySet[User]:
    """Every account, filtered by a name or address fragment, a role and active/inactive; newest first."""
    users = User.objects.all()
    for word in query.split()[:5]:
        users = users.filter(
            Q(email__icontains=word)
            | Q(phone__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    if role:
        users = users.filter(role=role)
    if state == "active":
        users = users.filter(is_active=True)
    elif state == "inactive":
        users = users.filter(is_active=False)
    return users.order_by("-date_joined", "-pk")
