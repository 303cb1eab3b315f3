"""An outside tester's run of the paper half of the work, all through the pages: a 2027 session's
paper suggestion entered on 2027-01-05 by staff for a deputy who has no login, handled by a unit that
has no login, signed for, replied to and rated by phone — recorded by the office — and closed."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions import selectors
from suggestions.models import Status, Suggestion
from tests import factories as f
from tests.congress.factories import session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _act(client, s, action, **data):
    s.refresh_from_db()
    return client.post(reverse("suggestions:action", args=[s.pk, action]), {"version": s.version, **data})


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_paper_suggestion_of_the_2027_session_is_carried_to_its_end_for_people_who_never_log_in(
    cast, time_machine
):
    time_machine.move_to(dt.datetime(2027, 1, 12, 9, 0))
    sess = session(cast.township_a, status="closed", start_date=dt.date(2027, 1, 5))
    old_li = f.DeputyFactory(township=cast.township_a, name="李老汉", phone="")
    water = f.HandlingUnitFactory(township=cast.township_a, name="甲镇水利站")  # no officer, no login
    staff = cast.client_for(cast.staff_a)

    entered = staff.post(
        reverse("suggestions:paper"),
        {
            "title": "东沟村灌溉渠年久失修",
            "content": "东沟村灌溉渠多处垮塌，春灌前需修复。",
            "category": "水利设施",
            "level": "township",
            "lead_deputy": old_li.pk,
            "received_on": "2027-01-05",
            "session": sess.pk,
            "originals": SimpleUploadedFile("原件.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert entered.status_code == 302, text(entered)[-2500:]
    s = Suggestion.objects.get(title="东沟村灌溉渠年久失修")
    assert s.lead_deputy == old_li and s.session == sess and s.during_session

    _act(staff, s, "accept", category="水利设施", level="township")
    _act(staff, s, "assign", unit=water.pk, responsible_leader="王副镇长")
    s.refresh_from_db()
    assert (s.status, s.year, s.number) == (Status.ASSIGNED, 2027, "2027-001")

    detail = text(staff.get(reverse("suggestions:detail", args=[s.pk])))
    assert "代 甲镇水利站 录入" in detail and "代录签收" in detail

    signed = _act(staff, s, "sign", on_behalf_unit=water.pk, channel="phone")
    assert signed.status_code == 302
    assert _messages(staff.get(signed["Location"]))[0].startswith("已代 甲镇水利站 录入（电话）。")
    _act(
        staff,
        s,
        "contact",
        contacted_on="2027-01-12",
        method="site",
        comment="站长陪同代表现场察看渠道",
        on_behalf_unit=water.pk,
        channel="paper",
    )
    replied = staff.post(
        reverse("suggestions:action", args=[s.pk, "reply"]),
        {
            "version": Suggestion.objects.get(pk=s.pk).version,
            "outcome_class": "A",
            "comment": "已安排资金修复灌溉渠，三月底前完工。",
            "attachments": SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf"),
            "on_behalf_unit": water.pk,
            "channel": "paper",
        },
    )
    assert replied.status_code == 302
    s.refresh_from_db()
    assert s.status == Status.REPLIED, text(staff.get(reverse("suggestions:detail", args=[s.pk])))[-3000:]

    rated = _act(
        staff,
        s,
        "rate",
        rating="satisfied",
        comment="渠修好了，满意",
        on_behalf_deputy=old_li.pk,
        channel="phone",
    )
    assert rated.status_code == 302
    page = staff.get(rated["Location"])
    s.refresh_from_db()
    assert s.status == Status.CLOSED and s.rating == "satisfied"
    body = text(page)
    # Said to the office that recorded it, not to the deputy ("谢谢您的监督" was shown to the secretary).
    said = _messages(page)
    assert said[-1] == "已代 代表李老汉 录入（电话）。这条建议已办结，代表登录后可以看到评价记录。"
    assert all(m.startswith("已代 ") for m in said) and not any("谢谢您的监督" in m for m in said)
    assert "人大办 甲镇人大秘书 代 甲镇水利站 录入（电话）" in body
    assert "代 甲镇水利站 录入（纸质）" in body
    assert "代 代表李老汉 录入（电话）" in body
    assert "渠修好了，满意" in body

    stats = selectors.township_stats(
        township_ids=[cast.township_a.pk], start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
    )[cast.township_a.pk]
    assert stats["received"] == 1 and stats["received_in_session"] == 1 and stats["closed"] == 1
