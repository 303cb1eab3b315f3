"""What every deputies view leans on: the reading roles, error text, own and chosen township, year, paging."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone

from presidium.models import Role
from presidium.selectors import principal_role, townships_visible_to

READERS = (Role.STAFF, Role.COUNTY)


def _errors(exc) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def _staff_township(request):
    if not request.user.township_id or principal_role(request.user) not in (Role.STAFF, Role.ADMIN):
        raise PermissionDenied
    return request.user.township


def _can_edit(request) -> bool:
    return principal_role(request.user) == Role.STAFF and bool(request.user.township_id)


def _chosen_township(request):
    """The township a read view shows: the user's own, or (county staff) the one picked in ?township=."""
    visible = townships_visible_to(request.user)
    wanted = request.GET.get("township")
    if wanted and wanted.isdigit():
        township = visible.filter(pk=int(wanted)).first()
        if township is None:
            raise Http404
        return township, visible
    if request.user.township_id:
        return visible.filter(pk=request.user.township_id).first(), visible
    return visible.order_by("code").first(), visible


def _year(request) -> int:
    value = request.GET.get("year", "")
    today = timezone.localdate()
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year + 1 else today.year


def _page(request, qs, per_page=50):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))
