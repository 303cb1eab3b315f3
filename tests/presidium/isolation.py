from presidium.models import ApiKey, AuditEntry
from presidium.services import api_key_create
from tests.isolation import Listing, Public, Scoped


def _key_b(cast):
    key, _raw = api_key_create(name="乙镇大屏", actor=cast.staff_b, township=cast.township_b)
    return key


def _audit_b(cast):
    AuditEntry.objects.create(
        actor=cast.staff_b, township=cast.township_b, action="test.marker", object_repr="乙镇机密记录XYZ"
    )
    return "乙镇机密记录XYZ"


def _rules_b(cast):
    rules = cast.county_b.rules
    rules.categories = ["乙县专属分类QQQ"]
    rules.save()
    return "乙县专属分类QQQ"


ROUTES = {
    "home": Listing(),
    "healthz": Public(expected_errors=(503,)),  # 503 when Redis is set but no worker answers
    "login": Public(),
    "logout": Public(method="post"),
    "password_change": Listing(),
    "password_change_done": Listing(),
    "set_language": Public(method="post"),
    "presidium:apikeys": Listing(roles=("staff_a", "county_a"), marker=lambda c: _key_b(c).name),
    "presidium:apikey_revoke": Scoped(
        make=_key_b,
        method="post",
        unchanged=lambda cast, obj: ApiKey.objects.get(pk=obj.pk).revoked_at is None,
    ),
    "presidium:audit": Listing(roles=("staff_a", "county_a"), marker=_audit_b),
    "presidium:rules": Listing(roles=("staff_a", "county_a"), marker=lambda c: _rules_b(c)),
    "api-me": Listing(),
    "api-root": Listing(),
    "county-list": Listing(marker=lambda c: c.county_b.name),
    "county-detail": Scoped(make=lambda c: c.county_b),
    "township-list": Listing(marker=lambda c: c.township_b.name),
    "township-detail": Scoped(make=lambda c: c.township_b),
    "unit-list": Listing(marker=lambda c: c.unit_b.name),
    "unit-detail": Scoped(make=lambda c: c.unit_b),
    "schema": Public(),
    "swagger-ui": Public(),
    "redoc": Public(),
    "redoc-bundle": Public(),
}
