"""History import of past years' letters-and-visits registers (人民来信来访记录簿): same reading
rules as every import (``presidium.sheet_reader``); each row becomes a closed petition keeping its
register number, marked imported, counted in the figures of the year it was received. All or none."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from presidium import history_import as pipeline
from presidium import sheet_reader as sr
from presidium.history_import import at_nine as _at
from presidium.models import AuditAction, HandlingUnit
from presidium.services import audit

from .models import Petition

OUTSIDE = "-"  # mapping target for a unit: a body outside the township, kept by name

COLUMNS = [
    sr.Column("number", "编号", ("信访编号", "登记编号", "登记号")),
    sr.Column(
        "received_on",
        "收到日期",
        ("来信来访日期", "登记日期", "受理日期", "日期", "来访日期", "来信日期"),
        required=True,
    ),
    sr.Column("channel", "方式", ("信访方式", "来信来访方式", "形式", "类别")),
    sr.Column("source", "来源", ("信访人类别",)),
    sr.Column("person_name", "信访人", ("来信来访人", "来访人", "姓名", "反映人", "信访人姓名")),
    sr.Column("contact", "联系方式", ("联系电话", "电话", "住址")),
    sr.Column("subject", "事由", ("反映问题", "主要问题", "标题", "问题摘要", "信访事由"), required=True),
    sr.Column("content", "内容", ("主要内容", "具体内容", "反映内容", "信访内容")),
    sr.Column("unit", "转办单位", ("承办单位", "办理单位", "交办单位", "处理单位")),
    sr.Column("result", "办理结果", ("处理结果", "结果", "处理情况", "办理情况")),
    sr.Column("closed_on", "办结日期", ("结案日期", "办结时间", "处理日期")),
]
LABELS = {c.key: c.label for c in COLUMNS}
MAPPED = ("channel", "source", "unit")
CHANNELS = {
    "来信": Petition.Channel.LETTER,
    "信": Petition.Channel.LETTER,
    "信件": Petition.Channel.LETTER,
    "来访": Petition.Channel.VISIT,
    "访": Petition.Channel.VISIT,
    "走访": Petition.Channel.VISIT,
    "上访": Petition.Channel.VISIT,
    "来电": Petition.Channel.PHONE,
    "电话": Petition.Channel.PHONE,
    "网上信访": Petition.Channel.ONLINE,
    "网上": Petition.Channel.ONLINE,
    "网信": Petition.Channel.ONLINE,
    "网络": Petition.Channel.ONLINE,
}
SOURCES = {"群众": "citizen", "选民": "citizen", "代表": "deputy", "人大代表": "deputy"}


KIND = pipeline.Kind(Petition, Petition.Status.CLOSED, key=("number", "subject", "received_on"))


class _Reader(pipeline.Reader):
    kind, columns, mapped_columns = KIND, COLUMNS, MAPPED

    enums = {"channel": Petition.Channel, "source": Petition.SourceKind}

    def choices(self, key):
        if key == "unit":
            return [(OUTSIDE, _("（本乡镇以外的机关，保留名称）"))] + [
                (str(u.pk), u.name) for u in self.units.values()
            ]
        return super().choices(key)

    def mapped_target(self, key, source, target):
        if key == "unit":
            return source if target == OUTSIDE else self.units_by_pk.get(target)
        return None

    def resolve(self, key, raw, values):
        plain = sr.compact(raw)
        if key in MAPPED:
            mapped = self.mapped(key, plain)
            if mapped is not None:
                return mapped
        if key in ("received_on", "closed_on"):
            return sr.parse_date(raw, earliest=dt.date(1980, 1, 1))
        if key in ("number", "contact"):
            return sr.number_text(raw)[:40]
        if key == "person_name":
            return plain[:30]
        if key in ("subject", "content", "result"):
            return sr.text(raw)
        if key == "channel":
            channel = CHANNELS.get(plain)
            if channel is None:
                raise sr.Unknown
            return channel
        if key == "source":
            found = SOURCES.get(plain)
            if found is None:
                raise sr.Unknown
            return found
        if key == "unit":
            unit = self.units.get(plain)
            if unit is None:
                raise sr.Unknown
            return unit
        raise KeyError(key)


def history_import(
    *, township, sheet: sr.Sheet, actor, commit: bool, mappings: dict | None = None
) -> sr.RegisterReport:
    """Read a petitions register; with ``commit`` and nothing wrong, create every row as a closed,
    imported petition in one transaction."""
    report = pipeline.read(_Reader(township, mappings), sheet, actor=actor)
    existing = set(
        Petition.objects.filter(township=township).exclude(number="").values_list("number", flat=True)
    )
    seen: dict[str, int] = {}
    today = timezone.localdate()
    col = report.headers.get
    for row in report.rows:
        v = row.values
        number = v.get("number", "")
        if number:
            pipeline.number_in_use(report, row, number, existing=existing, seen=seen)
        received = v.get("received_on")
        if received and received > today:
            report.errors.append((row.excel_row, col("received_on"), _("历史信访的收到日期不能晚于今天")))
        if received and v.get("closed_on") and v["closed_on"] < received:
            report.errors.append((row.excel_row, col("closed_on"), _("不能早于收到日期")))
        if "channel" not in v:
            report.errors.append(
                (row.excel_row, col("channel", LABELS["channel"]), _("请写明来信、来访、来电或网上信访"))
            )
        if received and not v.get("closed_on"):
            report.warnings.append(
                (row.excel_row, col("closed_on", LABELS["closed_on"]), _("未填办结日期，按收到日期记为办结"))
            )
        if len(v.get("subject", "")) > 120:
            report.errors.append((row.excel_row, col("subject"), _("事由不能超过120个字")))
    return pipeline.finish(report, _commit, commit=commit, township=township, actor=actor, mappings=mappings)


def _commit(report, *, township, actor, mappings) -> None:
    objs = []
    for row in report.rows:
        v = row.values
        unit = v.get("unit")
        closed = v.get("closed_on") or v["received_on"]
        objs.append(
            Petition(
                township=township,
                number=v.get("number", "")[:30],
                received_on=v["received_on"],
                channel=v["channel"],
                source_kind=v.get("source") or Petition.SourceKind.CITIZEN,
                person_name=v.get("person_name", ""),
                contact=v.get("contact", ""),
                subject=v["subject"][:120],
                content=v.get("content") or v["subject"],
                status=Petition.Status.CLOSED,
                forwarded_unit=unit if isinstance(unit, HandlingUnit) else None,
                forwarded_to=unit[:60] if isinstance(unit, str) else "",
                forwarded_at=_at(v["received_on"]) if unit else None,
                result=v.get("result", ""),
                closed_at=_at(closed),
                created_by=actor,
                is_imported=True,
            )
        )
    pipeline.save(KIND, report, objs, township=township, actor=actor, mappings=mappings)
    audit(
        actor=actor,
        action=AuditAction.PETITION_HISTORY_IMPORT,
        township=township,
        obj=_("导入历史信访 %(n)s 件") % {"n": len(objs)},
        rows=len(objs),
        years=sorted({o.received_on.year for o in objs}),
    )
