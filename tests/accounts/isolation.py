from presidium.models import User
from tests import factories as f
from tests.isolation import Listing, Scoped


def _user_b(cast):
    return f.UserFactory(role="deputy", township=cast.township_b, full_name="乙镇代表甲乙丙")


def _inactive_user_b(cast):
    return f.UserFactory(role="unit", unit=cast.unit_b, full_name="乙镇停用经办人", is_active=False)


def _deputy_b(cast):
    return f.DeputyFactory(township=cast.township_b, name="乙镇无账号代表", phone="13900009999").name


def _unchanged_password(cast, obj):
    return User.objects.get(pk=obj.pk).password == obj.password


ROUTES = {
    "accounts:list": Listing(roles=("staff_a", "county_a"), marker=lambda c: _user_b(c).full_name),
    "accounts:deputies": Listing(roles=("staff_a",), marker=_deputy_b),
    "accounts:deputies_issue": Listing(roles=("staff_a",), method="post"),
    "accounts:unit_officers": Listing(roles=("staff_a",), marker=lambda c: c.unit_b.name),
    "accounts:unit_create": Listing(roles=("staff_a",), method="post"),
    "accounts:township_staff": Listing(roles=("county_a",), marker=lambda c: c.township_b.name),
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
