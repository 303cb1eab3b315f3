"""Suggestions that come from elsewhere: another record (voter opinion, motion, reception day …)
and paper forms entered by the office, one by one or as a batch."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from presidium.models import Township

from .. import workflow
from ..models import (
    SourceKind,
    Status,
    Suggestion,
)
from .base import _today
from .intake import suggestion_accept
from .submission import _create

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
    files=(),
    originals=(),
    cosigners_confirmed: bool = False,
) -> Suggestion:
    """Turn another record (a voter opinion, a reception-day visit, a motion …) into a suggestion
    waiting for the office's intake; the origin is kept through a generic FK. A motion handled as a
    suggestion brings its session and the day it was received (its number and year follow it).
    A paper form (no source record) brings its scanned original, and its signatures are the
    co-signers' confirmation (``cosigners_confirmed``)."""
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
        files=files,
        originals=originals,
        cosigners_confirmed=cosigners_confirmed,
    )


def check_paper_intake(*, township: Township, received_on: dt.date | None, session, level: str = ""):
    """The checks a paper suggestion's intake data must pass (also used row by row by the batch page)."""
    from ..models import Level

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
    return suggestion_create_from_source(
        source=None,
        source_kind=SourceKind.PAPER_SESSION,
        township=township,
        title=title,
        content=content,
        actor=actor,
        lead_deputy=lead_deputy,
        co_deputies=co_deputies,
        category=category,
        reasons=reasons,
        solution=solution,
        during_session=bool(during_session),
        session=session,
        received_on=received_on or _today(),
        level=level,
        files=files,
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
