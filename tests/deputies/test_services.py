import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deputies import selectors, services
from deputies.models import (
    Deputy,
    DeputyStatusChange,
    ReceptionDay,
    VoterOpinion,
    VoterOpinionEvent,
)
from presidium.models import AuditEntry

from . import factories as df

TODAY = timezone.localdate()


def _fields(district, **kw):
    base = {
        "name": "孙补选",
        "gender": "F",
        "district": district,
        "phone": "13912345678",
        "certificate_no": "BX-01",
    }
    base.update(kw)
    return base


def test_status_change_records_history_and_opens_a_vacancy(cast):
    deputy = cast.deputy_a
    district = deputy.district
    district.seats = 1
    district.save()
    assert selectors.district_vacancy_rows(cast.township_a.pk)[0]["vacancies"] == 0

    services.deputy_change_status(
        deputy=deputy,
        to_status="resigned",
        effective_date=TODAY,
        actor=cast.staff_a,
        document_ref="主席团〔2024〕3号",
        expected_status="serving",
        accepted_by_congress=True,
    )

    deputy.refresh_from_db()
    assert deputy.status == Deputy.Status.RESIGNED and deputy.status_since == TODAY
    change = DeputyStatusChange.objects.get(deputy=deputy)
    assert (change.from_status, change.to_status, change.document_ref) == (
        "serving",
        "resigned",
        "主席团〔2024〕3号",
    )
    assert change.actor == cast.staff_a
    rows = {r["district"].pk: r for r in selectors.district_vacancy_rows(cast.township_a.pk)}
    assert rows[district.pk]["vacancies"] == 1


def test_status_change_with_a_stale_form_tells_the_loser_to_refresh(cast):
    services.deputy_change_status(
        deputy=cast.deputy_a,
        to_status="moved",
        effective_date=TODAY,
        actor=cast.staff_a,
        expected_status="serving",
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.deputy_change_status(
            deputy=cast.deputy_a,
            to_status="died",
            effective_date=TODAY,
            actor=cast.staff_a,
            expected_status="serving",
        )
    assert DeputyStatusChange.objects.filter(deputy=cast.deputy_a).count() == 1


def test_a_deputy_who_left_cannot_change_status_again(cast):
    services.deputy_change_status(
        deputy=cast.deputy_a, to_status="recalled", effective_date=TODAY, actor=cast.staff_a
    )
    with pytest.raises(ValidationError, match="不能变更"):
        services.deputy_change_status(
            deputy=cast.deputy_a,
            to_status="resigned",
            effective_date=TODAY,
            actor=cast.staff_a,
            accepted_by_congress=True,
        )


def test_status_change_date_cannot_be_in_the_future(cast):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.deputy_change_status(
            deputy=cast.deputy_a,
            to_status="resigned",
            effective_date=TODAY + dt.timedelta(days=3),
            actor=cast.staff_a,
            accepted_by_congress=True,
        )
    assert Deputy.objects.get(pk=cast.deputy_a.pk).status == "serving"


def test_staff_of_another_township_cannot_change_a_deputys_status(cast):
    with pytest.raises(PermissionDenied):
        services.deputy_change_status(
            deputy=cast.deputy_a,
            to_status="resigned",
            effective_date=TODAY,
            actor=cast.staff_b,
            accepted_by_congress=True,
        )
    assert Deputy.objects.get(pk=cast.deputy_a.pk).status == "serving"


def test_by_election_fills_a_vacancy_and_is_refused_when_the_district_is_full(cast):
    district = df.district(cast.township_a, name="第7选区", seats=1)
    term = cast.deputy_a.term
    deputy = services.deputy_create(
        township=cast.township_a,
        term=term,
        actor=cast.staff_a,
        fields=_fields(district),
        by_election=True,
        document_ref="补选结果公告",
    )
    change = deputy.status_changes.get()
    assert change.is_by_election and change.to_status == "serving"
    assert deputy.name_pinyin == "sunbuxuan" and deputy.name_initials == "sbx"
    with pytest.raises(ValidationError, match="没有缺额"):
        services.deputy_create(
            township=cast.township_a,
            term=term,
            actor=cast.staff_a,
            fields=_fields(district, name="周再补", certificate_no="BX-02"),
            by_election=True,
        )
    assert Deputy.objects.filter(district=district).count() == 1


def test_deputy_create_rejects_a_district_of_another_township(cast):
    foreign = df.district(cast.township_b, name="乙镇选区")
    with pytest.raises(ValidationError, match="不属于本乡镇"):
        services.deputy_create(
            township=cast.township_a, term=cast.deputy_a.term, actor=cast.staff_a, fields=_fields(foreign)
        )


def test_deputy_create_rejects_a_duplicate_certificate_in_the_same_term(cast):
    district = df.district(cast.township_a)
    with pytest.raises(ValidationError):
        services.deputy_create(
            township=cast.township_a,
            term=cast.deputy_a.term,
            actor=cast.staff_a,
            fields=_fields(district, certificate_no=cast.deputy_a.certificate_no),
        )


def test_group_save_sets_leader_and_members_and_moves_them_out_when_edited(cast):
    group = services.group_save(
        township=cast.township_a,
        actor=cast.staff_a,
        name="第一组",
        area="东岭村",
        leader=cast.deputy_a,
        members=[cast.deputy_a2],
    )
    assert set(group.members.values_list("pk", flat=True)) == {cast.deputy_a.pk, cast.deputy_a2.pk}
    services.group_save(
        township=cast.township_a,
        actor=cast.staff_a,
        name="第一组",
        leader=cast.deputy_a,
        members=[],
        group=group,
    )
    assert list(group.members.values_list("pk", flat=True)) == [cast.deputy_a.pk]
    with pytest.raises(ValidationError):
        services.group_save(
            township=cast.township_a, actor=cast.staff_a, name="第二组", members=[cast.deputy_b]
        )


def test_visitor_on_a_reception_day_becomes_a_voter_opinion_with_an_event(cast):
    day = df.reception_day(df.station(cast.township_a), deputies=[cast.deputy_a])
    opinion = services.visitor_register(
        day=day, actor=cast.staff_a, content="  路灯坏了  ", voter_name="李大爷"
    )
    assert (opinion.source, opinion.status, opinion.content, opinion.station_id) == (
        "reception",
        "open",
        "路灯坏了",
        day.station_id,
    )
    assert opinion.events.get().action == "register"


def test_forwarded_opinion_is_closed_by_the_units_reply_and_every_step_has_an_event(cast):
    opinion = df.opinion(cast.township_a)
    services.voter_opinion_act(
        opinion=opinion, action="forward", actor=cast.staff_a, expected_status="open", unit=cast.unit_a
    )
    assert selectors.voter_opinions_visible_to(cast.unit_officer_a).filter(pk=opinion.pk).exists()
    assert not selectors.voter_opinions_visible_to(cast.unit_officer_a2).filter(pk=opinion.pk).exists()
    with pytest.raises(PermissionDenied):
        services.voter_opinion_act(
            opinion=opinion,
            action="reply",
            actor=cast.unit_officer_a2,
            expected_status="forwarded",
            comment="不是我们的",
        )
    services.voter_opinion_act(
        opinion=opinion,
        action="reply",
        actor=cast.unit_officer_a,
        expected_status="forwarded",
        comment="已修复路灯",
    )
    opinion.refresh_from_db()
    assert opinion.status == "closed" and opinion.result == "已修复路灯"
    assert list(opinion.events.values_list("action", "from_status", "to_status")) == [
        ("forward", "open", "forwarded"),
        ("reply", "forwarded", "closed"),
    ]


def test_forwarding_to_another_townships_unit_is_refused(cast):
    opinion = df.opinion(cast.township_a)
    with pytest.raises(ValidationError, match="本乡镇的承办单位"):
        services.voter_opinion_act(
            opinion=opinion, action="forward", actor=cast.staff_a, expected_status="open", unit=cast.unit_b
        )
    assert VoterOpinion.objects.get(pk=opinion.pk).status == "open"


def test_opinion_action_on_a_stale_status_is_refused(cast):
    opinion = df.opinion(cast.township_a)
    services.voter_opinion_act(
        opinion=opinion, action="close", actor=cast.staff_a, expected_status="open", comment="已解释"
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.voter_opinion_act(
            opinion=opinion, action="forward", actor=cast.staff_a, expected_status="open", unit=cast.unit_a
        )
    assert VoterOpinionEvent.objects.filter(opinion=opinion).count() == 1


def test_closing_an_opinion_needs_a_result(cast):
    opinion = df.opinion(cast.township_a)
    with pytest.raises(ValidationError, match="处理结果"):
        services.voter_opinion_act(
            opinion=opinion, action="close", actor=cast.staff_a, expected_status="open"
        )


def test_opinion_turned_into_a_suggestion_is_linked_both_ways(cast):
    from django.contrib.contenttypes.models import ContentType

    from suggestions.models import Suggestion
    from suggestions.selectors import suggestion_from_source

    opinion = df.opinion(cast.township_a, content="东岭村道路需要硬化\n详细情况……")
    services.voter_opinion_act(
        opinion=opinion,
        action="convert",
        actor=cast.staff_a,
        expected_status="open",
        category="道路建设",
        lead_deputy=cast.deputy_a2,
    )
    opinion.refresh_from_db()
    suggestion = Suggestion.objects.get()
    assert opinion.status == "converted" and suggestion.lead_deputy == cast.deputy_a2
    assert suggestion.source_content_type == ContentType.objects.get_for_model(VoterOpinion)
    assert suggestion.source_object_id == opinion.pk and suggestion.township == cast.township_a
    assert suggestion.title == "东岭村道路需要硬化"
    assert suggestion_from_source(cast.staff_a, opinion) == suggestion
    assert opinion.events.get(action="convert").extra["suggestion_id"] == suggestion.pk


def test_reception_day_can_be_held_once_its_date_has_come_but_not_before(cast):
    station = df.station(cast.township_a)
    future = df.reception_day(station, date=TODAY + dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="未到"):
        services.reception_day_transition(day=future, action="hold", actor=cast.staff_a)
    past = df.reception_day(station, date=TODAY - dt.timedelta(days=1))
    services.reception_day_transition(day=past, action="hold", actor=cast.staff_a)
    assert ReceptionDay.objects.get(pk=past.pk).status == "held"
    with pytest.raises(ValidationError):
        services.reception_day_transition(
            day=ReceptionDay.objects.get(pk=past.pk), action="cancel", actor=cast.staff_a
        )


def test_a_station_cannot_have_two_reception_days_on_one_date(cast):
    station = df.station(cast.township_a)
    services.reception_day_plan(station=station, actor=cast.staff_a, date=TODAY, deputies=[cast.deputy_a])
    with pytest.raises(ValidationError, match="已安排"):
        services.reception_day_plan(station=station, actor=cast.staff_a, date=TODAY)


def test_duty_report_rejects_more_ballots_than_voters_present(cast):
    with pytest.raises(ValidationError, match="不能超过"):
        services.duty_report_record(
            deputy=cast.deputy_a,
            actor=cast.staff_a,
            date=TODAY,
            form="oral",
            voters_present=10,
            satisfied=8,
            basically_satisfied=3,
        )


def test_a_deputy_records_their_own_voter_contact_but_not_someone_elses(cast):
    user = cast.deputy_a.user
    contact = services.voter_contact_record(
        deputy=cast.deputy_a, actor=user, voter_name="张选民", date=TODAY, way="visit"
    )
    assert contact.township_id == cast.township_a.pk
    with pytest.raises(PermissionDenied):
        services.voter_contact_record(
            deputy=cast.deputy_a2, actor=user, voter_name="张选民", date=TODAY, way="visit"
        )


def test_deleting_a_record_is_audited(cast):
    training = df.training(cast.township_a, topic="误录培训")
    services.record_delete(obj=training, actor=cast.staff_a)
    entry = AuditEntry.objects.get(action="training.delete")
    assert "误录培训" in entry.object_repr and entry.township == cast.township_a


def test_pinyin_search_finds_deputies_by_full_pinyin_initials_and_certificate(cast):
    deputy = df.deputy(cast.township_a, name="欧阳春梅", certificate_no="ZX-88")
    qs = Deputy.objects.filter(township=cast.township_a)
    assert list(selectors.search_deputies(qs, "ouyang")) == [deputy]
    assert list(selectors.search_deputies(qs, "OYCM")) == [deputy]
    assert list(selectors.search_deputies(qs, "ZX-88")) == [deputy]
    assert list(selectors.search_deputies(qs, "春梅")) == [deputy]


def test_term_close_ends_every_serving_deputy_with_a_history_row(cast):
    term = cast.deputy_a.term
    services.deputy_change_status(
        deputy=cast.deputy_a2,
        to_status="resigned",
        effective_date=TODAY,
        actor=cast.staff_a,
        accepted_by_congress=True,
    )
    closed = services.term_close(term=term, actor=cast.staff_a, effective_date=TODAY, document_ref="届满")
    assert closed == 1
    assert Deputy.objects.get(pk=cast.deputy_a.pk).status == "term_ended"
    assert Deputy.objects.get(pk=cast.deputy_a2.pk).status == "resigned"
    assert DeputyStatusChange.objects.filter(deputy=cast.deputy_a, to_status="term_ended").count() == 1
    term.refresh_from_db()
    assert term.end_date == TODAY
    with pytest.raises(ValidationError, match="没有在任代表"):
        services.term_close(term=term, actor=cast.staff_a, effective_date=TODAY)


def test_a_new_term_number_must_be_unique_in_the_township(cast):
    services.term_create(township=cast.township_a, actor=cast.staff_a, number=11, start_date=TODAY)
    with pytest.raises(ValidationError, match="已存在"):
        services.term_create(township=cast.township_a, actor=cast.staff_a, number=11, start_date=TODAY)
    with pytest.raises(PermissionDenied):
        services.term_create(township=cast.township_a, actor=cast.staff_b, number=12, start_date=TODAY)


def test_registering_a_visitor_marks_a_planned_reception_day_as_held(cast):
    station = df.station(cast.township_a)
    day = df.reception_day(station, date=TODAY)
    services.visitor_register(day=day, actor=cast.staff_a, content="路灯坏了")
    assert ReceptionDay.objects.get(pk=day.pk).status == "held"
    future = df.reception_day(station, date=TODAY + dt.timedelta(days=2))
    services.visitor_register(day=future, actor=cast.staff_a, content="提前来反映")
    assert ReceptionDay.objects.get(pk=future.pk).status == "planned"


def test_a_certificate_number_taken_by_a_concurrent_save_gives_a_clear_message(cast, monkeypatch):
    """Both transactions pass full_clean; the loser's save hits the unique constraint."""
    from django.core.exceptions import ValidationError

    from deputies import services as deputy_services
    from deputies.models import Deputy

    taken = cast.deputy_a.certificate_no
    monkeypatch.setattr(Deputy, "full_clean", lambda self, *a, **k: None)  # the race: validation passed
    before = Deputy.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        deputy_services.deputy_create(
            township=cast.township_a,
            term=cast.deputy_a.term,
            actor=cast.staff_a,
            fields={"name": "赵新", "gender": "M", "certificate_no": taken},
        )
    assert "代表证号在本届已被使用" in str(excinfo.value)
    assert Deputy.objects.count() == before


def test_a_reception_day_announced_less_than_three_days_ahead_is_flagged(cast, staff_client):
    station = df.station(cast.township_a)
    day = dt.date(2026, 3, 20)
    late = services.reception_day_plan(
        station=station, actor=cast.staff_a, date=day, announced_on=dt.date(2026, 3, 18)
    )
    on_time = services.reception_day_plan(
        station=station, actor=cast.staff_a, date=dt.date(2026, 4, 20), announced_on=dt.date(2026, 4, 15)
    )
    silent = services.reception_day_plan(station=station, actor=cast.staff_a, date=dt.date(2026, 5, 20))
    assert "公告过晚" in services.reception_day_notice_warning(late)
    assert services.reception_day_notice_warning(on_time) == ""
    assert "尚未公告" in services.reception_day_notice_warning(silent)
    body = staff_client.get("/deputies/reception/").content.decode()
    assert body.count("公告过晚") == 1 and body.count("未公告") == 1


def test_the_announcement_lead_time_is_a_county_rule(cast):
    rules = cast.township_a.rules
    rules.reminder_rules = {**rules.reminder_rules, "reception_announce_min_days": 1}
    rules.save()
    station = df.station(cast.township_a)
    day = services.reception_day_plan(
        station=station, actor=cast.staff_a, date=dt.date(2026, 3, 20), announced_on=dt.date(2026, 3, 18)
    )
    day = ReceptionDay.objects.select_related("station__township__county").get(pk=day.pk)
    assert services.reception_day_notice_warning(day) == ""


def test_an_opinion_becomes_a_suggestion_only_with_a_serving_deputy_of_the_township_to_carry_it(cast):
    from suggestions.models import Suggestion

    opinion = df.opinion(cast.township_a, content="村里路灯坏了")
    with pytest.raises(ValidationError, match="须指定领衔代表"):
        services.voter_opinion_act(
            opinion=opinion, action="convert", actor=cast.staff_a, expected_status="open"
        )
    with pytest.raises(ValidationError, match="本乡镇在任代表"):
        services.voter_opinion_act(
            opinion=opinion,
            action="convert",
            actor=cast.staff_a,
            expected_status="open",
            lead_deputy=cast.deputy_b,
        )
    Deputy.objects.filter(pk=cast.deputy_a2.pk).update(status=Deputy.Status.RESIGNED)
    cast.deputy_a2.refresh_from_db()
    with pytest.raises(ValidationError, match="本乡镇在任代表"):
        services.voter_opinion_act(
            opinion=opinion,
            action="convert",
            actor=cast.staff_a,
            expected_status="open",
            lead_deputy=cast.deputy_a2,
        )
    opinion.refresh_from_db()
    assert opinion.status == "open" and not Suggestion.objects.exists()


def test_the_suggestions_app_refuses_a_voter_opinion_suggestion_without_a_deputy(cast):
    from suggestions.services import suggestion_create_from_source

    opinion = df.opinion(cast.township_a)
    with pytest.raises(ValidationError, match="须指定领衔代表"):
        suggestion_create_from_source(
            source=opinion, township=cast.township_a, title="路灯", content="路灯坏了", actor=cast.staff_a
        )
