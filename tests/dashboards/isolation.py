"""Routes of the dashboards app in the isolation matrix (see tests/isolation.py)."""

from tests.isolation import Listing, Scoped, Static

STATS_ROLES = ("staff_a", "county_a")


def _b_township(cast):
    return cast.township_b


ROUTES = {
    "dashboards:workbench": Listing(roles=("staff_a",), marker=lambda c: c.township_b.name),
    "dashboards:county": Listing(roles=("county_a",), marker=lambda c: c.township_b.name),
    "dashboards:county_export": Listing(roles=("county_a",)),
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
