"""The deputies app's routes in the isolation matrix (see tests/isolation.py)."""

from deputies.models import Deputy, ReceptionDay, Term, Training, VoterOpinion
from tests.isolation import Listing, Posted, Public, Scoped, Static

from . import factories as df


def _next_term_b(c):
    """Township B's 11th term with one elected deputy: its 换届 would end deputy_b's service."""
    term = Term.objects.create(
        township=c.township_b, number=c.deputy_b.term.number + 1, start_date=c.deputy_b.term.start_date
    )
    df.deputy(c.township_b, name="乙镇新代表", term=term)
    return term


STAFF_COUNTY = ("staff_a", "county_a")
RECORD_READERS = ("staff_a", "deputy_a", "county_a")


def _deputy_b(cast):
    cast.deputy_b.name = "乙镇代表钱多多"
    cast.deputy_b.save(update_fields=["name"])
    return cast.deputy_b


def _station_b(cast):
    return df.station(cast.township_b, name="乙镇秘密联络站", deputies=[cast.deputy_b])


def _day_b(cast):
    return df.reception_day(_station_b(cast), deputies=[cast.deputy_b])


def _opinion_b(cast):
    return df.opinion(
        cast.township_b, content="乙镇选民的秘密意见", unit=cast.unit_b, status=VoterOpinion.Status.FORWARDED
    )


def _term_b_marker(cast):
    Term.objects.create(township=cast.township_b, number=77, start_date="2020-01-01")
    return "第七十七届"


def _a1_opinion(cast):
    """A voter's opinion forwarded to unit A1 (unit_a2's officer must not read it)."""
    return df.opinion(
        cast.township_a,
        content="甲镇转一号单位的意见QQ",
        unit=cast.unit_a,
        status=VoterOpinion.Status.FORWARDED,
    )


def _a1_code_message(cast):
    """A voter's message left through deputy A1's own code (deputy A2 must not read it)."""
    from deputies import services

    return services.deputy_message_submit(deputy=cast.deputy_a, content="给甲镇一号代表的私信QQ")


def _pending_import_b(cast, count):
    """A stale pending roster import in the user's session that names township B."""
    return {
        "deputies_roster_import": {
            "township": cast.township_b.pk,
            "term": cast.deputy_b.term_id,
            "path": "x.xlsx",
        }
    }


EDIT = {"name": "篡改的名字"}


def _marker(fn, text):
    def make(cast):
        fn(cast)
        return text

    return make


ROUTES = {
    "deputies:roster": Listing(roles=STAFF_COUNTY, marker=lambda c: _deputy_b(c).name),
    "deputies:deputy_create": Listing(
        roles=("staff_a",),
        marker=_marker(lambda c: df.district(c.township_b, name="乙镇第九选区"), "乙镇第九选区"),
    ),
    "deputies:deputy_detail": Scoped(make=_deputy_b),
    "deputies:deputy_edit": Scoped(make=_deputy_b, data=lambda c, o: {**EDIT, "phone": "13900000000"}),
    "deputies:deputy_status": Scoped(
        make=_deputy_b,
        method="post",
        data=lambda cast, obj: {
            "to_status": "resigned",
            "effective_date": "2024-01-01",
            "expected_status": "serving",
        },
        unchanged=lambda cast, obj: Deputy.objects.get(pk=obj.pk).status == Deputy.Status.SERVING,
    ),
    "deputies:me": Listing(roles=("deputy_a",), marker=lambda c: _deputy_b(c).name),
    "deputies:composition": Listing(roles=STAFF_COUNTY, marker=lambda c: c.township_b.name),
    "deputies:terms": Listing(roles=STAFF_COUNTY, marker=_term_b_marker),
    "deputies:term_close": Scoped(
        make=lambda c: c.deputy_b.term,
        method="post",
        data=lambda cast, obj: {"effective_date": "2024-01-01"},
        unchanged=lambda cast, obj: Deputy.objects.get(pk=cast.deputy_b.pk).status == Deputy.Status.SERVING,
    ),
    "deputies:term_change": Scoped(
        make=lambda c: _next_term_b(c),
        method="post",
        data=lambda cast, obj: {"effective_date": "2024-01-01", "carry_over": "1"},
        unchanged=lambda cast, obj: Deputy.objects.get(pk=cast.deputy_b.pk).status == Deputy.Status.SERVING,
    ),
    "deputies:districts": Listing(
        roles=STAFF_COUNTY,
        marker=_marker(lambda c: df.district(c.township_b, name="乙镇第九选区"), "乙镇第九选区"),
    ),
    "deputies:district_edit": Scoped(
        make=lambda c: df.district(c.township_b, name="乙镇第九选区"), data=lambda c, o: EDIT
    ),
    "deputies:groups": Listing(
        roles=STAFF_COUNTY, marker=lambda c: df.group(c.township_b, name="乙镇秘密小组").name
    ),
    "deputies:group_edit": Scoped(
        make=lambda c: df.group(c.township_b, name="乙镇秘密小组"), data=lambda c, o: EDIT
    ),
    "deputies:stations": Listing(roles=STAFF_COUNTY, marker=lambda c: _station_b(c).name),
    "deputies:station_create": Listing(roles=("staff_a",), marker=lambda c: _deputy_b(c).name),
    "deputies:station_detail": Scoped(make=_station_b),
    "deputies:station_edit": Scoped(make=_station_b, data=lambda c, o: {**EDIT, "address": "篡改"}),
    "deputies:station_qr": Scoped(make=_station_b),
    "deputies:voter_message": Public(kwargs={"token": "no-such-station"}),
    "deputies:opinions": Listing(
        roles=(*STAFF_COUNTY, "unit_a", "deputy_a"),
        marker=lambda c: _opinion_b(c).content,
        peer_markers={
            "unit_a2": lambda c: _a1_opinion(c).content,
            "deputy_a2": lambda c: _a1_code_message(c).content,
        },
    ),
    "deputies:opinion_detail": Scoped(
        make=_opinion_b,
        method="post",
        data=lambda cast, obj: {"action": "reply", "expected_status": "forwarded", "comment": "已办"},
        unchanged=lambda cast, obj: (
            VoterOpinion.objects.get(pk=obj.pk).status == VoterOpinion.Status.FORWARDED
        ),
        peers={"unit_a2": _a1_opinion, "deputy_a2": _a1_code_message},
    ),
    "deputies:reception_days": Listing(roles=STAFF_COUNTY, marker=lambda c: _day_b(c).station.name),
    "deputies:reception_day_detail": Scoped(
        make=_day_b,
        method="post",
        data=lambda cast, obj: {"content": "想反映一个问题"},
        unchanged=lambda cast, obj: not obj.opinions.exists(),
    ),
    "deputies:reception_day_status": Scoped(
        make=_day_b,
        method="post",
        data=lambda cast, obj: {"action": "cancel"},
        unchanged=lambda cast, obj: ReceptionDay.objects.get(pk=obj.pk).status == ReceptionDay.Status.PLANNED,
    ),
    "deputies:contacts": Listing(
        roles=RECORD_READERS,
        marker=lambda c: df.contact(c.deputy_b, voter_name="乙镇选民甲乙").voter_name,
        peer_markers={
            "deputy_a2": lambda c: df.contact(c.deputy_a, voter_name="甲镇一号代表的选民QQ").voter_name
        },
    ),
    "deputies:trainings": Listing(
        roles=RECORD_READERS,
        marker=lambda c: df.training(c.township_b, topic="乙镇秘密培训", attendees=[c.deputy_b]).topic,
        peer_markers={
            "deputy_a2": lambda c: (
                df.training(c.township_a, topic="一号代表的培训QQ", attendees=[c.deputy_a]).topic
            )
        },
    ),
    "deputies:activities": Listing(
        roles=RECORD_READERS,
        marker=lambda c: df.activity(c.township_b, title="乙镇秘密活动", deputies=[c.deputy_b]).title,
    ),
    "deputies:duty_reports": Listing(
        roles=RECORD_READERS, marker=_marker(lambda c: df.duty_report(_deputy_b(c)), "乙镇代表钱多多")
    ),
    "deputies:record_delete": Scoped(
        make=lambda c: df.training(c.township_b, topic="乙镇秘密培训"),
        method="post",
        kwargs=lambda obj: {"kind": "trainings", "pk": obj.pk},
        unchanged=lambda cast, obj: Training.objects.filter(pk=obj.pk).exists(),
    ),
    "deputies:archive": Listing(roles=STAFF_COUNTY, marker=lambda c: _deputy_b(c).name),
    "deputies:archive_export": Listing(roles=STAFF_COUNTY, marker=lambda c: _deputy_b(c).name),
    "deputies:roster_import": Listing(roles=("staff_a",)),
    "deputies:roster_import_confirm": Posted(
        make=lambda c: Deputy.objects.count(),
        session=_pending_import_b,
        data=lambda c, n: {"action": "commit"},
        unchanged=lambda c, n: Deputy.objects.count() == n,
    ),
    "deputies:import_template": Static(roles=("staff_a",)),
    "deputies:export_roster": Listing(roles=STAFF_COUNTY, marker=lambda c: _deputy_b(c).name),
    "deputies:export_grouping": Listing(roles=STAFF_COUNTY, marker=lambda c: _deputy_b(c).name),
    "deputy-list": Listing(roles=STAFF_COUNTY, marker=lambda c: _deputy_b(c).name),
    "deputy-detail": Scoped(make=_deputy_b),
}


def _code_message_b(cast):
    from deputies import services

    return services.deputy_message_submit(deputy=cast.deputy_b, content="乙镇选民给代表的秘密留言")


# 代表码: the card and QR of a deputy (staff of the township, county staff, the deputy), the
# deputy's own card (with the messages left for them), and the public message page.
ROUTES["deputies:my_card"] = Listing(
    roles=("deputy_a",),
    marker=lambda c: _code_message_b(c).content,
    peer_markers={"deputy_a2": lambda c: _a1_code_message(c).content},
)
ROUTES["deputies:deputy_card"] = Scoped(make=_deputy_b)
ROUTES["deputies:deputy_card_qr"] = Scoped(make=_deputy_b)
ROUTES["deputies:deputy_message"] = Public(kwargs={"token": "no-such-deputy"})
