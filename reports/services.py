"""Writes of the reports app: the narrative staff save per township-year-section, and the render
job workflow (queued → running → done / failed)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import AuditAction, Township, User
from presidium.selectors import can_edit_township
from presidium.services import audit
from presidium.workflow import STALE_MESSAGE, TransitionTable

from . import events
from .models import EXPORT_KINDS, JobKind, JobStatus, ReportJob, ReportNarrative, Section
from .selectors import report_townships_visible_to, valid_year

logger = logging.getLogger(__name__)
MAX_NARRATIVE_CHARS = 20000
STALE_AFTER = dt.timedelta(minutes=15)

# The render job workflow, readable at a glance. A finished job is never re-opened: rendering
# again makes a new job, so every file that was handed out keeps its record.
# The action is the target status (``presidium.workflow.TransitionTable.moves``).
JOB_TRANSITIONS = TransitionTable.moves(
    {
        JobStatus.QUEUED: (JobStatus.RUNNING, JobStatus.FAILED),
        JobStatus.RUNNING: (JobStatus.DONE, JobStatus.FAILED),
    }
)


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("年度格式不正确。")) from None
    if not valid_year(year):
        raise ValidationError(_("年度超出范围。"))
    return year


@transaction.atomic
def narrative_save(
    *, township: Township, year: int, section: str, text: str, version: int, actor: User
) -> ReportNarrative:
    """Save the text of one report section. ``version`` is the version the editor started from
    (0 for a section never saved); if someone saved in between, nothing changes and the editor is
    told to refresh."""
    if not can_edit_township(actor, township.pk):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以编辑报告。"))
    year = _check_year(year)
    if section not in Section.values:
        raise ValidationError(_("章节不存在。"))
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_NARRATIVE_CHARS:
        raise ValidationError(_("正文过长（最多 %(n)s 字）。") % {"n": MAX_NARRATIVE_CHARS})
    narrative = (
        ReportNarrative.objects.select_for_update(of=("self",))
        .filter(township=township, year=year, section=section)
        .first()
    )
    if narrative is None:
        if version:
            raise ValidationError(STALE_MESSAGE)
        try:
            with transaction.atomic():
                narrative = ReportNarrative.objects.create(
                    township=township, year=year, section=section, text=text, version=1, updated_by=actor
                )
        except IntegrityError:
            # Someone created the same section a moment earlier.
            raise ValidationError(STALE_MESSAGE) from None
    else:
        if narrative.version != version:
            raise ValidationError(STALE_MESSAGE)
        narrative.text = text
        narrative.version += 1
        narrative.updated_by = actor
        narrative.updated_at = timezone.now()
        narrative.save(update_fields=["text", "version", "updated_by", "updated_at"])
    audit(
        actor=actor,
        action=AuditAction.REPORT_NARRATIVE_SAVE,
        township=township,
        obj=narrative,
        year=year,
        section=section,
        version=narrative.version,
        chars=len(text),
    )
    return narrative


def _transition(job: ReportJob, to: str, *, actor=None, comment: str = "", fields=()) -> ReportJob:
    if to not in JOB_TRANSITIONS.targets(job.status):
        raise ValidationError(_("任务状态为“%(s)s”，不能变更。") % {"s": job.get_status_display()})
    previous = job.status
    job.status = to
    job.save(update_fields=["status", *fields])
    events.transition(job=job, actor=actor, from_status=previous, to_status=to, comment=comment[:300])
    return job


@transaction.atomic
def report_job_request(
    *, township: Township, kind: str, year: int, actor: User, params: dict | None = None
) -> tuple[ReportJob, bool]:
    """Queue the rendering of a report or book. If the same one is already queued or running for the
    township, that job is returned instead (``created`` False), so double clicks make one file."""
    if (
        not report_townships_visible_to(actor).filter(pk=township.pk).exists()
        or getattr(actor, "role", "") == "api"
    ):
        raise PermissionDenied(_("您无权生成该乡镇的报告。"))
    if kind not in JobKind.values:
        raise ValidationError(_("不支持的报告类型。"))
    year = _check_year(year)
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    # Serialise requests for one township so that two clicks cannot both create a job.
    Township.objects.select_for_update().filter(pk=township.pk).first()
    mine = {"created_by": actor} if kind in EXPORT_KINDS else {}
    active = (
        ReportJob.objects.filter(
            **mine,
            township=township,
            kind=kind,
            year=year,
            params=params,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
            # A job older than this is presumed lost (worker killed, broker down): do not wait on it.
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if active is not None:
        return active, False
    job = ReportJob.objects.create(township=township, kind=kind, year=year, params=params, created_by=actor)
    events.queued(job=job, actor=actor)

    from .tasks import render_report_job

    transaction.on_commit(lambda: render_report_job.delay(job.pk))
    return job, True


@transaction.atomic
def report_job_start(*, job_id: int) -> ReportJob | None:
    """Claim a queued job for rendering; None if it is gone or someone else already took it (a task
    delivered twice renders once)."""
    job = ReportJob.objects.select_for_update(of=("self",)).filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return None
    job.started_at = timezone.now()
    job.progress = 5
    return _transition(job, JobStatus.RUNNING, fields=["started_at", "progress"])


def report_job_progress(*, job_id: int, progress: int) -> None:
    """Progress is not a transition: one UPDATE, only while running, never backwards."""
    ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, progress__lt=progress).update(
        progress=min(99, max(0, int(progress)))
    )


@transaction.atomic
def report_job_finish(*, job_id: int, content: bytes, pages: int | None, message: str = "") -> ReportJob:
    job = ReportJob.objects.select_for_update(of=("self",)).select_related("township").get(pk=job_id)
    job.file.save(job.filename(), ContentFile(content), save=False)
    job.pages = pages
    job.size = len(content)
    job.progress = 100
    job.finished_at = timezone.now()
    job.message = message or _("共 %(pages)s 页") % {"pages": pages}
    return _transition(
        job, JobStatus.DONE, fields=["file", "pages", "size", "progress", "finished_at", "message"]
    )


@transaction.atomic
def report_job_fail(*, job_id: int, message: str) -> ReportJob | None:
    job = ReportJob.objects.select_for_update(of=("self",)).filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    job.message = message[:300]
    job.finished_at = timezone.now()
    return _transition(job, JobStatus.FAILED, comment=message, fields=["message", "finished_at"])


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Render a queued job: claim it, build the content from the owning apps' selectors, write the
    PDF, and record the outcome. Called by the Celery task; not atomic on purpose (progress must be
    visible to the page while it runs)."""
    from .books import render_job_pdf
    from .exports import render_export

    job = report_job_start(job_id=job_id)
    if job is None:
        return None
    progress = lambda p: report_job_progress(job_id=job.pk, progress=p)  # noqa: E731
    try:
        if job.is_export:
            content, rows = render_export(job, progress=progress)
            return report_job_finish(
                job_id=job.pk, content=content, pages=None, message=_("共 %(rows)s 行") % {"rows": rows}
            )
        rendered = render_job_pdf(job, progress=progress)
    except Exception as exc:
        logger.exception("report job %s failed", job.pk)
        return report_job_fail(job_id=job.pk, message=_("生成失败：%(e)s") % {"e": exc.__class__.__name__})
    return report_job_finish(job_id=job.pk, content=rendered.content, pages=rendered.pages)


# --- documents register (各级文件登记簿) and exemplary deeds (代表先进事迹记录簿) ------------------

DOCUMENT_FIELDS = ("direction", "number", "issuer", "date", "title", "handling")
DEED_FIELDS = ("deputy", "date", "title", "content", "source", "source_note", "verified_by")


def _require_township_staff(actor, township: Township) -> None:
    if not can_edit_township(actor, township.pk):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以登记。"))


def _check_date(value, label: str) -> None:
    if value is None:
        raise ValidationError(_("请填写%(f)s。") % {"f": label})
    if value > timezone.localdate():
        raise ValidationError(_("%(f)s不能晚于今天。") % {"f": label})
    if value.year < 2000:
        raise ValidationError(_("%(f)s早于2000年，请核对。") % {"f": label})


def _apply(obj, fields: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    for name, value in fields.items():
        setattr(obj, name, value.strip() if isinstance(value, str) else value)
    return list(fields)


@transaction.atomic
def document_save(*, township: Township, actor: User, document=None, copy=None, **fields):
    """Register a document (``document`` None) or correct one; ``copy`` replaces the filed copy
    (content-checked: PDF, images, Office files)."""
    from presidium.uploads import DOCUMENTS, check_upload

    from .models import Document

    _require_township_staff(actor, township)
    if document is not None:
        document = Document.objects.select_for_update().filter(pk=document.pk, township=township).first()
        if document is None:
            raise ValidationError(_("文件不存在或已被删除。"))
    else:
        document = Document(township=township, created_by=actor)
    _apply(document, fields, DOCUMENT_FIELDS)
    if document.direction not in Document.Direction.values:
        raise ValidationError(_("请选择收文或发文。"))
    if not document.issuer or not document.title:
        raise ValidationError(_("请填写发文机关和文件标题。"))
    _check_date(document.date, _("日期"))
    if copy is not None:
        check_upload(copy, allowed=DOCUMENTS, max_bytes=20 * 1024 * 1024, max_name=80)
        document.copy = copy
    document.updated_at = timezone.now()
    document.full_clean(exclude=["copy", "created_by"])
    document.save()
    audit(
        actor=actor,
        action=AuditAction.REPORT_DOCUMENT_SAVE,
        township=township,
        obj=document,
        title=document.title,
    )
    return document


@transaction.atomic
def deed_save(*, township: Township, actor: User, deed=None, **fields):
    """Record a deputy's exemplary deed (``deed`` None) or correct one. The deputy must be one of the
    township's deputies; who verified it is required."""
    from .models import ExemplaryDeed

    _require_township_staff(actor, township)
    if deed is not None:
        deed = ExemplaryDeed.objects.select_for_update().filter(pk=deed.pk, township=township).first()
        if deed is None:
            raise ValidationError(_("事迹记录不存在或已被删除。"))
    else:
        deed = ExemplaryDeed(township=township, created_by=actor)
    _apply(deed, fields, DEED_FIELDS)
    if deed.deputy_id is None or deed.deputy.township_id != township.pk:
        raise ValidationError(_("请选择本乡镇的代表。"))
    if not deed.title:
        raise ValidationError(_("请填写事迹概要。"))
    if not deed.verified_by:
        raise ValidationError(_("请填写核实人。"))
    if deed.source not in ExemplaryDeed.Source.values:
        raise ValidationError(_("请选择事迹来源。"))
    _check_date(deed.date, _("日期"))
    deed.updated_at = timezone.now()
    deed.full_clean(exclude=["created_by", "deputy"])
    deed.save()
    audit(
        actor=actor, action=AuditAction.REPORT_DEED_SAVE, township=township, obj=deed, deputy=deed.deputy_id
    )
    return deed
