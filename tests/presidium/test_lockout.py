"""Login lockout holds the account, not the string typed; a temporary password blocks the API too."""

import pytest
from django.urls import reverse

from presidium.services import user_reset_password
from tests import factories as f

RIGHT = "Zhengque-mima-2024"


@pytest.fixture
def chair(db, settings):
    settings.AXES_ENABLED = True
    user = f.UserFactory(username="chair4", role="staff", phone="13911112222")
    user.set_password(RIGHT)
    user.save()
    return user


def _login(client, name, password):
    return client.post(reverse("login"), {"username": name, "password": password})


def test_case_variants_of_a_locked_username_are_locked_too(chair, client):
    for _ in range(5):
        _login(client, "chair4", "wrong")
    for variant in ("CHAIR4", "Chair4", "cHair4"):
        assert _login(client, variant, "wrong").status_code == 429
    response = _login(client, "cHAIR4", RIGHT)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_failures_under_different_spellings_add_up_on_the_one_account(chair, client):
    for name in ("chair4", "CHAIR4", "Chair4", " chair4 ", "13911112222"):
        _login(client, name, "wrong")
    assert _login(client, "chair4", RIGHT).status_code == 429


def test_a_deputy_locked_out_by_phone_number_cannot_log_in_by_username(cast, client, settings):
    settings.AXES_ENABLED = True
    user = cast.deputy_a.user
    user.set_password(RIGHT)
    user.save()
    for _ in range(5):
        _login(client, user.phone, "wrong")
    response = _login(client, user.username, RIGHT)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_lock_follows_the_account_to_another_address(chair, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "chair4", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(
        reverse("login"), {"username": "Chair4", "password": RIGHT}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 429


def test_fewer_than_five_failures_then_the_right_password_logs_in(chair, client):
    for _ in range(4):
        _login(client, "CHAIR4", "wrong")
    assert _login(client, "Chair4", RIGHT).status_code == 302
    assert client.session["_auth_user_id"] == str(chair.pk)


def test_a_user_with_a_temporary_password_cannot_use_the_api_through_the_session(cast, client):
    password = user_reset_password(target=cast.deputy_a.user, actor=cast.staff_a)
    client.post(reverse("login"), {"username": cast.deputy_a.user.username, "password": password})
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Xin-mima-2024!", "new_password2": "Xin-mima-2024!"},
    )
    assert client.get("/api/v1/me/").status_code == 200
