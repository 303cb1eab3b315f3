"""The lists the deputies pages show, with their counts: each starts from the user's visibility
(``visibility``), so a page cannot widen it; the public pages find their station or deputy by token."""

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from ..models import Deputy, DeputyGroup, ReceptionDay, Station, Term, VoterOpinion, serving_on_q
from .visibility import (
    districts_visible_to,
    groups_visible_to,
    reception_days_visible_to,
    stations_visible_to,
    terms_visible_to,
)


def term_rows(user, *, township) -> QuerySet[Term]:
    """The township's terms, newest first, with the deputies in office today and in all."""
    return (
        terms_visible_to(user)
        .filter(township=township)
        .annotate(
            serving=Count("deputies", filter=serving_on_q(timezone.localdate(), "deputies__")),
            total=Count("deputies"),
        )
        .order_by("-number")
    )


def group_rows(user) -> QuerySet[DeputyGroup]:
    """The groups the user sees, with their members in office today."""
    return (
        groups_visible_to(user)
        .annotate(member_count=Count("members", filter=serving_on_q(timezone.localdate(), "members__")))
        .order_by("township__code", "name")
    )


def station_rows(user) -> QuerySet[Station]:
    """The stations the user sees, with their deputies, open opinions and last reception day held."""
    return (
        stations_visible_to(user)
        .annotate(
            deputy_count=Count("deputies", distinct=True),
            open_opinions=Count(
                "opinions", filter=Q(opinions__status=VoterOpinion.Status.OPEN), distinct=True
            ),
            last_held=Max("reception_days__date", filter=Q(reception_days__status=ReceptionDay.Status.HELD)),
        )
        .order_by("township__code", "kind", "name")
    )


def reception_day_rows(user) -> QuerySet[ReceptionDay]:
    """The reception days the user sees, newest first, with their visitors and deputies on duty."""
    return (
        reception_days_visible_to(user)
        .annotate(visitor_count=Count("opinions", distinct=True), duty_count=Count("deputies", distinct=True))
        .order_by("-date", "station__name")
    )


def place_names(user, *, township) -> dict[str, list[str]]:
    """The names of the township's districts and groups (the import's choices for those columns)."""
    return {
        "district": [d.name for d in districts_visible_to(user).filter(township=township)],
        "group": [g.name for g in groups_visible_to(user).filter(township=township)],
    }


def fixed_voter_count(deputy: Deputy, *, start: dt.date, end: dt.date) -> int:
    """Distinct voters the deputy contacted in [start, end] (固定联系选民)."""
    return (
        deputy.voter_contacts.filter(date__gte=start, date__lte=end).values("voter_name").distinct().count()
    )


# --- The public pages (no login): whoever holds the token reads the page --------------------------------


def station_for_token(token: str) -> Station | None:
    """The station behind a public QR code."""
    return Station.objects.select_related("township").filter(public_token=token).first()


def station_public_deputies(station: Station) -> QuerySet[Deputy]:
    """The names of the station's deputies in office, for its public page."""
    return station.deputies.serving().only("name").order_by("name_pinyin")


def deputy_for_token(token: str) -> Deputy | None:
    """The deputy behind a 代表码."""
    if not token:
        return None
    return Deputy.objects.select_related("township", "district").filter(public_token=token).first()


def is_serving_today(deputy: Deputy) -> bool:
    """In office today by the one serving rule (the status history, not the status field)."""
    return Deputy.objects.serving().filter(pk=deputy.pk).exists()
