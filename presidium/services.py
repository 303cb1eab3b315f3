"""Writes of the core: password resets, API keys, audit entries."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiKey, AuditEntry, County, Township, User
from .selectors import principal_role, users_manageable_by


def audit(*, actor, action: str, township=None, county=None, obj=None, **detail) -> AuditEntry:
    if township is not None and county is None:
        county = township.county if isinstance(township, Township) else None
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        township=township if isinstance(township, Township) else None,
        county=county if isinstance(county, County) else None,
        action=action,
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail,
    )


def temporary_password() -> str:
    # Easy to read out over the phone to a deputy: no ambiguous characters.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@transaction.atomic
def user_reset_password(*, target: User, actor: User) -> str:
    """Give ``target`` a temporary password that must be changed at next login; returns it once."""
    if not users_manageable_by(actor).filter(pk=target.pk).exists():
        raise PermissionDenied(_("您无权重置该用户的密码。"))
    password = temporary_password()
    target.set_password(password)
    target.must_change_password = True
    target.save(update_fields=["password", "must_change_password"])
    audit(
        actor=actor, action="user.password_reset", township=target.township, county=target.county, obj=target
    )
    return password


@transaction.atomic
def api_key_create(
    *, name: str, actor: User, township: Township | None = None, county: County | None = None
) -> tuple[ApiKey, str]:
    """Create a read-only key scoped to a township or a county; returns (key, raw secret shown once)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写密钥名称。")})
    role = principal_role(actor)
    if township is None and county is None:
        raise ValidationError(_("请选择密钥的适用范围。"))
    if role == "staff":
        if township is None or township.pk != actor.township_id or county is not None:
            raise PermissionDenied(_("乡镇工作人员只能创建本乡镇范围的密钥。"))
    elif role == "county":
        scope_county_id = county.pk if county else township.county_id
        if scope_county_id != actor.county_id:
            raise PermissionDenied(_("只能创建本县范围的密钥。"))
    elif role != "admin":
        raise PermissionDenied(_("您无权创建 API 密钥。"))
    prefix, raw = ApiKey.generate()
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=ApiKey.hash(raw),
        township=township,
        county=None if township else county,
        created_by=actor,
    )
    audit(
        actor=actor,
        action="apikey.create",
        township=township,
        county=county or getattr(township, "county", None),
        obj=key,
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: User) -> ApiKey:
    from .selectors import api_keys_visible_to

    key = api_keys_visible_to(actor).select_for_update(of=("self",)).filter(pk=key.pk).first()
    if key is None:
        raise PermissionDenied(_("您无权吊销该密钥。"))
    if key.revoked_at:
        raise ValidationError(_("该密钥已被吊销。"))
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit(actor=actor, action="apikey.revoke", township=key.township, county=key.county, obj=key)
    return key
