"""Routes of the dashboards app in the isolation matrix (see tests/isolation.py)."""

from tests.isolation import Listing, Scoped, Static

STATS_ROLES = ("staff_a", "county_a")


def _b_township(cast):
    return cast.township_b


ROUTES = {
    "dashboards:workbench": Listing(roles=("staff_a",), marker=lambda c: c.township_b.name),
    "dashboards:county": Listing(roles=("county_a",), marker=lambda c: c.township_b.name),
    "dashboards:county_export": Listing(roles=("county_a",), marker=lambda c: c.township_b.name),
    "dashboards:township": Scoped(make=_b_township),
    "stats-labels": Static(roles=STATS_ROLES),
    "stats-county": Scoped(make=lambda c: c.county_b),
    "stats-county-section": Scoped(
        make=lambda c: c.county_b, kwargs=lambda obj: {"pk": obj.pk, "section": "suggestions"}
    ),
    "stats-township": Scoped(make=_b_township),
    "stats-township-section": Scoped(
        make=_b_township, kwargs=lambda obj: {"pk": obj.pk, "section": "suggestions"}
    ),
}


def _suggestion_b(cast):
    from suggestions.models import Status
    from tests.suggestions.helpers import make

    make(cast, Status.SIGNED, side="b", title="乙镇机密建议QX")
    return "乙镇机密建议QX"


def _activity_b(cast):
    from tests.supervision.factories import activity

    activity(cast.township_b, topic="乙镇机密视察QX")
    return "乙镇机密视察QX"


ROUTES |= {
    "stats-suggestions": Listing(roles=STATS_ROLES, marker=_suggestion_b),
    "stats-activities": Listing(roles=STATS_ROLES, marker=_activity_b),
}
ROUTES["stats-township-breakdown"] = Scoped(make=_b_township)
