"""Who sees what: the visibility of every deputies model (applied here, once), the deputy of a user,
the current term and the roster search."""

from django.db.models import Count, Q, QuerySet

from presidium.models import Role
from presidium.selectors import principal_role, scope

from ..models import (
    Activity,
    Deputy,
    DeputyGroup,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Term,
    Training,
    VoterContact,
    VoterOpinion,
)

# Roles that read the township roster; a deputy reads only their own record; unit officers nothing.
ROSTER_ROLES = (Role.STAFF, Role.COUNTY, Role.ADMIN, "api")


def deputies_visible_to(user) -> QuerySet[Deputy]:
    """Staff see their township's roster, county staff (and API keys) their county's, a deputy only
    their own record, a unit officer none."""
    qs = scope(Deputy.objects.select_related("township", "term", "district", "group"), user)
    role = principal_role(user)
    if role in ROSTER_ROLES:
        return qs
    if role == Role.DEPUTY:
        return qs.filter(user_id=user.pk)
    return qs.none()


def deputy_directory(user) -> QuerySet[Deputy]:
    """Names of the serving deputies of the user's township, for pickers (co-signers, duty rosters).
    Views built on it must show names only, never phones or certificates."""
    role = principal_role(user)
    if role is None or role == Role.UNIT:
        return Deputy.objects.none()
    return (
        scope(Deputy.objects.serving(), user)
        .select_related("district")
        .only("id", "name", "township_id", "birth_date", "district__name")
    )


def deputy_for_user(user) -> Deputy | None:
    if principal_role(user) != Role.DEPUTY:
        return None
    return Deputy.objects.select_related("township", "term", "district", "group").filter(user=user).first()


def current_term(township) -> Term | None:
    return Term.objects.filter(township=township).order_by("-number").first()


def terms_visible_to(user) -> QuerySet[Term]:
    if principal_role(user) not in ROSTER_ROLES:
        return Term.objects.none()
    return scope(Term.objects.select_related("township"), user)


def districts_visible_to(user) -> QuerySet[ElectoralDistrict]:
    if principal_role(user) not in ROSTER_ROLES:
        return ElectoralDistrict.objects.none()
    return scope(ElectoralDistrict.objects.select_related("township"), user)


def groups_visible_to(user) -> QuerySet[DeputyGroup]:
    if principal_role(user) not in ROSTER_ROLES:
        return DeputyGroup.objects.none()
    return scope(DeputyGroup.objects.select_related("township", "leader"), user)


def stations_visible_to(user) -> QuerySet[Station]:
    if principal_role(user) not in ROSTER_ROLES:
        return Station.objects.none()
    return scope(Station.objects.select_related("township"), user)


def reception_days_visible_to(user) -> QuerySet[ReceptionDay]:
    if principal_role(user) not in ROSTER_ROLES:
        return ReceptionDay.objects.none()
    return scope(ReceptionDay.objects.select_related("station"), user)


def voter_opinions_visible_to(user) -> QuerySet[VoterOpinion]:
    """Staff/county: their township(s). A unit officer: opinions forwarded to their unit. A deputy:
    opinions left at the stations they serve."""
    role = principal_role(user)
    qs = scope(VoterOpinion.objects.select_related("station", "unit", "reception_day", "deputy"), user)
    if role in ROSTER_ROLES:
        return qs
    if role == Role.UNIT:
        return qs.filter(unit_id=user.unit_id)
    if role == Role.DEPUTY:
        # Messages and visits at the stations the deputy serves (read-only), and the messages
        # voters left through the deputy's own code (代表码), which the deputy answers.
        return qs.filter(
            Q(station__in=Station.objects.filter(deputies__user_id=user.pk)) | Q(deputy__user_id=user.pk)
        )
    return qs.none()


def _records(model, user, *, deputies: str):
    """A township's records for roster readers; for a deputy, the records naming them through
    ``deputies`` (one deputy: ``"deputy"``; several: the many-to-many field)."""
    role = principal_role(user)
    qs = scope(model.objects.all(), user)
    if role in ROSTER_ROLES:
        return qs
    if role == Role.DEPUTY:
        mine = qs.filter(**{f"{deputies}__user_id": user.pk})
        return mine if deputies == "deputy" else mine.distinct()
    return qs.none()


def voter_contacts_visible_to(user):
    return _records(VoterContact, user, deputies="deputy").select_related("deputy")


def duty_reports_visible_to(user):
    return _records(DutyReport, user, deputies="deputy").select_related("deputy")


def trainings_visible_to(user):
    return _records(Training, user, deputies="attendees").annotate(
        attendee_count=Count("attendees", distinct=True)
    )


def activities_visible_to(user):
    return (
        _records(Activity, user, deputies="deputies")
        .select_related("group")
        .annotate(deputy_count=Count("deputies", distinct=True))
    )


def search_deputies(qs: QuerySet[Deputy], q: str) -> QuerySet[Deputy]:
    """Name, full pinyin (zhangsan), initials (zs) or certificate number."""
    q = (q or "").strip()
    if not q:
        return qs
    lowered = q.lower().replace(" ", "")
    return qs.filter(
        Q(name__icontains=q)
        | Q(name_pinyin__startswith=lowered)
        | Q(name_initials__startswith=lowered)
        | Q(certificate_no__icontains=q)
    )


def group_leader_ids(user, *, township) -> set[int]:
    """Ids of the deputies who lead one of the township's groups the user sees."""
    return set(groups_visible_to(user).filter(township=township).values_list("leader_id", flat=True))
