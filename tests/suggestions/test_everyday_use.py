"""What real users trip over: the unit inbox order, merge candidates, kept text, next-step messages."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies import services as deputy_services
from suggestions import services
from suggestions.models import Status, Suggestion
from supervision import services as supervision_services
from tests.supervision import factories as sf

from .helpers import make


def _titles(response):
    return [s.title for s in response.context["page"]]


def test_unit_inbox_puts_overdue_first_then_to_sign_then_in_progress_then_replied(cast):
    closed = make(cast, Status.CLOSED, title="已办结的路灯")
    replied = make(cast, Status.REPLIED, title="已答复的水渠")
    signed = make(cast, Status.SIGNED, title="办理中的桥梁")
    to_sign = make(cast, Status.ASSIGNED, title="待签收的校车")
    late = make(cast, Status.SIGNED, title="逾期的垃圾站")
    Suggestion.objects.filter(pk=late.pk).update(due_date=dt.date.today() - dt.timedelta(days=3))
    client = cast.client_for(cast.unit_officer_a)
    response = client.get(reverse("suggestions:unit_inbox"))
    assert _titles(response) == [late.title, to_sign.title, signed.title, replied.title]
    # finished items wait behind the status filter
    finished = client.get(reverse("suggestions:unit_inbox"), {"status": "closed"})
    assert _titles(finished) == [closed.title]


def test_unit_inbox_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    for i in range(6):
        make(cast, Status.ASSIGNED, title=f"交办事项{i}")
    client = cast.client_for(cast.unit_officer_a)
    with django_assert_max_num_queries(14):
        client.get(reverse("suggestions:unit_inbox"))


def test_merge_picker_offers_only_accepted_items_of_the_township_and_is_searchable(cast):
    duplicate = make(cast, Status.SUBMITTED, title="重复：村口道路坑洼")
    accepted = make(cast, Status.ACCEPTED, title="已立案的道路建议")
    in_handling = make(cast, Status.SIGNED, title="办理中的道路建议")
    make(cast, Status.SUBMITTED, title="尚未立案的建议")
    make(cast, Status.NOT_ACCEPTED, title="不予立案的建议")
    make(cast, Status.CLOSED, title="已办结的建议")
    make(cast, Status.ACCEPTED, side="b", title="乙镇的建议")
    response = cast.client_for(cast.staff_a).get(reverse("suggestions:detail", args=[duplicate.pk]))
    targets = {t.title for t in response.context["merge_targets"]}
    assert targets == {accepted.title, in_handling.title}
    assert 'data-picker="suggestion"' in response.content.decode()


def test_assign_pickers_start_empty_and_are_searchable(cast):
    s = make(cast, Status.ACCEPTED)
    page = cast.client_for(cast.staff_a).get(reverse("suggestions:detail", args=[s.pk])).content.decode()
    assert (
        '<select id="as-unit" name="unit" class="form-select form-select-sm" required data-picker="unit"><option value="">'
        in page
    )


def test_a_refused_attachment_keeps_the_reply_the_unit_typed(cast):
    s = make(cast, Status.SIGNED)
    services.suggestion_record_contact(
        suggestion=s,
        actor=cast.unit_officer_a,
        contacted_on=dt.date.today(),
        method="phone",
        summary="电话沟通",
    )
    client = cast.client_for(cast.unit_officer_a)
    long_reply = "经实地查看，村口道路破损约200米，已列入明年春季维修计划，资金由镇财政安排。"
    fake = SimpleUploadedFile("现场照片.png", b"this is not an image at all", content_type="image/png")
    response = client.post(
        reverse("suggestions:action", args=[s.pk, "reply"]),
        {"version": s.version, "outcome_class": "B", "comment": long_reply, "attachments": [fake]},
        follow=True,
    )
    page = response.content.decode()
    assert "不是图片或 PDF 文件" in page
    assert long_reply in page and '<option value="B" selected>' in page
    s.refresh_from_db()
    assert s.status == Status.SIGNED and not s.replies.exists()
    # the kept text is shown once, not forever
    assert long_reply not in client.get(reverse("suggestions:detail", args=[s.pk])).content.decode()


def test_messages_after_an_action_say_what_happens_next(cast):
    s = make(cast, Status.ACCEPTED)
    client = cast.client_for(cast.staff_a)
    response = client.post(
        reverse("suggestions:action", args=[s.pk, "assign"]),
        {"version": s.version, "unit": cast.unit_a.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "已交办，承办单位和代表会收到通知；承办单位须按期签收。" in page
    assert "操作成功" not in page


def test_rating_message_tells_the_deputy_whether_the_item_is_closed_or_handled_again(cast):
    s = make(cast, Status.REPLIED)
    client = cast.client_for(cast.deputy_a.user)
    response = client.post(
        reverse("suggestions:action", args=[s.pk, "rate"]),
        {"version": s.version, "rating": "unsatisfied", "comment": "只修了一半"},
        follow=True,
    )
    assert "评价已提交，承办单位将重新办理并再次答复您。" in response.content.decode()


def test_the_deputys_landing_page_lists_what_they_owe_first(cast):
    replied = make(cast, Status.REPLIED, title="东岭村饮水管道老化")
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    client = cast.client_for(cast.deputy_a.user)
    page = client.get(reverse("suggestions:my")).content.decode()
    owed = page[page.index("需要您办理的事") :]
    assert "请评价" in owed and replied.title in owed
    assert "民主测评投票" in owed and reverse("supervision:appraisal_vote", args=[appraisal.pk]) in owed
    # once the deputy has voted, the appraisal leaves the list
    target = appraisal.targets.get()
    supervision_services.appraisal_cast(
        appraisal=appraisal, deputy=cast.deputy_a, choices={target.pk: "satisfied"}, actor=cast.deputy_a.user
    )
    page = client.get(reverse("suggestions:my")).content.decode()
    assert "民主测评投票" not in page


def test_the_deputys_landing_page_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    def landing():
        return cast.client_for(cast.deputy_a.user).get(reverse("suggestions:my"))

    make(cast, Status.REPLIED, title="答复待评价一")
    deputy_services.deputy_message_submit(deputy=cast.deputy_a, content="村口路灯坏了很久了")
    with django_assert_max_num_queries(40) as few:
        landing()
    for i in range(5):
        make(cast, Status.REPLIED, title=f"答复待评价{i}")
        deputy_services.deputy_message_submit(deputy=cast.deputy_a, content=f"第{i}条选民留言内容")
    with django_assert_max_num_queries(len(few.captured_queries)):
        landing()


def test_an_open_livelihood_ballot_is_among_what_the_deputy_owes(cast):
    from livelihood import services as livelihood_services
    from tests.livelihood import factories as lf

    year = lf.township_year(cast)
    lf.candidates(year)
    ballot = livelihood_services.ballot_open(session=year.session, actor=year.staff)
    page = cast.client_for(cast.deputy_a.user).get(reverse("suggestions:my")).content.decode()
    owed = page[page.index("需要您办理的事") :]
    assert "民生实事票决" in owed and reverse("livelihood:ballot_vote", args=[ballot.pk]) in owed
