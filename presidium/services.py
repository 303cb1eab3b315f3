"""Writes of the core: password resets, API keys, audit entries."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiKey, AuditAction, AuditEntry, County, CountyRules, Role, Township, User
from .selectors import principal_role, users_manageable_by


def audit(*, actor, action: AuditAction, township=None, county=None, obj=None, **detail) -> AuditEntry:
    """Write one row of the audit log. ``action`` is an :class:`AuditAction`; anything else is a
    programming mistake and is refused (the log page labels and filters by the enum)."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to presidium.models.AuditAction.")
    if township is not None and county is None:
        county = township.county if isinstance(township, Township) else None
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        township=township if isinstance(township, Township) else None,
        county=county if isinstance(county, County) else None,
        action=AuditAction(action).value,
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail,
    )


# Every rule of the county's rules page (all fields but the key and the county).
COUNTY_RULE_FIELDS = tuple(f.name for f in CountyRules._meta.fields if f.name not in ("id", "county"))


@transaction.atomic
def update_county_rules(*, actor: User, rules: CountyRules, data: dict) -> CountyRules:
    """Change a county's rules: county staff of that county or the superuser. ``data`` maps rule
    field names to their new values (a rule not named keeps its value); the whole set is validated
    as the rules page validates it, saved, and one audit row records each changed rule's old value
    (``before``) and new value (``changed``)."""
    if not (actor.is_superuser or (actor.role == Role.COUNTY and actor.county_id == rules.county_id)):
        raise PermissionDenied
    unknown = set(data) - set(COUNTY_RULE_FIELDS)
    if unknown:
        raise ValueError(f"Not county rules: {sorted(unknown)}")
    locked = CountyRules.objects.select_for_update().select_related("county").get(pk=rules.pk)
    before = {name: getattr(locked, name) for name in COUNTY_RULE_FIELDS}
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["county"])
    errors = CountyRules.errors_in({name: getattr(locked, name) for name in COUNTY_RULE_FIELDS})
    if errors:
        raise ValidationError(errors)
    locked.save()
    changed = {
        name: getattr(locked, name) for name in COUNTY_RULE_FIELDS if getattr(locked, name) != before[name]
    }
    audit(
        actor=actor,
        action=AuditAction.COUNTY_RULES_CHANGE,
        county=locked.county,
        obj=locked,
        changed=changed,
        before={name: before[name] for name in changed},
    )
    return locked


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
        actor=actor,
        action=AuditAction.USER_PASSWORD_RESET,
        township=target.township,
        county=target.county,
        obj=target,
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
        action=AuditAction.APIKEY_CREATE,
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
    audit(actor=actor, action=AuditAction.APIKEY_REVOKE, township=key.township, county=key.county, obj=key)
    return key


def api_key_touch(*, key: ApiKey, now) -> None:
    """Note that a key was used, at most once a minute (a hot client must not hammer the row).
    Bookkeeping, not an action: no audit row."""
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


# --- Holiday calendar -------------------------------------------------------------------------

HOLIDAY_KINDS = {
    "rest": "rest",
    "holiday": "rest",
    "off": "rest",
    "休": "rest",
    "休息": "rest",
    "放假": "rest",
    "假": "rest",
    "work": "work",
    "workday": "work",
    "班": "work",
    "上班": "work",
    "调休上班": "work",
}


def parse_holiday_rows(text: str) -> dict[int, list[tuple]]:
    """Read a simple holiday file — one day a line: ``date, kind, name`` (comma or tab separated;
    kind 休/rest or 班/work; a header line and blank/# lines are skipped) — into
    ``{year: [(date, kind, name)]}``. Raises ValidationError naming the first bad line."""
    import csv
    import datetime as dt

    out: dict[int, list[tuple]] = {}
    seen: set = set()
    for lineno, row in enumerate(csv.reader(text.splitlines(), skipinitialspace=True), start=1):
        row = [c.strip() for c in row]
        if not row or not row[0] or row[0].startswith("#"):
            continue
        if len(row) == 1 and "\t" in row[0]:
            row = [c.strip() for c in row[0].split("\t")]
        try:
            day = dt.date.fromisoformat(row[0].replace("/", "-"))
        except ValueError:
            if lineno == 1:  # header
                continue
            raise ValidationError(
                _("第%(n)s行：日期“%(v)s”无法识别，请写成 2027-01-01。") % {"n": lineno, "v": row[0][:20]}
            ) from None
        kind = HOLIDAY_KINDS.get((row[1] if len(row) > 1 else "").lower())
        if kind is None:
            raise ValidationError(_("第%(n)s行：类型须为“休”（放假）或“班”（调休上班）。") % {"n": lineno})
        if day in seen:
            raise ValidationError(_("第%(n)s行：日期 %(d)s 重复。") % {"n": lineno, "d": day.isoformat()})
        seen.add(day)
        name = (row[2] if len(row) > 2 else "")[:60]
        out.setdefault(day.year, []).append((day, kind, name))
    if not out:
        raise ValidationError(_("文件中没有任何日期。"))
    return out


@transaction.atomic
def holiday_year_load(*, year: int, days, actor=None, source: str = "file", note: str = ""):
    """Load (or replace) one year's official calendar and recompute every deadline that was
    computed provisionally over it. ``days``: iterable of (date, kind, name) for that year."""
    from . import workdays
    from .models import HolidayDay, HolidayYear

    days = list(days)
    if not days:
        raise ValidationError(_("%(y)s年没有任何节假日数据。") % {"y": year})
    wrong = [d for d, _k, _n in days if d.year != year]
    if wrong:
        raise ValidationError(_("日期 %(d)s 不在%(y)s年内。") % {"d": wrong[0].isoformat(), "y": year})
    if not any(k == "rest" for _d, k, _n in days):
        raise ValidationError(_("%(y)s年没有任何放假日期。") % {"y": year})
    hy, created = HolidayYear.objects.update_or_create(
        year=year, defaults={"source": source, "note": note[:200], "loaded_at": timezone.now()}
    )
    hy.days.all().delete()
    HolidayDay.objects.bulk_create(HolidayDay(year=hy, date=d, kind=k, name=n) for d, k, n in days)
    workdays.calendar_changed()
    transaction.on_commit(workdays.calendar_changed)
    recomputed = recompute_provisional_deadlines()
    audit(
        actor=actor,
        action=AuditAction.HOLIDAYS_LOAD,
        obj=hy,
        year=year,
        days=len(days),
        replaced=not created,
        recomputed=recomputed,
    )
    return hy, recomputed


def recompute_provisional_deadlines() -> dict[str, int]:
    """Every app's ``deadlines.recompute_provisional()`` re-derives the due dates it computed over a
    provisional year from their recorded start and rule; returns {app: items recomputed}."""
    from .registry import app_modules

    out = {}
    for label, mod in app_modules("deadlines"):
        out[label] = mod.recompute_provisional()
    return out
