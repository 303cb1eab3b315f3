"""Writes of the accounts app: issuing logins (deputies in bulk from the roster, unit officers,
township staff), password resets, deactivation. Each write is audited (``AuditEntry``).

Temporary passwords live only in memory: they are returned to the view, which shows them once on
the slip list, and optionally go out by SMS straight through the SMS backend after commit — never
through ``notify()`` (a Notification row would keep the text, so the password, in the database).
Only the password hash is stored; the new login must change it at first login
(``User.must_change_password``, enforced by ``ForcePasswordChangeMiddleware``)."""

import dataclasses
import logging
import re
import secrets

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from deputies.models import Deputy
from presidium.models import AuditAction, HandlingUnit, Role, StaffTitle, Township, User, phone_validator
from presidium.selectors import can_edit_township, principal_role, users_manageable_by
from presidium.services import audit, temporary_password, user_reset_password

from .selectors import with_service_status

logger = logging.getLogger("accounts")

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")

# PBKDF2 rounds for a generated temporary password. The full default (1,000,000 in Django 5.2)
# costs 0.2-0.8 s per hash on a township server, so a roster of 160 deputies would take minutes
# and time out. A generated 10-character password from a 31-letter alphabet carries ~50 bits, so
# 50,000 rounds already put a leaked hash out of reach of guessing; it lives only until the first
# login, where Django re-hashes it with the full rounds (``must_update``) before the forced change.
TEMPORARY_PASSWORD_ITERATIONS = 50_000


def set_temporary_password(user: User, password: str) -> None:
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        user.password = hasher.encode(password, hasher.salt(), iterations=TEMPORARY_PASSWORD_ITERATIONS)
    else:  # another preferred hasher (argon2, or the tests' fast one): its own parameters
        user.set_password(password)


@dataclasses.dataclass
class IssuedLogin:
    """One line of the slip list. ``password`` exists only in memory, for this one response."""

    user: User
    name: str
    login: str
    password: str
    detail: str = ""  # unit / district shown on the slip
    sms: str = ""  # "", "sent", "failed", "no_phone"


@dataclasses.dataclass
class Skipped:
    name: str
    reason: str


@dataclasses.dataclass
class IssueResult:
    issued: list = dataclasses.field(default_factory=list)
    skipped: list = dataclasses.field(default_factory=list)
    relinked: list = dataclasses.field(default_factory=list)  # Skipped-like: name + what happened


SMS_STATUS_LABELS = {
    "sent": _lazy("短信已发送"),
    "failed": _lazy("短信发送失败，请将凭条交给本人"),
    "no_phone": _lazy("无手机号，未发短信"),
}


def _sms_text(*, name: str, login: str, password: str, reset: bool = False) -> str:
    site = getattr(settings, "SITE_URL", "") or ""
    # Deputies read Chinese whatever language the member of staff has chosen for their screen.
    with translation.override(settings.LANGUAGE_CODE):
        if reset:
            text = _(
                "%(name)s您好：您的人大工作平台密码已由人大办重置。登录名：%(login)s，临时密码：%(pw)s。"
                "原密码已失效，登录后须修改密码，请勿将密码告诉他人。"
            ) % {"name": name, "login": login, "pw": password}
        else:
            text = _(
                "%(name)s您好：您的人大工作平台账号已开通。登录名：%(login)s，临时密码：%(pw)s。"
                "首次登录须修改密码，请勿将密码告诉他人。"
            ) % {"name": name, "login": login, "pw": password}
    if site:
        text += " " + site
    return "【人大主席团】" + text


def sms_is_console() -> bool:
    """True when no SMS gateway is configured (the development backend only logs messages)."""
    return settings.SMS_BACKEND.endswith("ConsoleSmsBackend")


class SmsBatch:
    """One batch of password SMS (one request). The gateway is called in the request, after commit,
    so a dead gateway must not make the secretary wait one timeout per deputy: after a transient
    failure (timeout, 5xx) the rest of the batch is not attempted and marked failed — the slips are
    on screen anyway."""

    def __init__(self):
        self.gateway_down = False


def _send_password_sms(
    line: IssuedLogin, *, actor, township=None, county=None, reference: str, batch: SmsBatch | None = None
):
    """Send the slip line by SMS once the accounts are committed: straight to the SMS backend (one
    call per login; the reference lets a de-duplicating gateway drop a repeat), then audit the
    outcome without the text."""
    phone = line.user.phone
    if not phone:
        line.sms = "no_phone"
        return
    batch = batch or SmsBatch()

    def send():
        from notifications import sms

        try:
            if batch.gateway_down:
                raise sms.TransientSendError("not attempted: the gateway failed earlier in this batch")
            sms.get_backend().send(
                phone=phone,
                text=_sms_text(
                    name=line.name,
                    login=line.login,
                    password=line.password,
                    reset=reference.startswith("reset-"),
                ),
                reference=reference,
            )
        except Exception as exc:  # a gateway failure must not lose the slip already shown
            if not isinstance(exc, sms.PermanentSendError):
                batch.gateway_down = True
            logger.warning("password SMS to user %s failed: %s", line.user.pk, exc.__class__.__name__)
            line.sms = "failed"
            detail = {"error": exc.__class__.__name__}
        else:
            line.sms = "sent"
            detail = {}
        audit(
            actor=actor,
            action=AuditAction.USER_PASSWORD_SMS
            if line.sms == "sent"
            else AuditAction.USER_PASSWORD_SMS_FAILED,
            township=township,
            county=county,
            obj=line.user,
            **detail,
        )

    transaction.on_commit(send)


def _phone_problem(phone: str) -> str:
    if not phone:
        return _("花名册中没有手机号码，无法以手机号登录；请先在花名册中补录手机号码。")
    try:
        phone_validator(phone)
    except ValidationError:
        return _("花名册中的手机号码“%(p)s”不是11位手机号，请先更正。") % {"p": phone}
    return ""


# --- Deputies: bulk from the roster ---------------------------------------------------------------


@transaction.atomic
def deputy_logins_issue(*, township: Township, deputy_ids, actor, send_sms: bool = False) -> IssueResult:
    """Create a login (username and login = the deputy's mobile number) for each selected deputy of
    ``township`` who is serving and has none. Skips, with a reason each: deputies who already have
    a login, who have no (or no valid) mobile number, whose number another deputy of the roster also
    uses (we cannot tell whose it is), whose number is already another login's, and former deputies.
    A re-elected deputy whose login belongs to their ended record keeps it (moved to the new record,
    password unchanged). Returns the slip lines (temporary passwords, in memory only), the skipped
    deputies and the carried-over logins."""
    if not can_edit_township(actor, township.pk):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以开通代表账号。"))
    ids = {int(i) for i in deputy_ids}
    if not ids:
        raise ValidationError(_("请先勾选要开通账号的代表。"))
    deputies = list(
        with_service_status(
            Deputy.objects.select_for_update(of=("self",)).filter(township=township, pk__in=ids)
        )
        .select_related("user", "district")
        .order_by("district__sort_key", "district__name", "name_pinyin", "pk")
    )
    if len(deputies) != len(ids):
        raise ValidationError(_("所选代表中有不属于本乡镇的记录，请刷新页面后重试。"))
    # A number shared by two serving deputies of the roster (a family phone typed twice, a copy
    # error): we cannot tell whose it is, so neither gets it until the roster is corrected.
    serving_by_phone: dict[str, list] = {}
    for d_pk, d_phone, d_name in (
        with_service_status(Deputy.objects.filter(township=township).exclude(phone=""))
        .filter(status_then=Deputy.Status.SERVING)
        .values_list("pk", "phone", "name")
    ):
        serving_by_phone.setdefault(d_phone, []).append((d_pk, d_name))
    phones = {d.phone for d in deputies if d.phone}
    taken = {}
    for u in User.objects.filter(Q(phone__in=phones) | Q(username__in=phones)).values(
        "pk", "phone", "username", "full_name", "role", "township_id", "deputy__pk"
    ):
        for value in (u["phone"], u["username"]):
            if value in phones:
                taken[value] = u
    # Logins of deputies whose earlier record (last term, or before a by-election) has ended.
    old_ids = [u["deputy__pk"] for u in taken.values() if u["deputy__pk"]]
    old_status = dict(
        with_service_status(Deputy.objects.filter(pk__in=old_ids)).values_list("pk", "status_then")
    )
    result = IssueResult()
    sms_batch = SmsBatch()
    for deputy in deputies:
        reason = ""
        if deputy.user_id:
            reason = _("已有登录账号（%(u)s），如忘记密码请在账号管理中重置。") % {"u": deputy.user.username}
        elif deputy.status_then != Deputy.Status.SERVING:
            label = dict(Deputy.Status.choices).get(deputy.status_then, deputy.status_then)
            reason = _("该代表已不在任（%(s)s），不开通账号。") % {"s": label}
        else:
            reason = _phone_problem(deputy.phone)
            others = [name for pk, name in serving_by_phone.get(deputy.phone, []) if pk != deputy.pk]
            if not reason and others:
                reason = _("手机号码%(p)s与代表%(o)s相同，请核对花名册后再开通。") % {
                    "p": deputy.phone,
                    "o": "、".join(others),
                }
            elif not reason and deputy.phone in taken:
                holder = taken[deputy.phone]
                if _carries_over(holder, deputy, old_status):
                    _relink(holder, deputy, actor=actor, township=township, result=result)
                    continue
                reason = _("手机号码%(p)s已被账号“%(u)s”使用，请核对。") % {
                    "p": deputy.phone,
                    "u": holder["full_name"] or holder["username"],
                }
        if reason:
            result.skipped.append(Skipped(deputy.name, reason))
            continue
        password = temporary_password()
        user = User(
            username=deputy.phone,
            phone=deputy.phone,
            full_name=deputy.name,
            role=Role.DEPUTY,
            township=township,
            county_id=township.county_id,
            must_change_password=True,
        )
        set_temporary_password(user, password)
        try:
            with transaction.atomic():
                user.save()
                deputy.user = user
                deputy.save(update_fields=["user"])
        except IntegrityError:
            # Lost a race with a concurrent issue for the same number: report, do not fail the batch.
            result.skipped.append(
                Skipped(deputy.name, _("手机号码%(p)s刚被其他账号占用。") % {"p": deputy.phone})
            )
            continue
        entry = audit(
            actor=actor,
            action=AuditAction.USER_CREATE,
            township=township,
            obj=user,
            role=Role.DEPUTY,
            deputy_id=deputy.pk,
            login=user.username,
            sms=send_sms,
        )
        line = IssuedLogin(
            user=user,
            name=deputy.name,
            login=user.username,
            password=password,
            detail=str(deputy.district or ""),
        )
        if send_sms:
            _send_password_sms(
                line, actor=actor, township=township, reference=f"acct-{entry.pk}", batch=sms_batch
            )
        result.issued.append(line)
    audit(
        actor=actor,
        action=AuditAction.USER_BULK_CREATE,
        township=township,
        obj=township,
        issued=len(result.issued),
        skipped=len(result.skipped),
        relinked=len(result.relinked),
    )
    return result


def _carries_over(holder: dict, deputy: Deputy, old_status: dict) -> bool:
    """A re-elected deputy (new term) or one elected again keeps the login they already know: the
    number's login is a deputy login of the same township, under the same name, whose roster record
    (if any) is no longer serving. A number now used by someone else (numbers get reassigned) is not
    carried over: the name differs and the office is asked to check."""
    return (
        holder["role"] == Role.DEPUTY
        and holder["township_id"] == deputy.township_id
        and holder["full_name"] == deputy.name
        and (holder["deputy__pk"] is None or old_status.get(holder["deputy__pk"]) != Deputy.Status.SERVING)
    )


def _relink(holder: dict, deputy: Deputy, *, actor, township, result: IssueResult) -> None:
    old_pk = holder["deputy__pk"]
    if old_pk:
        Deputy.objects.filter(pk=old_pk).update(user=None)
    deputy.user_id = holder["pk"]
    deputy.save(update_fields=["user"])
    audit(
        actor=actor,
        action=AuditAction.USER_RELINK,
        township=township,
        obj=deputy,
        user_id=holder["pk"],
        from_deputy_id=old_pk,
        to_deputy_id=deputy.pk,
    )
    result.relinked.append(
        Skipped(
            deputy.name,
            _("沿用原账号（登录名 %(u)s），密码不变；原届次的履职记录保留在档案中。")
            % {"u": holder["username"]},
        )
    )


# --- Unit officers and township staff -------------------------------------------------------------


def _clean_login(*, full_name: str, phone: str, username: str) -> tuple[str, str, str]:
    full_name = (full_name or "").strip()
    phone = (phone or "").strip()
    username = (username or "").strip()
    errors = {}
    if not full_name:
        errors["full_name"] = _("请填写姓名。")
    if phone:
        try:
            phone_validator(phone)
        except ValidationError:
            errors["phone"] = _("请输入11位手机号码")
    username = username or phone
    if not username:
        errors["username"] = _("请填写登录名或手机号码（二者至少填一项）。")
    elif not USERNAME_RE.match(username):
        errors["username"] = _("登录名只能包含字母、数字和 _ . @ + -，长度 3 到 150 位。")
    if errors:
        raise ValidationError(errors)
    clash = User.objects.filter(
        Q(username__iexact=username) | Q(phone=username) | (Q(phone=phone) if phone else Q(pk__in=[]))
    ).first()
    if clash is not None:
        if phone and clash.phone == phone:
            raise ValidationError({"phone": _("该手机号码已被账号“%(u)s”使用。") % {"u": clash.display_name}})
        raise ValidationError({"username": _("登录名“%(u)s”已被使用。") % {"u": username}})
    return full_name, phone, username


@transaction.atomic
def account_create(
    *,
    actor,
    role: str,
    full_name: str,
    phone: str = "",
    username: str = "",
    unit: HandlingUnit | None = None,
    township: Township | None = None,
    staff_title: str = "",
    send_sms: bool = False,
) -> IssuedLogin:
    """A login for a unit officer (by the unit's township staff) or for township staff (by the
    county's staff). Deputies get theirs from the roster (:func:`deputy_logins_issue`)."""
    actor_role = principal_role(actor)
    if role == Role.UNIT:
        if unit is None:
            raise ValidationError({"unit": _("请选择承办单位。")})
        if not can_edit_township(actor, unit.township_id):
            raise PermissionDenied(_("只能为本乡镇的承办单位开通账号。"))
        if not unit.is_active:
            raise ValidationError({"unit": _("该承办单位已停用。")})
        township = unit.township
    elif role == Role.STAFF:
        if township is None:
            raise ValidationError({"township": _("请选择乡镇。")})
        allowed = actor_role == Role.ADMIN or (
            actor_role == Role.COUNTY and actor.county_id == township.county_id
        )
        if not allowed:
            raise PermissionDenied(_("只能为本县的乡镇开通工作人员账号。"))
        if staff_title and staff_title not in StaffTitle.values:
            raise ValidationError({"staff_title": _("请选择有效的职务。")})
    else:
        raise ValidationError(_("代表账号请在“代表账号开通”中从花名册开通。"))
    full_name, phone, username = _clean_login(full_name=full_name, phone=phone, username=username)
    password = temporary_password()
    user = User(
        username=username,
        phone=phone or None,
        full_name=full_name,
        role=role,
        unit=unit if role == Role.UNIT else None,
        township=township,
        county_id=township.county_id,
        staff_title=staff_title if role == Role.STAFF else "",
        must_change_password=True,
    )
    set_temporary_password(user, password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError(_("登录名或手机号码刚被其他账号占用，请更换后重试。")) from exc
    entry = audit(
        actor=actor,
        action=AuditAction.USER_CREATE,
        township=township,
        obj=user,
        role=role,
        login=username,
        sms=send_sms,
    )
    line = IssuedLogin(
        user=user, name=full_name, login=username, password=password, detail=str(unit or township)
    )
    if send_sms:
        _send_password_sms(line, actor=actor, township=township, reference=f"acct-{entry.pk}")
    return line


# --- Reset, deactivate, activate ------------------------------------------------------------------


def _manageable(actor, target: User, message) -> User:
    locked = users_manageable_by(actor).select_for_update(of=("self",)).filter(pk=target.pk).first()
    if locked is None:
        raise PermissionDenied(message)
    return locked


@transaction.atomic
def account_reset(*, target: User, actor, send_sms: bool = False) -> IssuedLogin:
    """A new temporary password (old one stops working at once; change forced at next login),
    audited by ``presidium.services.user_reset_password``; optionally sent by SMS."""
    if not target.is_active:
        raise ValidationError(_("该账号已停用，请先启用再重置密码。"))
    password = user_reset_password(target=target, actor=actor)
    target.refresh_from_db()
    line = IssuedLogin(
        user=target,
        name=target.display_name,
        login=target.phone if target.role == Role.DEPUTY and target.phone else target.username,
        password=password,
        detail=str(target.unit or target.township or ""),
    )
    if send_sms:
        _send_password_sms(
            line,
            actor=actor,
            township=target.township,
            county=target.county,
            reference=f"reset-{target.pk}-{secrets.token_hex(4)}",
        )
    return line


@transaction.atomic
def account_set_active(*, target: User, actor, active: bool, reason: str = "") -> User:
    """Deactivate (the login stops working at once, sessions included) or re-activate a login.
    Nothing the person handled moves: items belong to the unit or the deputy record, not the login."""
    user = _manageable(actor, target, _("您无权停用或启用该账号。"))
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    if user.is_active == active:
        raise ValidationError(_("该账号已是启用状态。") if active else _("该账号已是停用状态。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit(
        actor=actor,
        action=AuditAction.USER_ACTIVATE if active else AuditAction.USER_DEACTIVATE,
        township=user.township,
        county=user.county,
        obj=user,
        reason=(reason or "").strip()[:200],
    )
    return user


def unit_active_officer_count(unit_id: int) -> int:
    return User.objects.filter(unit_id=unit_id, role=Role.UNIT, is_active=True).count()


@transaction.atomic
def unit_create(*, township: Township, actor, name: str, responsible_leader: str = "") -> HandlingUnit:
    """Register a handling unit (the township government or one of its stations/offices)."""
    if not can_edit_township(actor, township.pk):
        raise PermissionDenied(_("只能为本乡镇登记承办单位。"))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("请填写单位名称。")})
    if HandlingUnit.objects.filter(township=township, name=name).exists():
        raise ValidationError({"name": _("本乡镇已有名为“%(n)s”的承办单位。") % {"n": name}})
    unit = HandlingUnit.objects.create(
        township=township, name=name[:60], responsible_leader=(responsible_leader or "").strip()[:30]
    )
    audit(actor=actor, action=AuditAction.UNIT_CREATE, township=township, obj=unit)
    return unit
