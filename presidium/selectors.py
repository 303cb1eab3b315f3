"""Visibility, applied once. Every app's selectors start from these functions so that no view can
forget which township (or county) a user may see."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import ApiKey, AuditEntry, County, HandlingUnit, Role, Township, User


def principal_role(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return user.role


def townships_visible_to(user) -> QuerySet[Township]:
    """Townships whose data the user (or API principal) may read."""
    role = principal_role(user)
    qs = Township.objects.select_related("county")
    if role == Role.ADMIN:
        return qs
    if role == "api":
        if user.township_id:
            return qs.filter(pk=user.township_id)
        return qs.filter(county_id=user.county_id)
    if role == Role.COUNTY and user.county_id:
        return qs.filter(county_id=user.county_id)
    if role in (Role.STAFF, Role.DEPUTY, Role.UNIT) and user.township_id:
        return qs.filter(pk=user.township_id)
    return qs.none()


def counties_visible_to(user) -> QuerySet[County]:
    role = principal_role(user)
    if role == Role.ADMIN:
        return County.objects.all()
    if role is None:
        return County.objects.none()
    return County.objects.filter(pk=user.county_id) if user.county_id else County.objects.none()


def township_q(user, field: str = "township") -> Q:
    """A Q object restricting ``field`` (a Township FK path) to what the user may read."""
    role = principal_role(user)
    if role == Role.ADMIN:
        return Q()
    if role is None:
        return Q(pk__in=[])
    if role == "api":
        if user.township_id:
            return Q(**{f"{field}_id": user.township_id})
        return Q(**{f"{field}__county_id": user.county_id})
    if role == Role.COUNTY:
        return Q(**{f"{field}__county_id": user.county_id}) if user.county_id else Q(pk__in=[])
    if user.township_id:
        return Q(**{f"{field}_id": user.township_id})
    return Q(pk__in=[])


def scope(qs: QuerySet, user, field: str = "township") -> QuerySet:
    return qs.filter(township_q(user, field))


def can_edit_township(user, township_id: int) -> bool:
    """Only a township's own presidium staff (or a superuser) write its data."""
    role = principal_role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.STAFF and user.township_id == township_id


def units_visible_to(user) -> QuerySet[HandlingUnit]:
    qs = scope(HandlingUnit.objects.select_related("township"), user)
    if principal_role(user) == Role.UNIT:
        qs = qs.filter(pk=user.unit_id)
    return qs


def users_manageable_by(user) -> QuerySet[User]:
    """Logins whose password the user may reset: staff manage their township's deputies and unit
    officers; county staff manage the county's township staff."""
    role = principal_role(user)
    qs = User.objects.select_related("township", "unit").order_by("role", "username")
    if role == Role.ADMIN:
        return qs
    if role == Role.STAFF and user.township_id:
        return qs.filter(township_id=user.township_id, role__in=[Role.DEPUTY, Role.UNIT])
    if role == Role.COUNTY and user.county_id:
        return qs.filter(county_id=user.county_id, role=Role.STAFF)
    return qs.none()


def api_keys_visible_to(user) -> QuerySet[ApiKey]:
    role = principal_role(user)
    qs = ApiKey.objects.select_related("county", "township", "created_by")
    if role == Role.ADMIN:
        return qs
    if role == Role.STAFF and user.township_id:
        return qs.filter(township_id=user.township_id)
    if role == Role.COUNTY and user.county_id:
        return qs.filter(Q(county_id=user.county_id) | Q(township__county_id=user.county_id))
    return qs.none()


def api_key_by_prefix(prefix: str) -> ApiKey | None:
    """The key an API client presents (authentication: before any visibility applies)."""
    return ApiKey.objects.select_related("township").filter(prefix=prefix).first()


def audit_entries_visible_to(user, *, action: str = "") -> QuerySet[AuditEntry]:
    """The audit rows ``user`` may read; with ``action`` (an ``AuditAction`` value) only those."""
    role = principal_role(user)
    qs = AuditEntry.objects.select_related("actor", "township")
    if action:
        qs = qs.filter(action=action)
    if role == Role.ADMIN:
        return qs
    if role == Role.STAFF and user.township_id:
        return qs.filter(township_id=user.township_id)
    if role == Role.COUNTY and user.county_id:
        return qs.filter(Q(county_id=user.county_id) | Q(township__county_id=user.county_id))
    return qs.none()


# --- query parameters ---------------------------------------------------------------------------------

# Years a record of the platform can belong to (far-future or year-1 values are typing mistakes).
MIN_YEAR, MAX_YEAR = 1949, 2100


def int_param(value, *, low: int = 1, high: int = 2**63 - 1) -> int | None:
    """An integer query parameter (an id, a page, a count), or None when it is not one in range.
    (Full-width digits were already turned into ASCII by ``InputSanitizerMiddleware``.)"""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if low <= number <= high else None


# The first year the pages' records (sessions, activities, reports, figures) are kept for; a year
# after next has no records yet.
FIRST_RECORD_YEAR = 2000


def record_year(value) -> int | None:
    """A year typed for the pages' records (``?year=``, a URL, a form), or None: plain digits from
    ``FIRST_RECORD_YEAR`` to next year."""
    return int_param(value, low=FIRST_RECORD_YEAR, high=timezone.localdate().year + 1)


def year_param(value) -> int | None:
    """A year query parameter within ``MIN_YEAR``–``MAX_YEAR``, or None."""
    return int_param(value, low=MIN_YEAR, high=MAX_YEAR)


def selectable_years(user, *, today=None) -> list[int]:
    """THE year selector: every year in which the user's townships have dated records, plus the
    current year, newest first (a year of planned sessions ahead shows too). Each app's
    ``selectors.data_year_queries(township_ids)`` returns querysets of flat year numbers; they are
    sent as ONE union query."""
    import datetime as dt

    from .registry import app_modules

    today = today or dt.date.today()
    township_ids = townships_visible_to(user).values("pk")
    queries = []
    for _label, mod in app_modules("selectors"):
        fn = getattr(mod, "data_year_queries", None)
        if fn is not None:
            queries += [q.order_by() for q in fn(township_ids)]
    years = {today.year}
    if queries:
        years |= {int(y) for y in queries[0].union(*queries[1:]) if y}
    return sorted(years, reverse=True)
