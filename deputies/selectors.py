"""Reads and visibility for deputies."""

from django.db.models import QuerySet

from presidium.models import Role
from presidium.selectors import principal_role, scope

from .models import Deputy, ElectoralDistrict, Term


def deputies_visible_to(user) -> QuerySet[Deputy]:
    """Staff and county see their township(s)' roster; a deputy sees the township roster without
    private contact data being exposed by views; a unit officer sees the township roster (names only)."""
    qs = scope(Deputy.objects.select_related("township", "term", "district"), user)
    if principal_role(user) is None:
        return qs.none()
    return qs


def deputy_for_user(user) -> Deputy | None:
    if principal_role(user) != Role.DEPUTY:
        return None
    return Deputy.objects.select_related("township", "term").filter(user=user).first()


def current_term(township) -> Term | None:
    return Term.objects.filter(township=township).order_by("-number").first()


def districts_visible_to(user) -> QuerySet[ElectoralDistrict]:
    return scope(ElectoralDistrict.objects.select_related("township"), user)
