import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision import services
from supervision.models import (
    ActivityKind,
    ActivityParticipant,
    AppraisalTarget,
    AppraisalVoter,
    CommitmentItem,
    Finding,
    Petition,
    Rectification,
    RectificationEvent,
)
from supervision.selectors import activity_figures, appraisal_results, overdue_q, rectification_list

from . import factories as sf

pytestmark = pytest.mark.django_db


# --- activities and findings ------------------------------------------------------------------


def test_law_enforcement_inspection_requires_the_law_checked(cast):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            township=cast.township_a,
            actor=cast.staff_a,
            kind=ActivityKind.LAW_ENFORCEMENT,
            topic="土地执法检查",
            start_date=dt.date(2024, 4, 1),
        )
    assert "law_checked" in exc.value.message_dict


def test_certificate_inspection_records_the_deputy_as_participant(cast):
    act = services.activity_create(
        township=cast.township_a,
        actor=cast.staff_a,
        kind=ActivityKind.INSPECTION,
        topic="持证视察农贸市场",
        start_date=dt.date(2024, 4, 1),
        certificate_holder=cast.deputy_a,
    )
    assert act.is_certificate_inspection
    assert list(act.participants.values_list("deputy_id", flat=True)) == [cast.deputy_a.pk]


def test_activity_cannot_target_another_townships_unit(cast):
    with pytest.raises(ValidationError):
        services.activity_create(
            township=cast.township_a,
            actor=cast.staff_a,
            kind=ActivityKind.RESEARCH,
            topic="调研",
            start_date=dt.date(2024, 4, 1),
            target_units=[cast.unit_b],
        )


def test_staff_of_another_township_cannot_create_an_activity(cast):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            township=cast.township_a,
            actor=cast.staff_b,
            kind=ActivityKind.RESEARCH,
            topic="调研",
            start_date=dt.date(2024, 4, 1),
        )


def test_participants_are_split_into_teams_and_moved_between_them(cast):
    act = sf.activity(cast.township_a)
    added = services.activity_add_participants(
        activity=act, deputies=[cast.deputy_a, cast.deputy_a2], actor=cast.staff_a, team_name="第一组"
    )
    assert added == 2
    services.activity_add_participants(
        activity=act, deputies=[cast.deputy_a2], actor=cast.staff_a, team_name="第二组"
    )
    teams = dict(ActivityParticipant.objects.filter(activity=act).values_list("deputy_id", "team__name"))
    assert teams == {cast.deputy_a.pk: "第一组", cast.deputy_a2.pk: "第二组"}


def test_deputy_of_another_township_cannot_join_an_activity(cast):
    act = sf.activity(cast.township_a)
    with pytest.raises(ValidationError):
        services.activity_add_participants(activity=act, deputies=[cast.deputy_b], actor=cast.staff_a)
    assert not act.participants.exists()


def test_figures_are_counted_from_the_findings(cast):
    act = sf.activity(cast.township_a)
    for i in range(3):
        services.finding_add(activity=act, kind=Finding.Kind.PROBLEM, content=f"问题{i}", actor=cast.staff_a)
    for i in range(4):
        services.finding_add(
            activity=act,
            kind=Finding.Kind.OPINION,
            content=f"意见{i}",
            actor=cast.staff_a,
            forward_to=cast.unit_a if i < 2 else None,
        )
    problem = act.findings.filter(kind=Finding.Kind.PROBLEM).first()
    sf.rectification(cast.township_a, cast.unit_a2, finding=problem)
    assert activity_figures(act) == {"problems": 3, "opinions": 4, "forwarded": 3}


def test_attachment_type_and_size_are_checked(cast):
    act = sf.activity(cast.township_a)
    with pytest.raises(ValidationError):
        services.attachment_add(
            activity=act,
            actor=cast.staff_a,
            upload=SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream"),
        )
    big = SimpleUploadedFile(
        "big.pdf", b"0" * (services.MAX_UPLOAD_BYTES + 1), content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        services.attachment_add(activity=act, actor=cast.staff_a, upload=big)
    att = services.attachment_add(
        activity=act,
        actor=cast.staff_a,
        upload=SimpleUploadedFile("视察报告.pdf", b"%PDF-1.4 ok", content_type="application/pdf"),
    )
    assert act.attachments.count() == 1 and att.size == 11


def test_three_accounts_commitment_goes_from_set_to_mid_year_check_to_delivery(cast):
    act = sf.activity(cast.township_a, kind=ActivityKind.THREE_ACCOUNTS, topic="站所三账监督")
    with pytest.raises(ValidationError):
        services.commitment_add(activity=act, title="无站所的承诺", actor=cast.staff_a)
    item = services.commitment_add(
        activity=act, title="全年完成 20 公里道路硬化", unit=cast.unit_a, actor=cast.staff_a
    )
    assert item.stage == CommitmentItem.Stage.SET
    item = services.commitment_check(
        item=item, stage="mid_checked", result="behind", note="完成 6 公里", actor=cast.staff_a
    )
    assert (item.stage, item.mid_year_result) == ("mid_checked", "behind")
    item = services.commitment_check(
        item=item, stage="delivered", result="done", note="完成 21 公里", actor=cast.staff_a
    )
    assert (item.stage, item.year_end_result) == ("delivered", "done")
    with pytest.raises(ValidationError):
        services.commitment_check(
            item=item, stage="mid_checked", result="on_track", note="", actor=cast.staff_a
        )


def test_practical_things_only_on_special_oversight_or_three_accounts(cast):
    act = sf.activity(cast.township_a, kind=ActivityKind.RESEARCH)
    with pytest.raises(ValidationError):
        services.commitment_add(activity=act, title="实事", actor=cast.staff_a)


# --- rectification -------------------------------------------------------------------------


def test_rectification_full_cycle_writes_one_event_per_transition(cast):
    rect = sf.rectification(cast.township_a, cast.unit_a, finding=sf.finding(cast.township_a))
    officer, staff = cast.unit_officer_a, cast.staff_a
    rect = services.rectification_transition(
        rectification=rect, action="progress", actor=officer, comment="已完成测量设计"
    )
    rect = services.rectification_transition(
        rectification=rect,
        action="complete",
        actor=officer,
        comment="沉降路段已回填压实",
        files=[SimpleUploadedFile("照片.jpg", sf.image_bytes(), content_type="image/jpeg")],
    )
    assert rect.status == Rectification.Status.SUBMITTED and rect.evidence.count() == 1
    rect = services.rectification_transition(
        rectification=rect,
        action="reopen",
        actor=staff,
        comment="仍有积水",
        new_deadline=dt.date.today() + dt.timedelta(days=10),
    )
    rect = services.rectification_transition(
        rectification=rect, action="complete", actor=officer, comment="再次修复"
    )
    rect = services.rectification_transition(rectification=rect, action="verify", actor=staff)
    assert rect.status == Rectification.Status.VERIFIED and rect.closed_at is not None
    assert list(
        RectificationEvent.objects.filter(rectification=rect).values_list(
            "action", "from_status", "to_status"
        )
    ) == [
        ("assign", "", "assigned"),
        ("progress", "assigned", "in_progress"),
        ("complete", "in_progress", "submitted"),
        ("reopen", "submitted", "reopened"),
        ("complete", "reopened", "submitted"),
        ("verify", "submitted", "verified"),
    ]


def test_unit_cannot_report_on_another_units_rectification(cast):
    rect = sf.rectification(cast.township_a, cast.unit_a)
    with pytest.raises(PermissionDenied):
        services.rectification_transition(
            rectification=rect, action="complete", actor=cast.unit_officer_a2, comment="越权"
        )
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.ASSIGNED and rect.events.count() == 1


def test_unit_cannot_verify_its_own_rectification(cast):
    rect = sf.rectification(cast.township_a, cast.unit_a)
    services.rectification_transition(
        rectification=rect, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
    )
    with pytest.raises(PermissionDenied):
        services.rectification_transition(rectification=rect, action="verify", actor=cast.unit_officer_a)


def test_completion_needs_a_description_or_evidence(cast):
    rect = sf.rectification(cast.township_a, cast.unit_a)
    with pytest.raises(ValidationError):
        services.rectification_transition(rectification=rect, action="complete", actor=cast.unit_officer_a)


@pytest.mark.parametrize("claim", ["完成", "已完成整改。", "已按要求完成整改，请核实。", "OK", "……"])
def test_a_completion_that_only_claims_completion_is_refused_and_nothing_changes(cast, claim):
    rect = sf.rectification(cast.township_a, cast.unit_a)
    with pytest.raises(ValidationError, match="须说明具体做了什么"):
        services.rectification_transition(
            rectification=rect, action="complete", actor=cast.unit_officer_a, comment=claim
        )
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.ASSIGNED and rect.events.count() == 1


def test_a_completion_saying_what_was_done_or_with_a_photo_is_accepted(cast):
    described = sf.rectification(cast.township_a, cast.unit_a, title="路灯不亮")
    services.rectification_transition(
        rectification=described,
        action="complete",
        actor=cast.unit_officer_a,
        comment="更换路灯12盏，线路已检修",
    )
    photographed = sf.rectification(cast.township_a, cast.unit_a, title="垃圾清运")
    services.rectification_transition(
        rectification=photographed,
        action="complete",
        actor=cast.unit_officer_a,
        comment="已完成",
        files=[SimpleUploadedFile("清运后.jpg", sf.image_bytes(), content_type="image/jpeg")],
    )
    for rect in (described, photographed):
        rect.refresh_from_db()
        assert rect.status == Rectification.Status.SUBMITTED


def test_second_staff_acting_on_a_stale_page_is_told_to_refresh_and_nothing_changes(cast):
    rect = sf.rectification(cast.township_a, cast.unit_a)
    services.rectification_transition(
        rectification=rect, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
    )
    rect.refresh_from_db()
    seen_version = rect.version
    other_staff = sf.f.UserFactory(role="staff", township=cast.township_a)
    services.rectification_transition(
        rectification=rect, action="verify", actor=cast.staff_a, expected_version=seen_version
    )
    with pytest.raises(ValidationError) as exc:
        services.rectification_transition(
            rectification=rect,
            action="reopen",
            actor=other_staff,
            comment="不行",
            expected_version=seen_version,
        )
    assert "已被他人修改" in exc.value.messages[0]
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.VERIFIED and rect.events.count() == 3


def test_working_day_deadline_skips_national_day_and_counts_the_make_up_sunday(cast):
    # 2024-09-27 (Fri) + 5 working days: 29 Sep (Sun) and 30 Sep are working days (调休), 1–7 Oct are
    # holidays, so the deadline is 10 Oct — a plain Monday–Friday count would give 4 Oct.
    rect = sf.rectification(cast.township_a, cast.unit_a, workdays=5, assigned_on=dt.date(2024, 9, 27))
    assert rect.deadline == dt.date(2024, 10, 10) and rect.deadline_workdays == 5
    open_items = Rectification.objects.filter(pk=rect.pk)
    assert not open_items.filter(overdue_q(dt.date(2024, 10, 8))).exists()
    assert not open_items.filter(overdue_q(dt.date(2024, 10, 10))).exists()
    assert open_items.filter(overdue_q(dt.date(2024, 10, 11))).exists()
    assert rect.is_overdue(dt.date(2024, 10, 11)) and not rect.is_overdue(dt.date(2024, 10, 4))


def test_submitted_or_verified_items_are_not_overdue(cast):
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        rect = sf.rectification(cast.township_a, cast.unit_a, deadline=dt.date(2024, 3, 10))
        services.rectification_transition(
            rectification=rect, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
        )
    assert not rectification_list(cast.staff_a, overdue=True, today=dt.date(2024, 4, 1)).exists()


def test_rectification_deadline_cannot_precede_assignment(cast):
    with pytest.raises(ValidationError):
        sf.rectification(
            cast.township_a, cast.unit_a, deadline=dt.date(2020, 1, 1), assigned_on=dt.date(2024, 1, 1)
        )
    assert not Rectification.objects.exists()


# --- democratic scoring (民主测评) -----------------------------------------------------------


def _three_unit_appraisal(cast):
    sf.serving_deputies(cast.township_a, 60)
    unit_c = sf.f.HandlingUnitFactory(township=cast.township_a, name="甲国土所")
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2, unit_c], threshold=80)
    a, b, c = appraisal.targets.order_by("pk")
    return appraisal, a, b, c


def test_scoring_arithmetic_matches_the_hand_count(cast):
    appraisal, a, b, c = _three_unit_appraisal(cast)
    # Paper: A 30/12/8, B 20/15/15, C 40/5/5 (50 ballots each).
    services.appraisal_enter_paper(
        appraisal=appraisal,
        actor=cast.staff_a,
        counts={a.pk: (30, 12, 8), b.pk: (20, 15, 15), c.pk: (40, 5, 5)},
    )
    # In the app: deputy 1 → A satisfied, B unsatisfied, C basic; deputy 2 → A basic, B unsatisfied, C satisfied.
    services.appraisal_cast(
        appraisal=appraisal,
        deputy=cast.deputy_a,
        actor=cast.deputy_a.user,
        choices={a.pk: "satisfied", b.pk: "unsatisfied", c.pk: "basic"},
    )
    services.appraisal_cast(
        appraisal=appraisal,
        deputy=cast.deputy_a2,
        actor=cast.deputy_a2.user,
        choices={a.pk: "basic", b.pk: "unsatisfied", c.pk: "satisfied"},
    )
    res = appraisal_results(appraisal)
    rows = {t.pk: (t.satisfied, t.basic, t.unsatisfied, t.total, t.satisfaction_rate) for t in res["targets"]}
    # Hand count: A 31/13/8 → 44/52 = 84.6 %; B 20/15/17 → 35/52 = 67.3 %; C 41/6/5 → 47/52 = 90.4 %.
    assert rows == {a.pk: (31, 13, 8, 52, 84.6), b.pk: (20, 15, 17, 52, 67.3), c.pk: (41, 6, 5, 52, 90.4)}
    assert res["most"].pk == c.pk and res["least"].pk == b.pk
    # Overall: 92 + 34 satisfied/basic of 156 ballots = 80.8 %.
    assert res["totals"] == {"satisfied": 92, "basic": 34, "unsatisfied": 30, "total": 156, "rate": 80.8}
    assert res["voters"] == 2


def test_equal_rates_are_ranked_by_the_share_of_fully_satisfied(cast):
    sf.serving_deputies(cast.township_a, 50)
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2])
    x, y = appraisal.targets.order_by("pk")
    services.appraisal_enter_paper(
        appraisal=appraisal, actor=cast.staff_a, counts={x.pk: (20, 20, 10), y.pk: (40, 0, 10)}
    )
    res = appraisal_results(appraisal)
    assert x.pk != y.pk and res["most"].pk == y.pk and res["least"].pk == x.pk


def test_closing_with_a_low_score_creates_a_rectification_for_that_unit_only(cast):
    appraisal, a, b, c = _three_unit_appraisal(cast)
    services.appraisal_enter_paper(
        appraisal=appraisal,
        actor=cast.staff_a,
        counts={a.pk: (30, 12, 8), b.pk: (20, 15, 15), c.pk: (40, 5, 5)},
    )
    created = services.appraisal_close(appraisal=appraisal, actor=cast.staff_a)
    assert [(r.unit_id, r.appraisal_target_id) for r in created] == [(cast.unit_a2.pk, b.pk)]
    assert "70.0%" in created[0].title and created[0].deadline_workdays == appraisal.rectification_workdays
    with pytest.raises(ValidationError):
        services.appraisal_close(appraisal=appraisal, actor=cast.staff_a)
    assert Rectification.objects.count() == 1


def test_paper_entry_is_all_or_nothing(cast):
    appraisal, a, b, _c = _three_unit_appraisal(cast)
    with pytest.raises(ValidationError):
        services.appraisal_enter_paper(
            appraisal=appraisal, actor=cast.staff_a, counts={a.pk: (10, 1, 1), b.pk: (5, -1, 0)}
        )
    assert set(AppraisalTarget.objects.values_list("paper_satisfied", flat=True)) == {0}


def test_paper_ballots_may_not_outnumber_the_deputies_entitled_to_score(cast):
    sf.serving_deputies(cast.township_a, 70)
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2])
    a, b = appraisal.targets.order_by("pk")
    with pytest.raises(ValidationError, match="超过了有权参加测评的在任代表 70 名"):
        services.appraisal_enter_paper(
            appraisal=appraisal, actor=cast.staff_a, counts={a.pk: (40, 10, 5), b.pk: (60, 15, 5)}
        )
    assert set(AppraisalTarget.objects.values_list("paper_satisfied", flat=True)) == {0}
    # Exactly the entitled number is fine; then no deputy can add an online ballot on top of it.
    services.appraisal_enter_paper(
        appraisal=appraisal, actor=cast.staff_a, counts={a.pk: (50, 15, 5), b.pk: (40, 20, 10)}
    )
    with pytest.raises(ValidationError, match="已达到有权参加测评的代表人数"):
        services.appraisal_cast(
            appraisal=appraisal,
            deputy=cast.deputy_a,
            actor=cast.deputy_a.user,
            choices={a.pk: "satisfied", b.pk: "basic"},
        )
    assert not appraisal.voters.exists()


def test_online_ballots_count_against_the_paper_bound(cast):
    sf.serving_deputies(cast.township_a, 10)
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    services.appraisal_cast(
        appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t.pk: "satisfied"}
    )
    with pytest.raises(ValidationError, match="已在平台投票的 1 名代表"):
        services.appraisal_enter_paper(appraisal=appraisal, actor=cast.staff_a, counts={t.pk: (8, 1, 1)})
    services.appraisal_enter_paper(appraisal=appraisal, actor=cast.staff_a, counts={t.pk: (8, 1, 0)})


def test_deputy_cannot_vote_twice(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    services.appraisal_cast(
        appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t.pk: "satisfied"}
    )
    with pytest.raises(ValidationError) as exc:
        services.appraisal_cast(
            appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t.pk: "unsatisfied"}
        )
    assert "只能投票一次" in exc.value.messages[0]
    t.refresh_from_db()
    assert (t.app_satisfied, t.app_unsatisfied) == (1, 0)
    assert AppraisalVoter.objects.filter(appraisal=appraisal).count() == 1


def test_a_ballot_records_who_voted_but_not_how(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    services.appraisal_cast(
        appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t.pk: "unsatisfied"}
    )
    voter_fields = {f.name for f in AppraisalVoter._meta.get_fields()}
    # Who voted, when, and whether the office recorded a paper ballot for them — never the choice.
    assert voter_fields == {"id", "appraisal", "deputy", "voted_at", "channel", "recorded_by"}
    # No model of the app has both a deputy and a choice: the choice exists only as a tally.
    target_fields = {f.name for f in AppraisalTarget._meta.get_fields()}
    assert not any("deputy" in name for name in target_fields)


def test_deputy_cannot_vote_for_someone_else_or_leave_a_target_blank(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2])
    t1, t2 = appraisal.targets.order_by("pk")
    with pytest.raises(PermissionDenied):
        services.appraisal_cast(
            appraisal=appraisal,
            deputy=cast.deputy_a2,
            actor=cast.deputy_a.user,
            choices={t1.pk: "satisfied", t2.pk: "satisfied"},
        )
    with pytest.raises(ValidationError):
        services.appraisal_cast(
            appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t1.pk: "satisfied"}
        )
    assert not AppraisalVoter.objects.exists()


def test_deputy_of_another_township_cannot_vote(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    with pytest.raises(PermissionDenied):
        services.appraisal_cast(
            appraisal=appraisal, deputy=cast.deputy_b, actor=cast.deputy_b.user, choices={t.pk: "satisfied"}
        )


def test_no_ballots_after_the_appraisal_is_closed(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    services.appraisal_close(appraisal=appraisal, actor=cast.staff_a)
    with pytest.raises(ValidationError):
        services.appraisal_cast(
            appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t.pk: "satisfied"}
        )


# --- letters and visits --------------------------------------------------------------------


def test_petition_is_forwarded_investigated_and_closed_with_events(cast):
    p = sf.petition(cast.township_a, person_name="")
    p = services.petition_transition(petition=p, action="forward", unit=cast.unit_a, actor=cast.staff_a)
    p = services.petition_transition(petition=p, action="investigate", actor=cast.staff_a)
    p = services.petition_transition(petition=p, action="close", result="已修复村道", actor=cast.staff_a)
    assert p.status == Petition.Status.CLOSED and p.result == "已修复村道"
    assert list(p.events.values_list("action", flat=True)) == ["register", "forward", "investigate", "close"]


def test_petition_cannot_be_closed_without_a_result_or_twice(cast):
    p = sf.petition(cast.township_a)
    with pytest.raises(ValidationError):
        services.petition_transition(petition=p, action="close", actor=cast.staff_a)
    services.petition_transition(petition=p, action="close", result="已答复", actor=cast.staff_a)
    with pytest.raises(ValidationError):
        services.petition_transition(petition=p, action="forward", unit=cast.unit_a, actor=cast.staff_a)


def test_petition_from_a_deputy_needs_the_deputy_of_this_township(cast):
    with pytest.raises(ValidationError):
        sf.petition(cast.township_a, source_kind="deputy")
    with pytest.raises(ValidationError):
        sf.petition(cast.township_a, source_kind="deputy", deputy=cast.deputy_b)
    p = sf.petition(cast.township_a, source_kind="deputy", deputy=cast.deputy_a)
    assert p.deputy == cast.deputy_a


def test_petition_stale_version_is_refused(cast):
    p = sf.petition(cast.township_a)
    services.petition_transition(petition=p, action="investigate", actor=cast.staff_a, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.petition_transition(
            petition=p, action="forward", unit=cast.unit_a, actor=cast.staff_a, expected_version=1
        )
    assert "已被他人修改" in exc.value.messages[0]


def test_staff_of_another_township_cannot_touch_a_petition(cast):
    p = sf.petition(cast.township_a)
    with pytest.raises(PermissionDenied):
        services.petition_transition(petition=p, action="investigate", actor=cast.staff_b)


def test_unit_is_notified_of_a_new_item_and_staff_when_it_is_reported_complete(cast):
    from notifications.models import Notification

    rect = sf.rectification(cast.township_a, cast.unit_a, title="修复路灯")
    assert list(
        Notification.objects.filter(recipient=cast.unit_officer_a).values_list("title", flat=True)
    ) == ["新的整改事项：修复路灯"]
    assert not Notification.objects.filter(recipient=cast.unit_officer_a2).exists()
    services.rectification_transition(
        rectification=rect, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
    )
    assert Notification.objects.filter(recipient=cast.staff_a, title__contains="请核实").count() == 1
    assert not Notification.objects.filter(recipient=cast.staff_b).exists()
    services.rectification_transition(
        rectification=rect, action="reopen", actor=cast.staff_a, comment="仍不亮"
    )
    assert Notification.objects.filter(recipient=cast.unit_officer_a, title__contains="被退回").count() == 1


def test_staff_extend_a_deadline_without_changing_the_status_and_keep_the_old_one_in_the_event(cast):
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        rect = sf.rectification(cast.township_a, cast.unit_a, deadline=dt.date(2024, 3, 20))
        with pytest.raises(ValidationError):
            services.rectification_transition(
                rectification=rect,
                action="extend",
                actor=cast.staff_a,
                comment="申请延期",
                new_deadline=dt.date(2024, 3, 10),
            )
        with pytest.raises(PermissionDenied):
            services.rectification_transition(
                rectification=rect,
                action="extend",
                actor=cast.unit_officer_a,
                comment="自己延期",
                new_deadline=dt.date(2024, 4, 30),
            )
        rect = services.rectification_transition(
            rectification=rect,
            action="extend",
            actor=cast.staff_a,
            comment="需协调资金",
            new_deadline=dt.date(2024, 4, 30),
        )
    assert rect.status == Rectification.Status.ASSIGNED and rect.deadline == dt.date(2024, 4, 30)
    assert rect.events.last().extra == {"old_deadline": "2024-03-20"}
    assert not Rectification.objects.filter(overdue_q(dt.date(2024, 4, 1))).exists()


def test_activity_kind_cannot_change_once_it_has_an_appraisal(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    with pytest.raises(ValidationError):
        services.activity_update(activity=appraisal.activity, actor=cast.staff_a, kind=ActivityKind.RESEARCH)
    appraisal.activity.refresh_from_db()
    assert appraisal.activity.kind == ActivityKind.APPRAISAL


def test_a_very_long_chinese_file_name_is_stored_without_error(cast):
    act = sf.activity(cast.township_a)
    name = "关于农村公路建设和养护情况的视察报告" * 8 + ".pdf"
    att = services.attachment_add(
        activity=act,
        actor=cast.staff_a,
        upload=SimpleUploadedFile(name, b"%PDF-1.4 long", content_type="application/pdf"),
    )
    att.refresh_from_db()
    assert att.file.read() == b"%PDF-1.4 long" and len(att.file.name) <= 100


def test_participating_deputies_hear_when_the_problem_they_found_is_put_right(cast):
    from notifications.models import Notification

    act = sf.activity(cast.township_a)
    services.activity_add_participants(activity=act, deputies=[cast.deputy_a], actor=cast.staff_a)
    finding = services.finding_add(activity=act, kind="problem", content="路灯不亮", actor=cast.staff_a)
    rect = sf.rectification(cast.township_a, cast.unit_a, title="修复路灯", finding=finding)
    services.rectification_transition(
        rectification=rect, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
    )
    assert not Notification.objects.filter(recipient=cast.deputy_a.user).exists()
    services.rectification_transition(rectification=rect, action="verify", actor=cast.staff_a, comment="核实")
    assert list(
        Notification.objects.filter(recipient=cast.deputy_a.user).values_list("title", flat=True)
    ) == ["您参加的监督活动发现的问题已整改到位：修复路灯"]
    assert not Notification.objects.filter(recipient=cast.deputy_a2.user).exists()
