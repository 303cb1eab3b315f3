"""township_stats' dormant deputies and "six ones" completion: set queries grouped by township, equal to
the per-deputy performance archive (``archive_rows``) they replace, in a fixed number of queries."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import Attendance, MeetingAttendance, PresidiumMeeting, Session
from deputies import selectors
from deputies.models import Activity, Deputy, ReceptionDay, VoterContact
from presidium import registry
from presidium.models import Township
from suggestions.models import CoSigner, Status, Suggestion
from supervision.models import ActivityKind, ActivityParticipant, SupervisionActivity
from tests import factories as f
from tests.congress import factories as cf

from . import factories as df

TODAY = timezone.localdate()
YEAR_START, YEAR_END = dt.date(TODAY.year, 1, 1), dt.date(TODAY.year, 12, 31)


def reference(township_ids, start, end):
    """The figures as the archive defines them: archive_rows over every serving deputy, county by county."""
    out = {tid: {"deputies_dormant": 0, "six_ones_rate": 0} for tid in township_ids}
    deputies = list(Deputy.objects.filter(status=Deputy.Status.SERVING, township_id__in=township_ids))
    townships = {t.pk: t for t in Township.objects.filter(pk__in=township_ids).select_related("county")}
    by_county = defaultdict(list)
    for d in deputies:
        by_county[townships[d.township_id].county_id].append(d)
    for group in by_county.values():
        rules = townships[group[0].township_id].county.rules
        rows = selectors.archive_rows(group, start=start, end=end, rules=rules, today=min(end, TODAY))
        serving, complete = defaultdict(int), defaultdict(int)
        for row in rows:
            tid = row["deputy"].township_id
            serving[tid] += 1
            out[tid]["deputies_dormant"] += row["dormant"]
            complete[tid] += bool(row["six_ones"]) and row["six_ones_met"] == len(row["six_ones"])
        for tid, n in serving.items():
            out[tid]["six_ones_rate"] = round(100 * complete[tid] / n, 1)
    return out


def figures(township_ids, start, end):
    stats = selectors.township_stats(township_ids=township_ids, start=start, end=end)
    return {tid: {k: stats[tid][k] for k in ("deputies_dormant", "six_ones_rate")} for tid in township_ids}


def _day(rng):
    return TODAY - dt.timedelta(days=rng.randint(-30, 700))


def _at(day):
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())


def _records(rng, township, deputies, staff):
    """Every kind of record an archive source counts, with dates over two years and all statuses."""
    for d in deputies:
        for _ in range(rng.randint(0, 3)):
            df.contact(d, date=_day(rng), way=rng.choice(VoterContact.Way.values))
        if rng.random() < 0.3:
            df.duty_report(d, date=_day(rng))
        for _ in range(rng.randint(0, 3)):
            Suggestion.objects.create(
                township=township,
                title="建议",
                content="内容",
                status=rng.choice(Status.values),
                submitted_at=_at(_day(rng)),
                lead_deputy=d,
            )
    for _ in range(rng.randint(1, 4)):
        df.activity(
            township, kind=rng.choice(Activity.Kind.values), date=_day(rng), deputies=rng.sample(deputies, 2)
        )
    for _ in range(rng.randint(0, 2)):
        df.training(township, date=_day(rng), attendees=rng.sample(deputies, 2))
    station = df.station(township, name=f"站{township.pk}")
    for _ in range(rng.randint(0, 2)):
        status = rng.choice(ReceptionDay.Status.values)
        df.reception_day(station, date=_day(rng), deputies=rng.sample(deputies, 1), status=status)
    suggestions = list(Suggestion.objects.filter(township=township))
    for s in rng.sample(suggestions, min(3, len(suggestions))):
        for d in rng.sample(deputies, 2):
            if d.pk != s.lead_deputy_id:
                CoSigner.objects.create(suggestion=s, deputy=d, state=rng.choice(CoSigner.State.values))
    for _ in range(rng.randint(0, 2)):
        session = cf.session(township, status=rng.choice(Session.Status.values), start_date=_day(rng))
        for d in rng.sample(deputies, 2):
            Attendance.objects.create(session=session, deputy=d, status=rng.choice(Attendance.Status.values))
    for _ in range(rng.randint(0, 2)):
        meeting = cf.meeting(township, date=_day(rng), status=rng.choice(PresidiumMeeting.Status.values))
        for d in rng.sample(deputies, 2):
            MeetingAttendance.objects.create(
                meeting=meeting, deputy=d, status=rng.choice(Attendance.Status.values)
            )
    for _ in range(rng.randint(0, 2)):
        act = SupervisionActivity.objects.create(
            township=township,
            kind=rng.choice(ActivityKind.values),
            topic="视察",
            start_date=_day(rng),
            certificate_holder=rng.choice([None, *deputies]),
            created_by=staff,
        )
        for d in rng.sample(deputies, 1):
            ActivityParticipant.objects.create(activity=act, deputy=d)


def _county(name, **rules):
    county = f.CountyFactory(name=name)
    r = county.rules
    for key, value in rules.items():
        setattr(r, key, value)
    r.save()
    return county


def _townships(rng, county, n, staff, deputies_each=5):
    out = []
    for i in range(n):
        t = f.TownshipFactory(county=county, name=f"{county.name}{i}镇")
        ds = [df.deputy(t, name=f"{t.name}代表{j}") for j in range(deputies_each)]
        Deputy.objects.filter(pk=ds[-1].pk).update(status=Deputy.Status.RESIGNED)  # not counted
        _records(rng, t, ds, staff)
        out.append(t.pk)
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_dormant_and_six_ones_equal_the_archive_for_every_county_configuration(cast, seed):
    rng = random.Random(seed)
    easy = {"voters_visited": 1, "voter_forums": 1, "suggestions": 1, "practical_deeds": 0}
    counties = [
        _county("默认县"),  # statutory defaults: 12 months, six targets
        _county("三月县", dormant_after_months=3, six_ones_targets=easy),
        _county("联名县", dormant_after_months=6, six_ones_targets={"suggestions": 2, "voters_visited": 1}),
        _county("自定县", six_ones_targets={"suggestion_accepted": 1, "group_activity": 1}),  # no set query
        _county("无目标县", dormant_after_months=24, six_ones_targets={}),
        _county("全零县", six_ones_targets={"voters_visited": 0}),
    ]
    ids = [tid for county in counties for tid in _townships(rng, county, 2, cast.staff_a)]
    ids.append(f.TownshipFactory(county=counties[0], name="空镇").pk)  # no deputies
    windows = [
        (YEAR_START, YEAR_END),
        (dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31)),
        (TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=20)),
    ]
    seen_dormant = seen_complete = 0
    for start, end in windows:
        expected = reference(ids, start, end)
        assert figures(ids, start, end) == expected
        assert figures(ids[:3], start, end) == {tid: expected[tid] for tid in ids[:3]}
        seen_dormant += sum(v["deputies_dormant"] for v in expected.values())
        seen_complete += sum(v["six_ones_rate"] for v in expected.values())
    assert seen_dormant and seen_complete  # the data exercised both figures


def test_a_source_registered_by_another_app_still_counts(cast, monkeypatch):
    """A source the set queries do not cover is asked too (about the deputies still dormant)."""
    monkeypatch.setitem(
        registry._archive_sources,
        "test.visits",
        lambda ids, s, e: {
            cast.deputy_a.pk: {"voters_visited": 10, "meeting_leave": 1},
            cast.deputy_b.pk: {"meeting_absent": 3},
        },
    )
    for kind in ("voter_forum", "practical_deed", "needy_household", "dispute_mediation"):
        df.activity(cast.township_a, kind=kind, deputies=[cast.deputy_a])
    Suggestion.objects.create(
        township=cast.township_a, title="建议", content="内容", status=Status.SUBMITTED,
        submitted_at=timezone.now(), lead_deputy=cast.deputy_a,
    )  # fmt: skip
    ids = [cast.township_a.pk, cast.township_b.pk]
    got = figures(ids, YEAR_START, YEAR_END)
    assert got == reference(ids, YEAR_START, YEAR_END)
    assert got[cast.township_a.pk] == {"deputies_dormant": 1, "six_ones_rate": 50.0}
    assert got[cast.township_b.pk] == {"deputies_dormant": 1, "six_ones_rate": 0.0}


def test_dormant_and_six_ones_hand_counted(cast):
    """A: deputy_a did everything this year, deputy_a2 only took leave from a session → dormant.
    B: deputy_b co-signed a suggestion two years ago only → dormant; no six ones."""
    a, a2, b = cast.deputy_a, cast.deputy_a2, cast.deputy_b
    for _ in range(10):
        df.contact(a, way="visit")
    for kind in ("voter_forum", "practical_deed", "needy_household", "dispute_mediation"):
        df.activity(cast.township_a, kind=kind, deputies=[a])
    Suggestion.objects.create(
        township=cast.township_a, title="建议", content="内容", status=Status.SUBMITTED,
        submitted_at=timezone.now(), lead_deputy=a,
    )  # fmt: skip
    session = cf.session(cast.township_a, status=Session.Status.CLOSED, start_date=TODAY)
    Attendance.objects.create(session=session, deputy=a2, status=Attendance.Status.LEAVE)
    old = Suggestion.objects.create(
        township=cast.township_b, title="旧建议", content="内容", status=Status.CLOSED,
        submitted_at=timezone.now() - dt.timedelta(days=800), lead_deputy=None,
    )  # fmt: skip
    CoSigner.objects.create(suggestion=old, deputy=b, state=CoSigner.State.CONFIRMED)
    # None of these wake deputy_b: a cancelled session, a meeting not held, a reception day not held,
    # a draft or merged suggestion, an invitation to co-sign not confirmed, co-signing a draft.
    cancelled = cf.session(cast.township_b, status=Session.Status.CANCELLED, start_date=TODAY)
    Attendance.objects.create(session=cancelled, deputy=b, status=Attendance.Status.PRESENT)
    planned = cf.meeting(cast.township_b, date=TODAY, status=PresidiumMeeting.Status.PLANNED)
    MeetingAttendance.objects.create(meeting=planned, deputy=b, status=Attendance.Status.PRESENT)
    df.reception_day(
        df.station(cast.township_b), date=TODAY, deputies=[b], status=ReceptionDay.Status.PLANNED
    )
    for status in (Status.DRAFT, Status.MERGED):
        Suggestion.objects.create(
            township=cast.township_b, title="建议", content="内容", status=status,
            submitted_at=timezone.now(), lead_deputy=b,
        )  # fmt: skip
    invited = Suggestion.objects.create(
        township=cast.township_b,
        title="联名",
        content="内容",
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    CoSigner.objects.create(suggestion=invited, deputy=b, state=CoSigner.State.INVITED)
    draft = Suggestion.objects.create(
        township=cast.township_b,
        title="草稿",
        content="内容",
        status=Status.DRAFT,
        submitted_at=timezone.now(),
    )
    CoSigner.objects.create(suggestion=draft, deputy=b, state=CoSigner.State.CONFIRMED)
    ids = [cast.township_a.pk, cast.township_b.pk]
    got = figures(ids, YEAR_START, YEAR_END)
    assert got[cast.township_a.pk] == {"deputies_dormant": 1, "six_ones_rate": 50.0}
    assert got[cast.township_b.pk] == {"deputies_dormant": 1, "six_ones_rate": 0.0}
    assert got == reference(ids, YEAR_START, YEAR_END)


def test_township_stats_queries_do_not_grow_with_townships_or_counties(cast):
    rng = random.Random(3)

    def count(ids):
        with CaptureQueriesContext(connection) as ctx:
            selectors.township_stats(township_ids=ids, start=YEAR_START, end=YEAR_END)
        return len(ctx.captured_queries)

    for county in (cast.county_a, cast.county_b):
        county.rules  # noqa: B018 - created with defaults on first use
    two = _townships(rng, cast.county_a, 1, cast.staff_a) + _townships(rng, cast.county_b, 1, cast.staff_a)
    few = count(two)
    third = _county("第三县")
    six = two + _townships(rng, cast.county_a, 2, cast.staff_a) + _townships(rng, third, 2, cast.staff_a)
    assert count(six) == few
    assert few <= 20  # 10 counts, the townships, dormant deputies, one per six-ones metric (7)


def test_every_registered_archive_source_is_covered_by_the_set_queries():
    """A new archive source still counts (asked per call), but should get its table in _activity_tables."""
    assert set(registry.archive_sources()) == selectors.ACTIVITY_SOURCES
