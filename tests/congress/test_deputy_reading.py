"""A deputy reads the sessions they sit in, and the reports they will vote on, from their phone."""

from django.core.files.base import ContentFile
from django.urls import reverse

from congress.models import AgendaItem
from tests import factories as f

from . import factories as cf


def _session_with_report(township):
    sess = cf.session(township, place="镇政府三楼会议室")
    item = cf.agenda_item(sess, kind=AgendaItem.Kind.GOVERNMENT_REPORT, title="政府工作报告")
    item.document.save(
        "政府工作报告.txt", ContentFile("报告全文：今年完成道路硬化12公里。".encode()), save=True
    )
    return sess, item


def test_my_meetings_links_each_session_and_the_session_page_links_its_reports(cast):
    sess, item = _session_with_report(cast.township_a)
    client = cast.client_for(cast.deputy_a.user)
    page = client.get(reverse("congress:my_meetings")).content.decode()
    assert reverse("congress:my_session", args=[sess.pk]) in page
    page = client.get(reverse("congress:my_session", args=[sess.pk])).content.decode()
    assert "政府工作报告" in page and "镇政府三楼会议室" in page
    document = client.get(reverse("congress:my_agenda_document", args=[item.pk]))
    assert document.status_code == 200
    assert b"".join(document.streaming_content).decode() == "报告全文：今年完成道路硬化12公里。"


def test_a_deputy_of_another_term_cannot_read_the_session_or_its_report(cast):
    sess, item = _session_with_report(cast.township_a)
    newer_term = f.TermFactory(township=cast.township_a, number=sess.term.number + 1)
    outsider = f.deputy_with_login(cast.township_a, term=newer_term)
    client = cast.client_for(outsider.user)
    assert client.get(reverse("congress:my_session", args=[sess.pk])).status_code == 404
    assert client.get(reverse("congress:my_agenda_document", args=[item.pk])).status_code == 404


def test_staff_use_their_own_session_page_not_the_deputy_one(cast):
    sess, _item = _session_with_report(cast.township_a)
    client = cast.client_for(cast.staff_a)
    assert client.get(reverse("congress:my_session", args=[sess.pk])).status_code == 403


def test_a_session_is_named_in_chinese_numerals_in_chinese_and_in_digits_in_english(cast):
    from django.utils import translation

    sess = cf.session(cast.township_a, number=2)
    sess.term.number = 10
    with translation.override("zh-hans"):
        assert str(sess) == "第十届人民代表大会第二次会议"
    with translation.override("en"):
        assert "十" not in str(sess) and "10" in str(sess) and "2" in str(sess)
