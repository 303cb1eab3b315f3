"""Excel exports: the suggestions register (代表建议登记簿) and the handling summary (办理情况汇总)."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from presidium.spreadsheets import SafeWorkbook, xlsx_response

from . import selectors
from .models import CoSigner, CoUnit


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


def register_rows(qs):
    """Rows of the register; a fixed number of queries whatever the number of items."""
    today = timezone.localdate()
    qs = (
        qs.select_related("township__county", "lead_deputy", "lead_unit")
        .prefetch_related(
            Prefetch(
                "cosigners",
                queryset=CoSigner.objects.filter(state=CoSigner.State.CONFIRMED).select_related("deputy"),
            ),
            Prefetch("co_units", queryset=CoUnit.objects.select_related("unit")),
        )
        .order_by("township_id", "year", "seq", "pk")
    )
    labels = {}
    for s in qs:
        if s.township.county_id not in labels:
            labels[s.township.county_id] = {
                c["code"]: f"{c['code']} {c['label']}" for c in s.township.rules.outcome_classes
            }
        yield [
            s.township.name,
            s.number or "—",
            s.title,
            s.lead_deputy.name if s.lead_deputy else "",
            "、".join(c.deputy.name for c in s.cosigners.all()),
            s.category,
            s.get_source_kind_display(),
            timezone.localtime(s.submitted_at).strftime("%Y-%m-%d") if s.submitted_at else "",
            s.lead_unit.name if s.lead_unit else "",
            "、".join(c.unit.name for c in s.co_units.all()),
            timezone.localtime(s.assigned_at).strftime("%Y-%m-%d") if s.assigned_at else "",
            s.reply_due.isoformat() if s.reply_due else "",
            timezone.localtime(s.replied_at).strftime("%Y-%m-%d") if s.replied_at else "",
            labels[s.township.county_id].get(s.outcome_class, s.outcome_class),
            s.get_rating_display() if s.rating else "",
            s.get_status_display(),
            _("是") if s.is_overdue(today) else "",
            _("是") if s.is_key else "",
            s.not_accepted_reason,
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


def register_response(qs):
    wb = SafeWorkbook()
    _sheet(
        wb.active,
        _("代表建议登记簿"),
        [_(h) for h in REGISTER_HEADERS],
        register_rows(qs),
        widths={3: 40, 4: 10, 5: 20, 9: 16, 10: 20},
    )
    return _response(wb, "suggestions-register.xlsx")


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
