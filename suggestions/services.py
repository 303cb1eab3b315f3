"""Every write of the suggestion loop. Keyword-only, atomic, with the acting user; each workflow
action goes through :func:`_transition`, which locks the row, checks the transition table
(suggestions.workflow) and writes a SuggestionEvent."""

import datetime as dt
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from deputies.models import Deputy
from presidium.models import HandlingUnit, Township

from . import workflow
from .attachments import validate_upload
from .deadlines import due_date, forget_basis, set_due
from .models import (
    Attachment,
    Channel,
    ContactRecord,
    CoSigner,
    CoUnit,
    ExtensionStatus,
    Rating,
    SourceKind,
    Status,
    Suggestion,
    SuggestionCounter,
    SuggestionEvaluation,
    SuggestionEvent,
    SuggestionReply,
)

CONCURRENT_CHANGE = gettext_noop("已被他人处理，请刷新后重试")

# Source model (app_label.model) → source_kind, for suggestion_create_from_source.
SOURCE_KINDS = {
    "congress.motion": SourceKind.MOTION,
    "deputies.receptionday": SourceKind.RECEPTION_DAY,
    "deputies.voteropinion": SourceKind.VOTER_OPINION,
    "deputies.votermessage": SourceKind.VOTER_OPINION,
    "deputies.receptionvisit": SourceKind.RECEPTION_DAY,
    "supervision.finding": SourceKind.SUPERVISION,
    "supervision.petition": SourceKind.OTHER,
}


def _today() -> dt.date:
    return timezone.localdate()


def _event(suggestion, *, actor, action, from_status, comment="", on_behalf=None, **extra) -> SuggestionEvent:
    return SuggestionEvent.objects.create(
        suggestion=suggestion,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=suggestion.status,
        comment=comment or "",
        extra=extra,
        **(on_behalf.event_fields() if on_behalf is not None else {}),
    )


def _check_text(value: str, label: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("请填写%(label)s。") % {"label": label})
    if max_length and len(value) > max_length:
        raise ValidationError(_("%(label)s不能超过%(n)s个字。") % {"label": label, "n": max_length})
    return value


def _check_category(township: Township, category: str) -> str:
    category = (category or "").strip()
    if category and category not in township.rules.categories:
        raise ValidationError(_("分类“%(c)s”不在本县的建议分类中。") % {"c": category})
    return category


def _check_deputies(township: Township, deputies: Iterable, lead: Deputy | None) -> list[Deputy]:
    out = []
    for d in deputies or ():
        if d.township_id != township.pk:
            raise ValidationError(_("联名代表须为本乡镇代表。"))
        if lead is not None and d.pk == lead.pk:
            continue
        if d.pk not in {x.pk for x in out}:
            out.append(d)
    return out


def _add_files(suggestion, files, *, kind, actor):
    for upload in files or ():
        content_type = validate_upload(upload)
        Attachment.objects.create(
            suggestion=suggestion,
            kind=kind,
            file=upload,
            name=upload.name[:120],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )


def _transition(
    *,
    suggestion: Suggestion,
    action: str,
    actor,
    expected_version: int | None = None,
    comment: str = "",
    apply: Callable | None = None,
    extra: dict | None = None,
    on_behalf: workflow.OnBehalf | None = None,
) -> Suggestion:
    """Lock the row, check the table and the guard, apply the change, bump the version, log the event.

    ``expected_version`` is the version the user saw when the page was rendered; a mismatch (or a
    status that no longer allows the action because someone else moved the item) means another
    person acted first: the loser gets a clear "reload" message and nothing changes.

    ``on_behalf`` (代录): staff record the step for the deputy or unit it belongs to; the table is
    checked with that person's roles, the event names them and the channel, and they are told."""
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("township__county", "lead_deputy")
        .get(pk=suggestion.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_(CONCURRENT_CHANGE))
    transition, reason, kind = workflow.check(locked, action, actor, on_behalf)
    if transition is None:
        if kind == workflow.FORBIDDEN:
            raise PermissionDenied(reason)
        if locked.status != suggestion.status or locked.version != suggestion.version:
            raise ValidationError(_(CONCURRENT_CHANGE))
        raise ValidationError(reason)
    from_status = locked.status
    more = apply(locked) if apply else None
    locked.status = transition.to
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db(fields=["version"])
    _event(
        locked,
        actor=actor,
        action=action,
        from_status=from_status,
        comment=comment,
        on_behalf=on_behalf,
        **(extra or {}),
        **(more or {}),
    )
    _notify(locked, action, comment, actor=actor, from_status=from_status)
    if on_behalf is not None:
        _notify_recorded(locked, on_behalf, str(transition.label or action))
    suggestion.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# ---------------------------------------------------------------- notifications

# action → [(who is told, title), …]. Messages are in-app plus each user's channels (notifications
# app). Titles are whole sentences (translated when the message is written); placeholders:
# {title} {number} {unit} {due} {into}. The acting user is never told of their own action.
NOTIFY = {
    "submit": [("cosigners", gettext_lazy("邀请您联名建议：{title}"))],
    "not_accept": [("deputy", gettext_lazy("您的建议未予立案：{title}"))],
    "accept": [("deputy", gettext_lazy("您的建议已立案（{number}）：{title}"))],
    "merge": [("deputy", gettext_lazy("您的建议已并入“{into}”一并办理：{title}"))],
    "assign": [
        ("unit", gettext_lazy("新交办建议，请签收：{title}")),
        ("deputy", gettext_lazy("您的建议已交办{unit}办理，答复期限{due}：{title}")),
    ],
    "return": [("staff", gettext_lazy("承办单位退办，请改派：{title}"))],
    "co_input": [("lead_unit_only", gettext_lazy("协办单位已提交意见：{title}"))],
    "request_extension": [("staff", gettext_lazy("承办单位申请延期：{title}"))],
    "approve_extension": [
        ("unit", gettext_lazy("延期申请已同意，答复期限改为{due}：{title}")),
        ("deputy", gettext_lazy("您的建议延期办理，新的答复期限为{due}：{title}")),
    ],
    "refuse_extension": [
        ("unit", gettext_lazy("延期申请未同意，答复期限仍为{due}：{title}")),
        ("deputy", gettext_lazy("承办单位的延期申请未获同意，答复期限仍为{due}：{title}")),
    ],
    "reply": [("deputy", gettext_lazy("您的建议已答复，请评价：{title}"))],
    "rate_unsatisfied": [
        ("unit", gettext_lazy("代表不满意，请重新办理：{title}")),
        ("staff", gettext_lazy("代表对答复不满意，已退回重新办理：{title}")),
    ],
    "rate_unsatisfied_final": [
        ("staff", gettext_lazy("代表对重新办理的答复仍不满意：{title}")),
        ("deputy", gettext_lazy("您的建议已办结：{title}")),
    ],
    "rate_satisfied": [("deputy", gettext_lazy("您的建议已办结：{title}"))],
    "rate_basic": [("deputy", gettext_lazy("您的建议已办结：{title}"))],
    "planned_done": [("deputy", gettext_lazy("您的建议中的计划事项已完成：{title}"))],
    "withdraw": [("handling_units", gettext_lazy("代表已撤回建议，无需继续办理：{title}"))],
    "mark_key": [("handling_units", gettext_lazy("建议已列为重点督办，请加快办理：{title}"))],
}


def _audience(s: Suggestion, who: str, action: str):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    active = User.objects.filter(is_active=True)
    if who == "deputy":
        return active.filter(deputy=s.lead_deputy_id) if s.lead_deputy_id else User.objects.none()
    if who == "cosigners":
        return active.filter(deputy__cosigned_suggestions__suggestion=s)
    if who == "unit":
        unit_ids = (
            [s.lead_unit_id, *s.co_units.values_list("unit_id", flat=True)]
            if action == "assign"
            else [s.lead_unit_id]
        )
        return active.filter(role="unit", unit_id__in=[u for u in unit_ids if u])
    if who == "handling_units":
        # The units that are working on it right now (lead and co-units), if any.
        if s.status not in (*IN_HANDLING_OR_DONE, Status.WITHDRAWN) or not s.lead_unit_id:
            return User.objects.none()
        unit_ids = [s.lead_unit_id, *s.co_units.values_list("unit_id", flat=True)]
        return active.filter(role="unit", unit_id__in=unit_ids)
    if who == "lead_unit_only":
        return active.filter(role="unit", unit_id=s.lead_unit_id)
    return active.filter(role="staff", township_id=s.township_id)


# A unit hears of a withdrawal or a key-item mark only while it holds the item.
IN_HANDLING_OR_DONE = (Status.ASSIGNED, Status.SIGNED, Status.REHANDLING, Status.REPLIED)


def _notify(s: Suggestion, action: str, comment: str = "", *, actor=None, from_status: str = ""):
    from django.urls import reverse

    from notifications.services import notify

    specs = NOTIFY.get(action)
    if not specs:
        return
    if action == "withdraw" and from_status not in (Status.ASSIGNED, Status.SIGNED):
        return
    if action == "merge" and s.merged_into_id:
        into = Suggestion.objects.filter(pk=s.merged_into_id).values_list("number", "title").first()
        into_label = (into[0] or into[1]) if into else ""
    else:
        into_label = ""
    values = {
        "title": s.title,
        "number": s.number,
        "unit": s.lead_unit.name if s.lead_unit_id else "",
        "due": s.reply_due.isoformat() if s.reply_due else "",
        "into": into_label,
    }
    for who, title in specs:
        users = _audience(s, who, action)
        if actor is not None and getattr(actor, "pk", None):
            users = users.exclude(pk=actor.pk)
        notify(
            recipients=list(users),
            verb=f"suggestion.{action}",
            title=str(title).format(**values),
            body=comment[:500],
            obj=s,
            url=reverse("suggestions:detail", args=[s.pk]),
            dedupe_key=f"suggestion:{s.pk}:{action}:{s.version}:{who}",
        )


def _notify_recorded(s: Suggestion, on_behalf: workflow.OnBehalf, label: str):
    """The deputy or unit a step was recorded for finds it in their inbox when they next log in."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notifications.services import notify

    User = get_user_model()
    if on_behalf.deputy is not None:
        users = User.objects.filter(deputy=on_behalf.deputy.pk, is_active=True)
    else:
        users = User.objects.filter(role="unit", unit_id=on_behalf.unit.pk, is_active=True)
    notify(
        recipients=list(users),
        verb="suggestion.recorded",
        title=_("人大办已代您录入“%(label)s”（%(channel)s）：%(title)s")
        % {
            "label": label,
            "channel": dict(Channel.choices)[on_behalf.channel],
            "title": s.title,
        },
        obj=s,
        url=reverse("suggestions:detail", args=[s.pk]),
        dedupe_key=f"suggestion:{s.pk}:recorded:{s.version}:{label}",
        channels=[],
    )


# ---------------------------------------------------------------- creation


def _create(
    *,
    township,
    title,
    content,
    actor,
    status,
    source_kind,
    lead_deputy=None,
    co_deputies=(),
    category="",
    reasons="",
    solution="",
    during_session=False,
    source=None,
    files=(),
    received_at=None,
    session=None,
    level="",
    originals=(),
    cosigners_confirmed=False,
) -> Suggestion:
    title = _check_text(title, _("标题"), 120)
    content = _check_text(content, _("内容"))
    category = _check_category(township, category)
    if lead_deputy is not None and lead_deputy.township_id != township.pk:
        raise ValidationError(_("领衔代表须为本乡镇代表。"))
    cos = _check_deputies(township, co_deputies, lead_deputy)
    now = timezone.now()
    s = Suggestion(
        township=township,
        title=title,
        content=content,
        reasons=(reasons or "").strip(),
        solution=(solution or "").strip(),
        category=category,
        status=status,
        source_kind=source_kind,
        lead_deputy=lead_deputy,
        created_by=actor if getattr(actor, "pk", None) else None,
        during_session=during_session,
        session=session,
        created_at=now,
    )
    if level:
        s.level = level
    if source is not None:
        s.source_content_type = ContentType.objects.get_for_model(source)
        s.source_object_id = source.pk
    if status == Status.SUBMITTED:
        _set_received(s, received_at or now)
    s.save()
    if cosigners_confirmed:
        # Signatures on a paper form are the co-signers' confirmation.
        CoSigner.objects.bulk_create(
            [CoSigner(suggestion=s, deputy=d, state=CoSigner.State.CONFIRMED, responded_at=now) for d in cos]
        )
    else:
        CoSigner.objects.bulk_create([CoSigner(suggestion=s, deputy=d) for d in cos])
    _add_files(s, files, kind=Attachment.Kind.SUBMISSION, actor=actor)
    _add_files(s, originals, kind=Attachment.Kind.ORIGINAL, actor=actor)
    _event(
        s,
        actor=actor,
        action="create",
        from_status=Status.DRAFT,
        source_kind=source_kind,
        cosigners=[d.pk for d in cos],
    )
    return s


def _set_received(s: Suggestion, now):
    """Received at ``now``: the assignment clock starts from that day (the working-day rule)."""
    s.submitted_at = now
    # Between sessions the office assigns within N working days; session items go to the
    # assignment meeting (交办会) after the session, so no working-day clock runs for them.
    set_due(
        s,
        "assign_due",
        rules=s.township.rules,
        stage=None if s.during_session else "assign",
        start=timezone.localtime(now).date(),
    )
    s.due_date = s.assign_due


@transaction.atomic
def suggestion_create_from_source(
    *,
    source,
    township: Township,
    title: str,
    content: str,
    actor,
    lead_deputy: Deputy | None = None,
    co_deputies=(),
    category: str = "",
    source_kind: str | None = None,
    reasons: str = "",
    solution: str = "",
    during_session: bool = False,
    session=None,
    received_on: dt.date | None = None,
    level: str = "",
) -> Suggestion:
    """Turn another record (a voter opinion, a reception-day visit, a motion …) into a suggestion
    waiting for the office's intake; the origin is kept through a generic FK. A motion handled as a
    suggestion brings its session and the day it was received (its number and year follow it)."""
    if source_kind is None:
        label = f"{source._meta.app_label}.{source._meta.model_name}" if source is not None else ""
        source_kind = SOURCE_KINDS.get(label, SourceKind.OTHER)
        # A voter opinion registered on a reception day (vs. a QR-code message) keeps that distinction.
        if label == "deputies.voteropinion" and getattr(source, "source", "") == "reception":
            source_kind = SourceKind.RECEPTION_DAY
    if source_kind not in SourceKind.values:
        raise ValidationError(_("未知的建议来源。"))
    if source_kind in (SourceKind.VOTER_OPINION, SourceKind.RECEPTION_DAY) and lead_deputy is None:
        # A voter's opinion becomes a deputy's suggestion only when a deputy carries it.
        raise ValidationError(_("选民意见转为建议须指定领衔代表。"))
    if session is not None or received_on is not None or level:
        check_paper_intake(
            township=township, received_on=received_on or _today(), session=session, level=level
        )
    return _create(
        township=township,
        title=title,
        content=content,
        actor=actor,
        status=Status.SUBMITTED,
        source_kind=source_kind,
        lead_deputy=lead_deputy,
        co_deputies=co_deputies,
        category=category,
        reasons=reasons,
        solution=solution,
        during_session=during_session or session is not None,
        source=source,
        session=session,
        received_at=received_moment(received_on) if received_on else None,
        level=level,
    )


@transaction.atomic
def suggestion_create_by_deputy(
    *,
    deputy: Deputy,
    actor,
    title: str,
    content: str,
    reasons: str = "",
    solution: str = "",
    category: str = "",
    co_deputies=(),
    files=(),
    submit: bool = False,
) -> Suggestion:
    """A deputy's own suggestion from the phone: saved as a private draft, or submitted at once."""
    if deputy.user_id != actor.pk:
        raise PermissionDenied(_("只能以本人名义提出建议。"))
    s = _create(
        township=deputy.township,
        title=title,
        content=content,
        actor=actor,
        status=Status.DRAFT,
        source_kind=SourceKind.ONLINE,
        lead_deputy=deputy,
        co_deputies=co_deputies,
        category=category,
        reasons=reasons,
        solution=solution,
        files=files,
    )
    if submit:
        suggestion_submit(suggestion=s, actor=actor)
    return s


@transaction.atomic
def suggestion_update_draft(
    *,
    suggestion: Suggestion,
    actor,
    title: str,
    content: str,
    reasons: str = "",
    solution: str = "",
    category: str = "",
    co_deputies=(),
    files=(),
) -> Suggestion:
    s = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("lead_deputy", "township")
        .get(pk=suggestion.pk)
    )
    if s.status != Status.DRAFT or not s.lead_deputy or s.lead_deputy.user_id != actor.pk:
        raise PermissionDenied(_("只能修改本人的草稿。"))
    s.title = _check_text(title, _("标题"), 120)
    s.content = _check_text(content, _("内容"))
    s.reasons, s.solution = (reasons or "").strip(), (solution or "").strip()
    s.category = _check_category(s.township, category)
    wanted = _check_deputies(s.township, co_deputies, s.lead_deputy)
    s.save()
    s.cosigners.exclude(deputy__in=wanted).delete()
    existing = set(s.cosigners.values_list("deputy_id", flat=True))
    CoSigner.objects.bulk_create([CoSigner(suggestion=s, deputy=d) for d in wanted if d.pk not in existing])
    _add_files(s, files, kind=Attachment.Kind.SUBMISSION, actor=actor)
    return s


def check_paper_intake(*, township: Township, received_on: dt.date | None, session, level: str = ""):
    """The checks a paper suggestion's intake data must pass (also used row by row by the batch page)."""
    from .models import Level

    if received_on is None:
        raise ValidationError(_("请填写收到日期。"))
    if received_on > _today():
        raise ValidationError(_("收到日期不能晚于今天。"))
    if session is not None:
        if session.township_id != township.pk:
            raise ValidationError(_("会议须为本乡镇的人代会。"))
        if session.status == "cancelled":
            raise ValidationError(_("该次会议已取消。"))
    if level and level not in Level.values:
        raise ValidationError(_("请选择办理层级。"))


def received_moment(received_on: dt.date) -> dt.datetime:
    """The moment stored for a paper item received on a date: now when it is today, else noon."""
    if received_on == _today():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(received_on, dt.time(12, 0)))


@transaction.atomic
def suggestion_create_paper(
    *,
    township: Township,
    actor,
    lead_deputy: Deputy,
    title: str,
    content: str,
    reasons: str = "",
    solution: str = "",
    category: str = "",
    co_deputies=(),
    during_session: bool | None = None,
    files=(),
    received_on: dt.date | None = None,
    session=None,
    level: str = "",
    originals=(),
) -> Suggestion:
    """Staff enter a suggestion handed in on paper: the date it was received (its number and the
    year it counts in follow that date), the session it was made at or none (闭会期间), the lead and
    joint deputies (any deputy of the township, county-level deputies organised there included), the
    scanned original, category and level."""
    if not workflow.is_staff_of(actor, township.pk):
        raise PermissionDenied(_("只有本乡镇人大办可以录入书面建议。"))
    if lead_deputy is None:
        raise ValidationError(_("请选择领衔代表。"))
    received_on = received_on or _today()
    check_paper_intake(township=township, received_on=received_on, session=session, level=level)
    if during_session is None or session is not None:
        during_session = session is not None
    return _create(
        township=township,
        title=title,
        content=content,
        actor=actor,
        status=Status.SUBMITTED,
        source_kind=SourceKind.PAPER_SESSION,
        lead_deputy=lead_deputy,
        co_deputies=co_deputies,
        category=category,
        reasons=reasons,
        solution=solution,
        during_session=during_session,
        files=files,
        received_at=received_moment(received_on),
        session=session,
        level=level,
        originals=originals,
        cosigners_confirmed=True,
    )


@transaction.atomic
def suggestion_create_paper_batch(
    *,
    township: Township,
    actor,
    rows,
    received_on: dt.date | None,
    session=None,
    accept: bool = False,
) -> list[Suggestion]:
    """A stack of paper suggestions entered after a session (one row each), all or nothing.

    ``rows`` is ``[(row_number, {lead_deputy, co_deputies, title, content, category, level})]``; every
    row is tried so that the error lists every bad row ("第3行：请填写标题。"), then nothing is kept
    unless all rows passed. With ``accept`` each row is also accepted (numbered), ready for the
    batch assignment (交办会)."""
    if not workflow.is_staff_of(actor, township.pk):
        raise PermissionDenied(_("只有本乡镇人大办可以录入书面建议。"))
    check_paper_intake(township=township, received_on=received_on, session=session)
    rows = list(rows)
    if not rows:
        raise ValidationError(_("请至少填写一行建议。"))
    created, errors = [], []
    for number, row in rows:
        try:
            with transaction.atomic():
                s = suggestion_create_paper(
                    township=township,
                    actor=actor,
                    received_on=received_on,
                    session=session,
                    lead_deputy=row.get("lead_deputy"),
                    co_deputies=row.get("co_deputies") or (),
                    title=row.get("title", ""),
                    content=row.get("content", ""),
                    category=row.get("category", ""),
                    level=row.get("level", ""),
                )
                if accept:
                    suggestion_accept(
                        suggestion=s,
                        actor=actor,
                        category=row.get("category", ""),
                        level=row.get("level", ""),
                    )
        except ValidationError as exc:
            errors += [_("第%(n)s行：%(msg)s") % {"n": number, "msg": m} for m in exc.messages]
        else:
            created.append(s)
    if errors:
        raise ValidationError(errors)
    return created


@transaction.atomic
def cosigner_respond(*, suggestion: Suggestion, actor, confirm: bool, on_behalf=None) -> CoSigner:
    """A co-signer confirms (or declines) the lead deputy's invitation; with ``on_behalf`` the office
    records the deputy's answer given on paper, by phone or in person."""
    rows = CoSigner.objects.select_for_update(of=("self",)).filter(suggestion=suggestion)
    if on_behalf is not None:
        if not workflow.is_staff_of(actor, suggestion.township_id):
            raise PermissionDenied(_("只有本乡镇人大办可以代录。"))
        if on_behalf.deputy is None:
            raise PermissionDenied(_("只有联名代表本人可以确认联名。"))
        row = rows.filter(deputy=on_behalf.deputy).first()
        if row is None:
            raise PermissionDenied(_("%(name)s不是这条建议的联名代表。") % {"name": on_behalf.deputy.name})
    else:
        row = rows.filter(deputy__user=actor).first()
    if row is None:
        raise PermissionDenied(_("您不是这条建议的联名代表。"))
    if suggestion.status in (Status.CLOSED, Status.WITHDRAWN, Status.MERGED, Status.NOT_ACCEPTED):
        raise ValidationError(_("建议已结束，不能再确认联名。"))
    if row.state != CoSigner.State.INVITED:
        raise ValidationError(_(CONCURRENT_CHANGE))
    row.state = CoSigner.State.CONFIRMED if confirm else CoSigner.State.DECLINED
    row.responded_at = timezone.now()
    row.save(update_fields=["state", "responded_at"])
    _event(
        suggestion,
        actor=actor,
        action="cosign" if confirm else "cosign_decline",
        from_status=suggestion.status,
        on_behalf=on_behalf,
        deputy=row.deputy_id,
    )
    if on_behalf is not None:
        label = workflow.ACTION_LABELS["cosign" if confirm else "cosign_decline"]
        _notify_recorded(suggestion, on_behalf, str(label))
    return row


# ---------------------------------------------------------------- deputy actions


@transaction.atomic
def suggestion_submit(*, suggestion, actor, expected_version=None) -> Suggestion:
    def apply(s):
        _set_received(s, timezone.now())

    return _transition(
        suggestion=suggestion, action="submit", actor=actor, expected_version=expected_version, apply=apply
    )


@transaction.atomic
def suggestion_withdraw(
    *, suggestion, actor, reason: str = "", expected_version=None, on_behalf=None
) -> Suggestion:
    def apply(s):
        s.closed_at = timezone.now()
        s.due_date = None

    return _transition(
        suggestion=suggestion,
        action="withdraw",
        actor=actor,
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_evaluate(
    *, suggestion, actor, rating: str, comment: str = "", expected_version=None, on_behalf=None
) -> Suggestion:
    """The lead deputy rates the reply. Unsatisfied the first time → re-handling with a new due date.
    With ``on_behalf`` the office records the deputy's rating and words from a call or the paper form."""
    if rating not in Rating.values:
        raise ValidationError(_("请选择满意度。"))
    if rating == Rating.UNSATISFIED:
        comment = _check_text(comment, _("不满意的理由"))
        action = "rate_unsatisfied" if suggestion.round == 1 else "rate_unsatisfied_final"
    else:
        action = workflow.RATING_ACTIONS[rating]

    def apply(s):
        SuggestionEvaluation.objects.create(
            suggestion=s, round=s.round, rating=rating, comment=comment.strip(), created_by=actor
        )
        s.rating = rating
        if s.round == 1:
            s.first_rating = rating
        if action == "rate_unsatisfied":
            s.round = 2
            set_due(s, "reply_due", rules=s.township.rules, stage="rehandle", start=_today())
            s.due_date = s.reply_due
            s.extension_status = ExtensionStatus.NONE
        else:
            s.closed_at = timezone.now()
            s.due_date = None
        return {"rating": rating}

    return _transition(
        suggestion=suggestion,
        action=action,
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
        on_behalf=on_behalf,
    )


# ---------------------------------------------------------------- office intake and assignment


def next_number(township: Township, year: int) -> tuple[int, str]:
    """Take the next number for (township, year) from a locked counter row."""
    try:
        with transaction.atomic():
            SuggestionCounter.objects.get_or_create(township=township, year=year)
    except IntegrityError:
        pass  # created concurrently by someone else: the row exists now
    counter = SuggestionCounter.objects.select_for_update().get(township=township, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:03d}"


@transaction.atomic
def suggestion_accept(
    *, suggestion, actor, category: str = "", level: str = "", expected_version=None
) -> Suggestion:
    """立案: number it (2024-017), file its category and level."""
    from .models import Level

    if level and level not in Level.values:
        raise ValidationError(_("请选择办理层级。"))

    def apply(s):
        cat = _check_category(s.township, category or s.category)
        if not cat:
            raise ValidationError(_("请选择建议分类。"))
        s.category = cat
        if level:
            s.level = level
        # The number and the year it counts in follow the date it was received (a paper suggestion
        # of a January session entered in December still belongs to January's year).
        received = timezone.localtime(s.submitted_at) if s.submitted_at else timezone.localtime()
        year = received.year
        s.year, s.number = year, ""
        s.seq, s.number = next_number(s.township, year)
        s.accepted_at = timezone.now()
        return {"number": s.number, "category": s.category, "level": s.level}

    return _transition(
        suggestion=suggestion, action="accept", actor=actor, expected_version=expected_version, apply=apply
    )


@transaction.atomic
def suggestion_not_accept(
    *, suggestion, actor, reason: str, note: str = "", expected_version=None
) -> Suggestion:
    """不予立案 with one of the county's reasons; the deputy sees it."""
    rules = suggestion.township.rules
    if reason not in rules.not_accepted_reasons:
        raise ValidationError(_("请从列表中选择不予立案的理由。"))

    def apply(s):
        s.not_accepted_reason = reason
        s.closed_at = timezone.now()
        s.due_date = None
        return {"reason": reason}

    return _transition(
        suggestion=suggestion,
        action="not_accept",
        actor=actor,
        expected_version=expected_version,
        comment=note,
        apply=apply,
    )


@transaction.atomic
def suggestion_merge(*, suggestion, into: Suggestion, actor, expected_version=None) -> Suggestion:
    """并案: a duplicate is merged into another item of the same township; its deputies become co-signers."""
    if into.pk == suggestion.pk or into.township_id != suggestion.township_id:
        raise ValidationError(_("只能并入本乡镇的另一条建议。"))
    if into.status in (Status.DRAFT, Status.MERGED, Status.WITHDRAWN, Status.NOT_ACCEPTED):
        raise ValidationError(_("目标建议当前状态不能接收并案。"))

    def apply(s):
        s.merged_into = into
        s.closed_at = timezone.now()
        s.due_date = None
        deputies = [
            d
            for d in [s.lead_deputy, *[c.deputy for c in s.cosigners.select_related("deputy")]]
            if d is not None and d.pk != into.lead_deputy_id
        ]
        known = set(into.cosigners.values_list("deputy_id", flat=True))
        CoSigner.objects.bulk_create(
            [
                CoSigner(
                    suggestion=into, deputy=d, state=CoSigner.State.CONFIRMED, responded_at=timezone.now()
                )
                for d in {d.pk: d for d in deputies}.values()
                if d.pk not in known
            ]
        )
        _event(into, actor=actor, action="merged_in", from_status=into.status, merged=s.pk)
        return {"into": into.pk}

    return _transition(
        suggestion=suggestion, action="merge", actor=actor, expected_version=expected_version, apply=apply
    )


@transaction.atomic
def suggestion_assign(
    *, suggestion, actor, unit: HandlingUnit, co_units=(), responsible_leader: str = "", expected_version=None
) -> Suggestion:
    """交办 (or 改派 after a return) to a lead unit and optional co-units, with the due dates."""
    if unit is None:
        raise ValidationError(_("请选择主办单位。"))
    leader_max = Suggestion._meta.get_field("responsible_leader").max_length
    if len((responsible_leader or "").strip()) > leader_max:
        raise ValidationError(_("责任领导不能超过 %(n)s 个字，请只填写姓名和职务。") % {"n": leader_max})
    co_units = [u for u in co_units or () if u.pk != unit.pk]
    for u in [unit, *co_units]:
        if u.township_id != suggestion.township_id or not u.is_active:
            raise ValidationError(_("承办单位须为本乡镇在用的单位。"))

    def apply(s):
        previous = s.lead_unit_id
        today = _today()
        rules = s.township.rules
        s.lead_unit = unit
        s.responsible_leader = (responsible_leader or "").strip() or unit.responsible_leader
        s.assigned_at = timezone.now()
        s.signed_at = None
        set_due(s, "return_due", rules=rules, stage="return", start=today)
        set_due(s, "reply_due", rules=rules, stage="reply", start=today)
        set_due(s, "co_input_due", rules=rules, stage="co_input" if co_units else None, start=today)
        s.due_date = s.reply_due
        s.extension_status, s.extension_until = ExtensionStatus.NONE, None
        s.co_units.all().delete()
        CoUnit.objects.bulk_create([CoUnit(suggestion=s, unit=u) for u in co_units])
        return {
            "unit": unit.pk,
            "unit_name": unit.name,
            "co_units": [u.pk for u in co_units],
            "previous_unit": previous,
            "reply_due": s.reply_due.isoformat(),
        }

    return _transition(
        suggestion=suggestion, action="assign", actor=actor, expected_version=expected_version, apply=apply
    )


@transaction.atomic
def suggestion_assign_batch(
    *, suggestions, actor, unit: HandlingUnit, co_units=(), responsible_leader: str = ""
) -> int:
    """Assign many accepted items at once (交办会). All or nothing: one refusal stops the batch."""
    done = 0
    for s in suggestions:
        try:
            suggestion_assign(
                suggestion=s, actor=actor, unit=unit, co_units=co_units, responsible_leader=responsible_leader
            )
        except ValidationError as exc:
            raise ValidationError(
                _("%(title)s：%(msg)s") % {"title": s.number or s.title, "msg": "；".join(exc.messages)}
            ) from exc
        done += 1
    return done


@transaction.atomic
def suggestion_set_key(
    *, suggestion, actor, key: bool, comment: str = "", expected_version=None
) -> Suggestion:
    def apply(s):
        s.is_key = key

    return _transition(
        suggestion=suggestion,
        action="mark_key" if key else "unmark_key",
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
    )


# ---------------------------------------------------------------- unit portal


@transaction.atomic
def suggestion_sign(*, suggestion, actor, expected_version=None, on_behalf=None) -> Suggestion:
    def apply(s):
        s.signed_at = timezone.now()

    return _transition(
        suggestion=suggestion,
        action="sign",
        actor=actor,
        expected_version=expected_version,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_return(*, suggestion, actor, reason: str, expected_version=None, on_behalf=None) -> Suggestion:
    """退办: a wrongly assigned item goes back to the office, which re-assigns it."""
    reason = _check_text(reason, _("退办理由"))

    def apply(s):
        rules = s.township.rules
        unit_id = s.lead_unit_id
        s.lead_unit = None
        s.signed_at = None
        for f in ("reply_due", "return_due", "co_input_due"):
            set_due(s, f, rules=rules, stage=None, start=None)
        # The office re-assigns within the same working-day limit as a first assignment.
        set_due(s, "assign_due", rules=rules, stage="assign", start=_today())
        s.due_date = s.assign_due
        s.co_units.all().delete()
        return {"unit": unit_id}

    return _transition(
        suggestion=suggestion,
        action="return",
        actor=actor,
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_co_input(*, suggestion, actor, text: str, on_behalf=None) -> CoUnit:
    """A co-unit sends its input to the lead unit (or the office records it for the co-unit)."""
    text = _check_text(text, _("协办意见"))
    unit_id = on_behalf.unit.pk if on_behalf is not None and on_behalf.unit is not None else actor.unit_id
    row = {}

    def apply(s):
        co = CoUnit.objects.select_for_update(of=("self",)).get(suggestion=s, unit_id=unit_id)
        co.input_text, co.input_at = text, timezone.now()
        co.save(update_fields=["input_text", "input_at"])
        row["co"] = co
        return {"unit": unit_id}

    _transition(
        suggestion=suggestion, action="co_input", actor=actor, comment=text, apply=apply, on_behalf=on_behalf
    )
    return row["co"]


@transaction.atomic
def suggestion_record_contact(
    *, suggestion, actor, contacted_on: dt.date, method: str, summary: str, on_behalf=None
) -> ContactRecord:
    """沟通记录: required before the reply."""
    summary = _check_text(summary, _("沟通内容"))
    if method not in ContactRecord.Method.values:
        raise ValidationError(_("请选择沟通方式。"))
    if contacted_on is None or contacted_on > _today():
        raise ValidationError(_("沟通日期不能晚于今天。"))
    row = {}

    def apply(s):
        row["c"] = ContactRecord.objects.create(
            suggestion=s,
            round=s.round,
            unit_id=s.lead_unit_id,
            contacted_on=contacted_on,
            method=method,
            summary=summary,
            created_by=actor,
        )
        return {"method": method, "contacted_on": contacted_on.isoformat()}

    _transition(
        suggestion=suggestion,
        action="contact",
        actor=actor,
        comment=summary,
        apply=apply,
        on_behalf=on_behalf,
    )
    return row["c"]


@transaction.atomic
def suggestion_request_extension(
    *, suggestion, actor, until: dt.date, reason: str, expected_version=None, on_behalf=None
) -> Suggestion:
    reason = _check_text(reason, _("延期理由"))

    def apply(s):
        latest = due_date(
            rules=s.township.rules, stage="extension_max", start=timezone.localtime(s.assigned_at).date()
        )
        if until is None or until <= (s.reply_due or _today()):
            raise ValidationError(_("延期日期须晚于当前答复期限。"))
        if until > latest:
            raise ValidationError(
                _("延期最长至交办后%(n)s个月（%(d)s）。")
                % {"n": s.township.rules.extension_max_months, "d": latest.isoformat()}
            )
        s.extension_status, s.extension_until, s.extension_reason = ExtensionStatus.PENDING, until, reason
        return {"until": until.isoformat()}

    return _transition(
        suggestion=suggestion,
        action="request_extension",
        actor=actor,
        expected_version=expected_version,
        comment=reason,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_decide_extension(
    *, suggestion, actor, approve: bool, comment: str = "", expected_version=None
) -> Suggestion:
    def apply(s):
        if approve:
            s.extension_status = ExtensionStatus.APPROVED
            s.reply_due = s.extension_until
            forget_basis(s, "reply_due")
            s.due_date = s.reply_due
        else:
            s.extension_status = ExtensionStatus.REFUSED
        return {"until": s.extension_until.isoformat() if s.extension_until else None}

    return _transition(
        suggestion=suggestion,
        action="approve_extension" if approve else "refuse_extension",
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
    )


@transaction.atomic
def suggestion_reply(
    *, suggestion, actor, outcome_class: str, text: str, files=(), expected_version=None, on_behalf=None
) -> Suggestion:
    """答复 with the county's outcome class; records whether it came in time. Recorded for a unit
    (代录), the reply must carry the scanned signed and sealed reply letter (答复函)."""
    text = _check_text(text, _("答复内容"))
    if outcome_class not in suggestion.township.rules.outcome_codes():
        raise ValidationError(_("请选择办理结果分类。"))
    if on_behalf is not None and not files:
        raise ValidationError(_("代录答复须上传单位签章的答复函扫描件。"))
    kind = Attachment.Kind.REPLY_LETTER if on_behalf is not None else Attachment.Kind.REPLY

    def apply(s):
        now = timezone.now()
        on_time = s.reply_due is None or timezone.localtime(now).date() <= s.reply_due
        SuggestionReply.objects.create(
            suggestion=s,
            round=s.round,
            unit_id=s.lead_unit_id,
            outcome_class=outcome_class,
            text=text,
            replied_at=now,
            due=s.reply_due,
            created_by=actor,
        )
        _add_files(s, files, kind=kind, actor=actor)
        s.outcome_class = outcome_class
        s.replied_at = now
        if s.round == 1:
            s.replied_on_time = on_time
        s.due_date = None
        return {"outcome_class": outcome_class, "on_time": on_time, "round": s.round}

    return _transition(
        suggestion=suggestion,
        action="reply",
        actor=actor,
        expected_version=expected_version,
        comment=text,
        apply=apply,
        on_behalf=on_behalf,
    )


@transaction.atomic
def suggestion_planned_done(
    *, suggestion, actor, comment: str = "", expected_version=None, on_behalf=None
) -> Suggestion:
    """A "planned" (列入计划) outcome is finally done — tracked across years until this happens."""

    def apply(s):
        s.planned_done_at = timezone.now()

    return _transition(
        suggestion=suggestion,
        action="planned_done",
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
        on_behalf=on_behalf,
    )
