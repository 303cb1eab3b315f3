"""The township figures contract shared by their readers (dashboards, the statistics API, the annual
report): how a figure's key says it is a rate. See docs/DEVELOPING.md, "township figures"."""

# A rate (a percentage with one decimal) is named with one of these endings; every rate key an app
# reports is also declared in its STATS_RATES with the two counts it is computed from.
RATE_SUFFIXES = ("_rate", "_pct", "_percent", "_share")


def is_rate(key: str) -> bool:
    """Whether a figure is a rate: shown as a percentage, never summed or charted as a count."""
    return key.endswith(RATE_SUFFIXES)
