"""Access follows service and status: a deputy whose service ended loses the deputy pages at once
(read from the status history at each request), a deactivated officer cannot log in while the
unit keeps its items, and each person's account is managed only where they work."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from deputies import services as deputy_services
from deputies.models import Deputy
from presidium.models import AuditEntry, Role, User
from suggestions.models import Status, Suggestion
from suggestions.selectors import suggestions_visible_to
from tests import factories as f
from tests.suggestions import helpers


@pytest.fixture
def serving_deputy(cast):
    """A deputy elected through the roster service (so with a status history) who has a login."""
    deputy = deputy_services.deputy_create(
        township=cast.township_a,
        term=cast.deputy_a.term,
        actor=cast.staff_a,
        fields={"name": "周海燕", "gender": "F", "phone": "13811112222"},
        effective_date=dt.date(2022, 1, 1),
    )
    (line,) = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=[deputy.pk], actor=cast.staff_a
    ).issued
    user = User.objects.get(pk=line.user.pk)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    deputy.refresh_from_db()
    return deputy


@pytest.mark.parametrize(
    "to_status", [Deputy.Status.RESIGNED, Deputy.Status.RECALLED, Deputy.Status.DIED, Deputy.Status.MOVED]
)
def test_a_deputy_whose_service_ended_loses_deputy_pages_but_staff_keep_the_archive(
    cast, serving_deputy, to_status
):
    client = cast.client_for(serving_deputy.user)
    assert client.get(reverse("suggestions:my")).status_code == 200

    deputy_services.deputy_change_status(
        deputy=serving_deputy,
        to_status=to_status,
        effective_date=timezone.localdate(),
        actor=cast.staff_a,
        accepted_by_congress=True,
    )
    for url in (reverse("suggestions:my"), reverse("suggestions:new"), reverse("deputies:me")):
        response = client.get(url)
        assert response.status_code == 403
        assert "代表职务已终止" in response.content.decode()
    before = Suggestion.objects.count()
    response = client.post(reverse("suggestions:new"), {"title": "修路", "content": "村口道路坑洼。"})
    assert response.status_code == 403 and Suggestion.objects.count() == before
    assert client.get(reverse("api-me")).status_code == 403

    staff = cast.client_for(cast.staff_a)
    detail = staff.get(reverse("deputies:deputy_detail", args=[serving_deputy.pk]))
    assert detail.status_code == 200 and "周海燕" in detail.content.decode()


def test_access_ends_with_the_term_when_the_office_closes_it(cast, serving_deputy):
    client = cast.client_for(serving_deputy.user)
    deputy_services.term_close(
        term=serving_deputy.term, actor=cast.staff_a, effective_date=timezone.localdate()
    )
    response = client.get(reverse("suggestions:my"))
    assert response.status_code == 403 and "届满" in response.content.decode()


def test_the_status_history_decides_not_a_flag_that_drifted(cast, serving_deputy):
    """Someone 'fixes' the roster flag back to serving by hand: the history still says resigned."""
    deputy_services.deputy_change_status(
        deputy=serving_deputy,
        to_status=Deputy.Status.RESIGNED,
        effective_date=timezone.localdate() - dt.timedelta(days=3),
        actor=cast.staff_a,
        accepted_by_congress=True,
    )
    Deputy.objects.filter(pk=serving_deputy.pk).update(status=Deputy.Status.SERVING)
    assert cast.client_for(serving_deputy.user).get(reverse("suggestions:my")).status_code == 403


def test_a_serving_deputy_without_history_rows_keeps_access(cast):
    # Deputies created before the history existed fall back to their status.
    assert cast.client_for(cast.deputy_a.user).get(reverse("suggestions:my")).status_code == 200


def test_a_resigned_deputy_can_still_log_out_and_sees_why(cast, serving_deputy):
    deputy_services.deputy_change_status(
        deputy=serving_deputy,
        to_status=Deputy.Status.RESIGNED,
        effective_date=timezone.localdate(),
        actor=cast.staff_a,
        accepted_by_congress=True,
    )
    client = cast.client_for(serving_deputy.user)
    response = client.get(reverse("home"), follow=True)
    assert "代表职务已终止" in response.content.decode() and "辞职" in response.content.decode()
    assert client.post(reverse("logout")).status_code in (200, 302)


def test_a_deactivated_officers_open_items_stay_with_the_unit_for_the_next_officer(cast, staff_client):
    suggestion = helpers.make(cast, Status.ASSIGNED, title="学校门口路灯不亮")
    old = cast.unit_officer_a
    old.set_password("Old-officer-1!")
    old.save()
    old_client = cast.client_for(old)
    assert suggestion in suggestions_visible_to(old)

    response = staff_client.post(reverse("accounts:deactivate", args=[old.pk]), follow=True)
    html = response.content.decode()
    assert "已停用" in html and "已没有启用的账号" in html  # unit_a had one officer
    old.refresh_from_db()
    assert not old.is_active
    # Logged out at once, and cannot log in again.
    assert old_client.get(reverse("suggestions:unit_inbox")).status_code == 302
    login = cast.client_for(None).post(
        reverse("login"), {"username": old.username, "password": "Old-officer-1!"}
    )
    assert login.status_code == 200  # the form again, not a redirect into the product

    suggestion.refresh_from_db()
    assert suggestion.lead_unit_id == cast.unit_a.pk and suggestion.status == Status.ASSIGNED
    line = services.account_create(
        actor=cast.staff_a, role=Role.UNIT, unit=cast.unit_a, full_name="新经办人吴敏", phone="13822223333"
    )
    new = User.objects.get(pk=line.user.pk)
    assert suggestion in suggestions_visible_to(new)
    new.must_change_password = False
    new.save(update_fields=["must_change_password"])
    inbox = cast.client_for(new).get(reverse("suggestions:unit_inbox")).content.decode()
    assert "学校门口路灯不亮" in inbox
    assert AuditEntry.objects.filter(action="user.deactivate", object_repr=str(old)).exists()


def test_deactivation_asks_for_confirmation_and_can_be_undone(cast, staff_client):
    html = staff_client.get(reverse("accounts:list")).content.decode()
    assert "data-confirm=" in html and "确定停用" in html
    staff_client.post(reverse("accounts:deactivate", args=[cast.deputy_a.user.pk]))
    staff_client.post(reverse("accounts:activate", args=[cast.deputy_a.user.pk]))
    cast.deputy_a.user.refresh_from_db()
    assert cast.deputy_a.user.is_active
    actions = list(AuditEntry.objects.filter(township=cast.township_a).values_list("action", flat=True))
    assert "user.deactivate" in actions and "user.activate" in actions


def test_staff_reset_gives_a_new_temporary_password_once_audited_and_forced_to_change(
    cast, staff_client, client
):
    user = cast.deputy_a.user
    response = staff_client.post(reverse("accounts:reset", args=[user.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    (line,) = response.context["issued"]
    assert line.password in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(line.password)
    assert not user.check_password("pass12345!")
    entry = AuditEntry.objects.get(action="user.password_reset", township=cast.township_a)
    assert entry.actor == cast.staff_a and line.password not in str(entry.detail)
    assert line.password not in staff_client.get(reverse("accounts:list")).content.decode()

    client.post(reverse("login"), {"username": user.phone, "password": line.password})
    assert client.get(reverse("suggestions:my"))["Location"] == reverse("password_change")


def test_reset_by_sms_sends_one_message(cast, staff_client, sms_outbox):
    # The view's transaction commits inside the test's: run the callbacks like a real commit would.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        staff_client.post(reverse("accounts:reset", args=[cast.deputy_a.user.pk]), {"send_sms": "1"})
    assert [m["phone"] for m in sms_outbox] == [cast.deputy_a.user.phone]
    assert AuditEntry.objects.filter(action="user.password_sms").count() == 1


# --- Who manages whom -------------------------------------------------------------------------------


def test_staff_of_another_township_cannot_reset_or_deactivate_our_people(cast):
    client = cast.client_for(cast.staff_b)
    for route in ("accounts:reset", "accounts:deactivate"):
        for user in (cast.deputy_a.user, cast.unit_officer_a):
            assert client.post(reverse(route, args=[user.pk])).status_code == 404
    cast.deputy_a.user.refresh_from_db()
    assert cast.deputy_a.user.is_active and cast.deputy_a.user.check_password("pass12345!")
    with pytest.raises(services.PermissionDenied):
        services.account_create(
            actor=cast.staff_b, role=Role.UNIT, unit=cast.unit_a, full_name="冒名经办人", phone="13833334444"
        )
    assert not User.objects.filter(phone="13833334444").exists()


def test_county_staff_manage_their_countys_township_staff_only(cast):
    client = cast.client_for(cast.county_staff_a)
    response = client.post(
        reverse("accounts:township_staff"),
        {
            "township": cast.township_a.pk,
            "full_name": "新秘书刘洋",
            "staff_title": "secretary",
            "phone": "13844445555",
        },
    )
    assert response.status_code == 200 and "临时密码" in response.content.decode()
    new = User.objects.get(phone="13844445555")
    assert new.role == Role.STAFF and new.township == cast.township_a and new.must_change_password
    assert AuditEntry.objects.filter(
        action="user.create", county=cast.county_a, object_repr="新秘书刘洋"
    ).exists()

    # Another county's township is not offered and cannot be forced.
    response = client.post(
        reverse("accounts:township_staff"),
        {
            "township": cast.township_b.pk,
            "full_name": "外县秘书",
            "staff_title": "secretary",
            "phone": "13855556666",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(phone="13855556666").exists()
    with pytest.raises(services.PermissionDenied):
        services.account_create(
            actor=cast.county_staff_a, role=Role.STAFF, township=cast.township_b, full_name="外县秘书"
        )
    assert client.post(reverse("accounts:reset", args=[cast.staff_b.pk])).status_code == 404
    assert client.post(reverse("accounts:deactivate", args=[cast.staff_b.pk])).status_code == 404
    # County staff manage township staff, not the township's deputies.
    assert client.post(reverse("accounts:reset", args=[cast.deputy_a.user.pk])).status_code == 404
    assert client.post(reverse("accounts:deactivate", args=[cast.staff_a.pk])).status_code == 302
    cast.staff_a.refresh_from_db()
    assert not cast.staff_a.is_active


def test_township_staff_cannot_create_staff_and_deputies_cannot_reach_account_pages(cast):
    assert cast.client_for(cast.staff_a).get(reverse("accounts:township_staff")).status_code == 403
    deputy = cast.client_for(cast.deputy_a.user)
    for name in ("accounts:list", "accounts:deputies", "accounts:unit_officers", "accounts:checklist"):
        assert deputy.get(reverse(name)).status_code == 403


def test_unit_officer_form_refuses_a_phone_already_in_use_with_a_message(cast, staff_client):
    data = {"unit": cast.unit_a.pk, "full_name": "财政所小李", "phone": cast.deputy_a.user.phone}
    response = staff_client.post(reverse("accounts:unit_officers"), data)
    assert response.status_code == 200 and "已被账号" in response.content.decode()
    assert not User.objects.filter(full_name="财政所小李").exists()
    for bad in ({"unit": cast.unit_a.pk, "full_name": ""}, {"unit": cast.unit_b.pk, "full_name": "乙"}, {}):
        assert staff_client.post(reverse("accounts:unit_officers"), bad).status_code == 200
    assert not User.objects.filter(role=Role.UNIT, full_name__in=["财政所小李", "乙"]).exists()


def test_staff_register_a_unit_then_give_it_an_officer(cast, staff_client):
    staff_client.post(
        reverse("accounts:unit_create"), {"name": "甲镇  民政办", "responsible_leader": "副镇长"}
    )
    unit = cast.township_a.units.get(name="甲镇 民政办")
    response = staff_client.post(
        reverse("accounts:unit_officers"),
        {"unit": unit.pk, "full_name": "民政办小王", "username": "minzheng01"},
    )
    assert "minzheng01" in response.content.decode()
    officer = User.objects.get(username="minzheng01")
    assert officer.unit == unit and officer.township == cast.township_a and officer.phone is None
    dup = staff_client.post(reverse("accounts:unit_create"), {"name": "甲镇 民政办"}, follow=True)
    assert "已有名为" in dup.content.decode()


# --- Lists ------------------------------------------------------------------------------------------


def _add_deputy_logins(township, n, start):
    for i in range(n):
        deputy = f.DeputyFactory(township=township, name=f"批量代表{start + i}", phone=f"136{start + i:08d}")
        user = f.UserFactory(role=Role.DEPUTY, township=township, full_name=deputy.name, phone=deputy.phone)
        deputy.user = user
        deputy.save(update_fields=["user"])


@pytest.mark.parametrize("name", ["accounts:list", "accounts:deputies"])
def test_account_lists_use_a_fixed_number_of_queries(cast, staff_client, django_assert_max_num_queries, name):
    _add_deputy_logins(cast.township_a, 5, 0)
    with django_assert_max_num_queries(14) as small:
        assert staff_client.get(reverse(name)).status_code == 200
    _add_deputy_logins(cast.township_a, 60, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = staff_client.get(reverse(name))
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 62 and len(response.context["page"]) == 50


def test_account_list_search_finds_by_name_phone_and_unit(cast, staff_client):
    html = staff_client.get(reverse("accounts:list"), {"q": cast.unit_a.name}).content.decode()
    assert cast.unit_officer_a.username in html and cast.unit_officer_a2.username not in html
    html = staff_client.get(reverse("accounts:list"), {"q": cast.deputy_a2.phone}).content.decode()
    assert cast.deputy_a2.user.username in html and cast.deputy_a.user.username not in html


def test_a_deactivated_login_is_not_reset_before_it_is_activated(cast, staff_client):
    user = cast.unit_officer_a
    services.account_set_active(target=user, actor=cast.staff_a, active=False)
    old_hash = User.objects.get(pk=user.pk).password
    response = staff_client.post(reverse("accounts:reset", args=[user.pk]), follow=True)
    assert "请先启用" in response.content.decode()
    assert User.objects.get(pk=user.pk).password == old_hash


def test_the_account_list_marks_deputies_who_left_office(cast, serving_deputy, staff_client):
    deputy_services.deputy_change_status(
        deputy=serving_deputy,
        to_status=Deputy.Status.MOVED,
        effective_date=timezone.localdate(),
        actor=cast.staff_a,
    )
    html = staff_client.get(reverse("accounts:list"), {"service": "ended"}).content.decode()
    assert "13811112222" in html and "已离任（迁出）" in html
    assert cast.deputy_a.user.username not in html
