import datetime as dt
import random

from django.utils import timezone

from suggestions import demo, selectors
from suggestions.models import Status, Suggestion, SuggestionCounter, SuggestionEvent


def test_demo_seeds_the_states_with_events_and_consistent_numbers(cast, monkeypatch):
    monkeypatch.setattr(demo, "PER_TOWNSHIP", 400)
    ctx = {
        "rng": random.Random(7),
        "today": timezone.localdate(),
        "townships": [cast.township_a],
        "deputies": {cast.township_a.pk: [cast.deputy_a, cast.deputy_a2]},
        # The first unit (where items of unknown category go) has no login of its own.
        "units": {cast.township_a.pk: [cast.unit_a2, cast.unit_a]},
        "users": {"staff1": cast.staff_a, "unit1": cast.unit_officer_a},
    }
    demo.seed(ctx)
    statuses = set(Suggestion.objects.values_list("status", flat=True))
    # Older items are further along; the early states depend on how many fall in the last weeks.
    assert {
        Status.CLOSED,
        Status.REHANDLING,
        Status.REPLIED,
        Status.SIGNED,
        Status.NOT_ACCEPTED,
        Status.WITHDRAWN,
        Status.MERGED,
    } <= statuses
    assert len(statuses) >= 9
    assert SuggestionEvent.objects.filter(action="create").count() == 400
    # That unit's steps were recorded for it by the office (代录).
    recorded = SuggestionEvent.objects.filter(on_behalf_unit=cast.unit_a2, channel="paper", action="reply")
    assert recorded.exists() and set(recorded.values_list("actor", flat=True)) == {cast.staff_a.pk}
    assert not SuggestionEvent.objects.filter(action="reply", actor__isnull=True).exists()
    assert (
        Suggestion.objects.filter(round=2).exists()
        and Suggestion.objects.filter(selectors.overdue_q()).exists()
    )
    # Numbers are unique per year and the counter continues after the last one.
    for counter in SuggestionCounter.objects.all():
        numbered = Suggestion.objects.filter(township=cast.township_a, year=counter.year)
        assert numbered.count() == counter.last == numbered.values("seq").distinct().count()
    year = timezone.localdate().year - 1
    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )[cast.township_a.pk]
    assert stats["received"] > 100 and 0 < stats["completion_rate"] <= 100
