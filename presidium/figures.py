"""The township figures contract shared by their readers (dashboards, the statistics API, the annual
report): how a figure's key says it is a rate. See docs/DEVELOPING.md, "township figures"."""

# A rate (a percentage with one decimal) is named with one of these endings; every rate key an app
# reports is also declared in its STATS_RATES with the two counts it is computed from.
RATE_SUFFIXES = ("_rate", "_pct", "_percent", "_share")


def is_rate(key: str) -> bool:
    """Whether a figure is a rate: shown as a percentage, never summed or charted as a count."""
    return key.endswith(RATE_SUFFIXES)


# The apps that provide township figures: each one's ``selectors`` module defines
# ``township_stats(*, township_ids, start, end)``, ``STATS_LABELS`` and ``STATS_RATES``. The list is
# explicit (a new provider is added here); the modules are imported directly, so a provider that
# fails to import is an error, never a silently missing section.
STATS_APPS = ("suggestions", "deputies", "congress", "supervision", "livelihood")


def stats_modules() -> dict:
    """{app label: its selectors module} for every provider of township figures, in STATS_APPS order."""
    from congress import selectors as congress
    from deputies import selectors as deputies
    from livelihood import selectors as livelihood
    from suggestions import selectors as suggestions
    from supervision import selectors as supervision

    modules = {
        "suggestions": suggestions,
        "deputies": deputies,
        "congress": congress,
        "supervision": supervision,
        "livelihood": livelihood,
    }
    return {label: modules[label] for label in STATS_APPS}
