"""A motion handed in on paper: the day it was received, its category and level, the scanned
original; handled as a suggestion it keeps them, counts as made during the session and takes the
number of the year it was received in."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress import services
from congress.models import Motion

from . import factories as cf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def signers(cast):
    return [cast.deputy_a, cast.deputy_a2, *cf.deputies(cast.township_a, 3)]


def _submit(cast, session, signers, **kw):
    return services.motion_submit(
        session=session,
        title="关于修建白沙河大桥的议案",
        grounds="群众出行难",
        plan="争取县交通局立项",
        lead_deputy=signers[0],
        co_deputies=signers[1:],
        actor=cast.staff_a,
        **kw,
    )


def test_a_paper_motion_of_a_january_session_becomes_a_2027_suggestion_made_at_the_session(
    cast, signers, time_machine
):
    from suggestions import selectors as ss
    from suggestions import services as sugg

    time_machine.move_to(dt.datetime(2027, 1, 9, 10, 0))
    session = cf.session(cast.township_a, status="in_session", start_date=dt.date(2027, 1, 5))
    motion = _submit(
        cast, session, signers, received_on=dt.date(2027, 1, 5), category="桥梁建设", level="county"
    )
    motion = services.motion_decide(motion=motion, decision="as_suggestion", actor=cast.staff_a)
    s = motion.suggestion
    assert (s.session, s.during_session, s.category, s.level) == (session, True, "桥梁建设", "county")
    assert s.submitted_at.date() == dt.date(2027, 1, 5) and s.assign_due is None
    sugg.suggestion_accept(suggestion=s, actor=cast.staff_a)
    s.refresh_from_db()
    assert s.number == "2027-001"
    stats = ss.township_stats(
        township_ids=[cast.township_a.pk], start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
    )[cast.township_a.pk]
    assert stats["received_in_session"] == 1 and stats["received_between_sessions"] == 0


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"received_on": dt.date.today() + dt.timedelta(days=2)}, "收到日期不能晚于今天"),
        ({"category": "不存在的分类"}, "不在本县的建议分类中"),
        ({"level": "province"}, "办理层级"),
    ],
)
def test_bad_paper_motion_data_is_refused_and_nothing_is_saved(cast, signers, kw, message):
    with pytest.raises(ValidationError, match=message):
        _submit(cast, cf.session(cast.township_a), signers, **kw)
    assert not Motion.objects.exists()


def test_the_scanned_original_is_kept_and_served_only_through_the_motion(cast, signers):
    session = cf.session(cast.township_a)
    client = cast.client_for(cast.staff_a)
    client.post(
        reverse("congress:motion_create", args=[session.pk]),
        {
            "title": "关于集镇污水管网改造的议案",
            "grounds": "污水直排",
            "plan": "分期改造",
            "lead_deputy": signers[0].pk,
            "co_deputies": [d.pk for d in signers[1:]],
            "received_on": dt.date.today().isoformat(),
            "category": "生态环境",
            "level": "township",
            "original": SimpleUploadedFile("议案原件.pdf", PDF, content_type="application/pdf"),
        },
    )
    motion = Motion.objects.get()
    assert motion.original and motion.received_on == dt.date.today() and motion.category == "生态环境"
    page = client.get(reverse("congress:motion_detail", args=[motion.pk])).content.decode()
    assert reverse("congress:motion_original", args=[motion.pk]) in page
    r = client.get(reverse("congress:motion_original", args=[motion.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert (
        cast.client_for(cast.staff_b).get(reverse("congress:motion_original", args=[motion.pk])).status_code
        == 404
    )


def test_a_disguised_scan_is_refused_by_the_form(cast, signers, staff_client):
    session = cf.session(cast.township_a)
    response = staff_client.post(
        reverse("congress:motion_create", args=[session.pk]),
        {
            "title": "议案",
            "grounds": "据",
            "plan": "案",
            "lead_deputy": signers[0].pk,
            "co_deputies": [d.pk for d in signers[1:]],
            "original": SimpleUploadedFile(
                "原件.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 200 and not Motion.objects.exists()
