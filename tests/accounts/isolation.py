from deputies.models import Deputy
from presidium.models import HandlingUnit, User
from tests import factories as f
from tests.isolation import Listing, Posted, Scoped


def _user_b(cast):
    return f.UserFactory(role="deputy", township=cast.township_b, full_name="乙镇代表甲乙丙")


def _inactive_user_b(cast):
    return f.UserFactory(role="unit", unit=cast.unit_b, full_name="乙镇停用经办人", is_active=False)


def _deputy_b(cast):
    return f.DeputyFactory(township=cast.township_b, name="乙镇无账号代表", phone="13900009999").name


def _unchanged_password(cast, obj):
    return User.objects.get(pk=obj.pk).password == obj.password


def _deputy_b_without_login(cast):
    return f.DeputyFactory(township=cast.township_b, name="乙镇无账号代表", phone="13900009999")


def _no_login_for_b(cast, deputy=None):
    return not Deputy.objects.filter(
        township=cast.township_b, name="乙镇无账号代表", user__isnull=False
    ).exists()


def _login_fields(username):
    return {"full_name": "冒名账号", "phone": "13911112222", "username": username}


ROUTES = {
    "accounts:list": Listing(roles=("staff_a", "county_a"), marker=lambda c: _user_b(c).full_name),
    "accounts:deputies": Listing(roles=("staff_a",), marker=_deputy_b),
    "accounts:deputies_issue": Posted(
        make=_deputy_b_without_login,
        data=lambda c, d: {"deputy": [d.pk]},
        unchanged=_no_login_for_b,
    ),
    "accounts:unit_officers": Listing(
        roles=("staff_a",),
        marker=lambda c: c.unit_b.name,
        post_data=lambda c: {"unit": c.unit_b.pk, **_login_fields("b-unit-intruder")},
        post_unchanged=lambda c: not User.objects.filter(username="b-unit-intruder").exists(),
    ),
    "accounts:unit_create": Posted(
        make=lambda c: c.township_b,
        data=lambda c, t: {"name": "乙镇冒名单位", "township": t.pk},
        unchanged=lambda c, t: not HandlingUnit.objects.filter(township=t, name="乙镇冒名单位").exists(),
    ),
    "accounts:township_staff": Listing(
        roles=("county_a",),
        marker=lambda c: c.township_b.name,
        post_data=lambda c: {
            "township": c.township_b.pk,
            "staff_title": "secretary",
            **_login_fields("b-intruder"),
        },
        post_unchanged=lambda c: not User.objects.filter(username="b-intruder").exists(),
    ),
    "accounts:reset": Scoped(make=_user_b, method="post", unchanged=_unchanged_password),
    "accounts:deactivate": Scoped(
        make=_user_b, method="post", unchanged=lambda c, obj: User.objects.get(pk=obj.pk).is_active
    ),
    "accounts:activate": Scoped(
        make=_inactive_user_b,
        method="post",
        unchanged=lambda c, obj: not User.objects.get(pk=obj.pk).is_active,
    ),
    "accounts:checklist": Listing(roles=("staff_a", "county_a"), marker=lambda c: c.township_b.name),
}
