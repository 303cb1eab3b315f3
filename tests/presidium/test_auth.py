import pytest
from django.urls import reverse

from presidium.models import AuditEntry, Role
from presidium.services import user_reset_password
from tests import factories as f


def test_deputy_logs_in_with_phone_number(cast, client):
    user = cast.deputy_a.user
    user.set_password("s3cret-pass!")
    user.save()
    response = client.post(reverse("login"), {"username": user.phone, "password": "s3cret-pass!"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_staff_logs_in_with_username_and_lands_on_a_page(cast, client):
    cast.staff_a.set_password("s3cret-pass!")
    cast.staff_a.save()
    response = client.post(
        reverse("login"), {"username": cast.staff_a.username, "password": "s3cret-pass!"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == cast.staff_a


def test_wrong_password_shows_a_chinese_message(cast, client):
    response = client.post(reverse("login"), {"username": cast.staff_a.username, "password": "nope"})
    assert response.status_code == 200
    assert "用户名/手机号或密码不正确" in response.content.decode()


def test_five_failed_logins_lock_the_account(cast, client, settings):
    settings.AXES_ENABLED = True
    cast.staff_a.set_password("right-pass-123")
    cast.staff_a.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": cast.staff_a.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": cast.staff_a.username, "password": "right-pass-123"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_user_with_temporary_password_must_change_it_first(cast, client):
    password = user_reset_password(target=cast.deputy_a.user, actor=cast.staff_a)
    client.post(reverse("login"), {"username": cast.deputy_a.user.username, "password": password})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Xin-mima-2024!", "new_password2": "Xin-mima-2024!"},
    )
    assert response.status_code == 302
    cast.deputy_a.user.refresh_from_db()
    assert cast.deputy_a.user.must_change_password is False
    assert client.get(reverse("home")).status_code in (200, 302)
    assert client.get(reverse("home"))["Location"] if client.get(reverse("home")).status_code == 302 else True
    assert cast.deputy_a.user.check_password("Xin-mima-2024!")


def test_staff_resets_a_deputys_password_through_the_page_with_an_audit_entry(cast, staff_client):
    user = cast.deputy_a.user
    response = staff_client.post(reverse("accounts:reset", args=[user.pk]), follow=True)
    assert response.status_code == 200
    assert "临时密码" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password
    assert AuditEntry.objects.filter(action="user.password_reset", township=cast.township_a).count() == 1


def test_staff_cannot_reset_another_townships_user(cast, staff_client):
    user = cast.deputy_b.user
    old_hash = user.password
    response = staff_client.post(reverse("accounts:reset", args=[user.pk]))
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.password == old_hash


def test_deputy_cannot_reset_passwords(cast):
    client = cast.client_for(cast.deputy_a.user)
    response = client.post(reverse("accounts:reset", args=[cast.deputy_a2.user.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("language,text", [("zh-hans", "登录"), ("en", "Log in")])
def test_login_page_speaks_chinese_by_default_and_english_on_request(client, db, language, text):
    client.cookies["django_language"] = language
    assert text in client.get(reverse("login")).content.decode()


def test_unit_officer_inherits_township_and_county_from_unit(cast):
    assert cast.unit_officer_a.township_id == cast.unit_a.township_id
    assert cast.unit_officer_a.county_id == cast.township_a.county_id


def test_phone_numbers_are_validated(db):
    from django.core.exceptions import ValidationError

    user = f.UserFactory.build(role=Role.DEPUTY, phone="12345")
    with pytest.raises(ValidationError):
        user.full_clean()


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名或手机号" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert "Username or mobile number" in client.get(reverse("login")).content.decode()


def test_every_menu_entry_opens_for_every_role(cast):
    from presidium.navigation import items_for

    admin = f.UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    for user in (*cast.users().values(), admin):
        client = cast.client_for(user)
        for item in items_for(user):
            response = client.get(item["url"], follow=True)
            assert response.status_code == 200, f"{user.role} menu {item['url']} → {response.status_code}"


def test_staff_menu_is_grouped_into_sections_and_a_deputys_short_menu_stays_flat(cast):
    from presidium.navigation import groups_for, items_for

    staff_groups = groups_for(cast.staff_a)
    assert len(staff_groups) < len(items_for(cast.staff_a))
    assert sum(len(g["items"]) for g in staff_groups) == len(items_for(cast.staff_a))
    body = cast.client_for(cast.staff_a).get("/logins/").content.decode()
    assert "dropdown-toggle" in body
    for group in groups_for(cast.deputy_a.user):
        assert group["items"], group
