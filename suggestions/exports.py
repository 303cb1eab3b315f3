"""Excel exports: the suggestions register (代表建议登记簿) and the handling summary (办理情况汇总)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from presidium.models import Township
from presidium.spreadsheets import SafeWorkbook, stream_xlsx, xlsx_response

from . import selectors
from .models import CoSigner, CoUnit, Rating, SourceKind, Status, overdue_on


def _sheet(ws, title, headers, rows, widths=None):
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for i, _h in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, 14)
    ws.freeze_panes = "A2"


def _response(wb, filename):
    return xlsx_response(wb, filename)


def _day(value):
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


REGISTER_COLUMNS = (
    "pk",
    "township_id",
    "number",
    "title",
    "lead_deputy__name",
    "category",
    "source_kind",
    "submitted_at",
    "lead_unit__name",
    "assigned_at",
    "reply_due",
    "replied_at",
    "outcome_class",
    "rating",
    "status",
    "due_date",
    "is_key",
    "not_accepted_reason",
)


def register_rows(qs):
    """Rows of the register, streamed: the columns it shows only (``values_list``, no model
    instances), every label (status, source, rating, the county's outcome classes, township names)
    looked up once per export, co-signers and co-units in one query each. A fixed number of queries
    whatever the number of items."""
    today = timezone.localdate()
    ids = qs.order_by().values("pk")
    cosigners: dict[int, list[str]] = {}
    for sid, name in (
        CoSigner.objects.filter(suggestion__in=ids, state=CoSigner.State.CONFIRMED)
        .order_by("suggestion_id", "pk")
        .values_list("suggestion_id", "deputy__name")
    ):
        cosigners.setdefault(sid, []).append(name)
    co_units: dict[int, list[str]] = {}
    for sid, name in (
        CoUnit.objects.filter(suggestion__in=ids)
        .order_by("suggestion_id", "pk")
        .values_list("suggestion_id", "unit__name")
    ):
        co_units.setdefault(sid, []).append(name)
    township_ids = set(qs.order_by().values_list("township_id", flat=True).distinct())
    townships = {
        t.pk: t for t in Township.objects.filter(pk__in=township_ids).select_related("county__countyrules")
    }
    outcome_labels = {
        tid: {c["code"]: f"{c['code']} {c['label']}" for c in t.rules.outcome_classes}
        for tid, t in townships.items()
    }
    status_labels = {k: str(v) for k, v in Status.choices}
    source_labels = {k: str(v) for k, v in SourceKind.choices}
    rating_labels = {k: str(v) for k, v in Rating.choices}
    yes = _("是")
    rows = qs.order_by("township_id", "year", "seq", "pk").values_list(*REGISTER_COLUMNS)
    for (
        pk,
        tid,
        number,
        title,
        lead_deputy,
        category,
        source_kind,
        submitted_at,
        lead_unit,
        assigned_at,
        reply_due,
        replied_at,
        outcome_class,
        rating,
        status,
        due_date,
        is_key,
        not_accepted_reason,
    ) in rows.iterator(chunk_size=2000):
        overdue = overdue_on(status, due_date, today)
        yield [
            townships[tid].name,
            number or "—",
            title,
            lead_deputy or "",
            "、".join(cosigners.get(pk, ())),
            category,
            source_labels.get(source_kind, source_kind),
            _day(submitted_at),
            lead_unit or "",
            "、".join(co_units.get(pk, ())),
            _day(assigned_at),
            reply_due.isoformat() if reply_due else "",
            _day(replied_at),
            outcome_labels[tid].get(outcome_class, outcome_class),
            rating_labels.get(rating, rating) if rating else "",
            status_labels.get(status, status),
            yes if overdue else "",
            yes if is_key else "",
            not_accepted_reason,
        ]


REGISTER_HEADERS = [
    "乡镇",
    "编号",
    "建议标题",
    "领衔代表",
    "联名代表",
    "分类",
    "来源",
    "提出日期",
    "主办单位",
    "协办单位",
    "交办日期",
    "答复期限",
    "答复日期",
    "办理结果",
    "代表满意度",
    "状态",
    "逾期",
    "重点督办",
    "不予立案理由",
]


REGISTER_WIDTHS = {3: 40, 4: 10, 5: 20, 9: 16, 10: 20}
REGISTER_FILENAME = "suggestions-register.xlsx"


def register_bytes(qs, *, progress=None) -> bytes:
    """The register as xlsx bytes, streamed (openpyxl write-only) through the safe writer."""
    return stream_xlsx(
        [(_("代表建议登记簿"), [_(h) for h in REGISTER_HEADERS], register_rows(qs), REGISTER_WIDTHS)],
        progress=progress,
    )


def register_response(qs):
    return xlsx_response(register_bytes(qs), REGISTER_FILENAME)


SUMMARY_KEYS = [
    "received",
    "accepted",
    "assigned",
    "replied",
    "resolved",
    "planned",
    "reference",
    "evaluated",
    "satisfied",
    "overdue",
    "completion_rate",
    "resolution_rate",
    "satisfaction_rate",
    "on_time_rate",
]


def summary_response(townships, year, start, end, township=None):
    labels = selectors.STATS_LABELS
    wb = SafeWorkbook()
    stats = selectors.township_stats(township_ids=[t.pk for t in townships], start=start, end=end)
    _sheet(
        wb.active,
        _("%(y)s年办理情况汇总") % {"y": year},
        [_("乡镇"), *[str(labels[k]) for k in SUMMARY_KEYS]],
        [
            [t.name, *[stats[t.pk][k] if stats[t.pk][k] is not None else "—" for k in SUMMARY_KEYS]]
            for t in townships
        ],
        widths={1: 16},
    )
    if township is not None:
        for by, (_field, label) in selectors.BREAKDOWNS.items():
            rows = selectors.stats_breakdown(township=township, start=start, end=end, by=by)
            _sheet(
                wb.create_sheet(),
                _("按%(x)s") % {"x": label},
                [str(label), *[str(labels[k]) for k in SUMMARY_KEYS]],
                [[r["key"], *[r[k] if r[k] is not None else "—" for k in SUMMARY_KEYS]] for r in rows],
                widths={1: 20},
            )
    return _response(wb, f"suggestions-summary-{year}.xlsx")
