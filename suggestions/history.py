"""History import: past years' suggestion registers (代表建议登记簿) from Excel, read by the same
rules as the roster (``presidium.sheet_reader``), written as closed records that keep their original
numbers and are marked imported, so the figures, archives and reports of those years include them.
Values the reader cannot place (a unit, an outcome class, a rating, a category, a deputy's name) go
to the mapping step, remembered per township. All rows or none."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from presidium import history_import as pipeline
from presidium import sheet_reader as sr
from presidium.history_import import at_nine as _at
from presidium.models import AuditAction
from presidium.services import audit

from .models import Rating, SourceKind, Status, Suggestion, SuggestionCounter

NONE = "-"  # mapping target: "no unit / no deputy linked, keep the name as written"

COLUMNS = [
    sr.Column("number", "编号", ("建议编号", "案号", "登记编号", "建议号")),
    sr.Column(
        "title", "标题", ("建议标题", "案由", "建议名称", "题目", "建议题目", "主要内容摘要"), required=True
    ),
    sr.Column("content", "内容", ("建议内容", "主要内容", "具体内容")),
    sr.Column("lead_deputy", "领衔代表", ("提出代表", "代表姓名", "建议人", "领衔人", "提出人", "代表")),
    sr.Column("category", "分类", ("类别", "建议类别", "建议分类", "所属类别")),
    sr.Column("unit", "承办单位", ("主办单位", "办理单位", "交办单位", "承办部门")),
    sr.Column("submitted", "提出日期", ("提交日期", "收到日期", "登记日期", "提出时间", "日期")),
    sr.Column("assigned", "交办日期", ("交办时间",)),
    sr.Column("replied", "答复日期", ("办结日期", "答复时间", "办结时间")),
    sr.Column("outcome", "办理结果", ("办理结果分类", "结果分类", "答复类别", "办理情况", "结果")),
    sr.Column("rating", "满意度", ("代表评价", "测评意见", "代表意见", "满意度测评", "评价", "测评结果")),
    sr.Column("year", "年度", ("年份",)),
]
LABELS = {c.key: c.label for c in COLUMNS}
MAPPED = ("lead_deputy", "category", "unit", "outcome", "rating")
RATINGS = {
    "满意": Rating.SATISFIED,
    "非常满意": Rating.SATISFIED,
    "基本满意": Rating.BASIC,
    "比较满意": Rating.BASIC,
    "不满意": Rating.UNSATISFIED,
}
# Words registers use for the three classes; matched to the county's own codes by their meaning.
RESOLVED_WORDS = ("已解决", "解决", "已采纳", "采纳", "已落实", "落实", "已办结解决")
PLANNED_WORDS = ("列入计划", "计划解决", "列入计划解决", "正在解决", "逐步解决", "列入规划")
REFERENCE_WORDS = ("留作参考", "参考", "作为参考", "解释说明", "暂不具备条件", "暂缓解决", "说明解释")


KIND = pipeline.Kind(Suggestion, Status.CLOSED, key=("number", "title", "submitted_at"))


class _Reader(pipeline.Reader):
    kind, columns, mapped_columns = KIND, COLUMNS, MAPPED
    enums = {"rating": Rating}

    def __init__(self, township, mappings):
        super().__init__(township, mappings)
        rules = township.rules
        self.classes = {c["code"]: c for c in rules.outcome_classes}
        self.categories = list(rules.categories)
        self.deputies: dict[str, list[Deputy]] = {}
        for deputy in Deputy.objects.filter(township=township).select_related("term"):
            self.deputies.setdefault(deputy.name, []).append(deputy)
        self.deputies_by_pk = {str(d.pk): d for ds in self.deputies.values() for d in ds}
        self.resolved = [c for c, v in self.classes.items() if v.get("resolved")]
        self.planned = [c for c, v in self.classes.items() if v.get("planned")]
        self.reference = [
            c for c, v in self.classes.items() if not v.get("resolved") and not v.get("planned")
        ]

    def choices(self, key):
        if key == "unit":
            return [(NONE, _("（不指定承办单位）"))] + [(str(u.pk), u.name) for u in self.units.values()]
        if key == "lead_deputy":
            deputies = sorted(self.deputies_by_pk.values(), key=lambda d: (d.name_pinyin, -d.term.number))
            return [(NONE, _("（不关联代表，保留姓名）"))] + [
                (str(d.pk), f"{d.name}（{d.term}）") for d in deputies
            ]
        if key == "category":
            return [(c, c) for c in self.categories]
        if key == "outcome":
            return [(code, f"{code} {c.get('label', '')}") for code, c in self.classes.items()]
        return super().choices(key)

    def mapped_target(self, key, source, target):
        if key == "unit":
            return "" if target == NONE else self.units_by_pk.get(target)
        if key == "lead_deputy":
            return "" if target == NONE else self.deputies_by_pk.get(target)
        if key == "category":
            return target if target in self.categories else None
        if key == "outcome":
            return target if target in self.classes else None
        return None

    def resolve(self, key, raw, values):
        source = sr.text(raw)
        if key in MAPPED:
            mapped = self.mapped(key, sr.compact(raw))
            if mapped is not None:
                if key == "lead_deputy":
                    values["lead_name"] = sr.compact(raw)
                return mapped or None
        if key in ("title", "content"):
            return source
        if key == "number":
            return sr.compact(raw)
        if key in ("submitted", "assigned", "replied"):
            return sr.parse_date(raw, earliest=dt.date(1980, 1, 1))
        if key == "year":
            year = sr.compact(raw).removesuffix("年")
            if not re.fullmatch(r"(19|20)\d\d", year):
                raise ValueError(_("“%(v)s”不是年份") % {"v": source})
            return int(year)
        if key == "lead_deputy":
            name = sr.compact(raw)
            values["lead_name"] = name
            found = self.deputies.get(name, [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:  # same name in several terms: the term in which it was made decides later
                return found
            raise sr.Unknown
        if key == "category":
            plain = sr.compact(raw)
            for category in self.categories:
                if sr.compact(category) == plain or sr.compact(category) == plain.removesuffix("类"):
                    return category
            raise sr.Unknown
        if key == "unit":
            unit = self.units.get(sr.compact(raw))
            if unit is None:
                raise sr.Unknown
            return unit
        if key == "outcome":
            return self.outcome(sr.compact(raw))
        if key == "rating":
            rating = RATINGS.get(sr.compact(raw))
            if rating is None:
                raise sr.Unknown
            return rating
        raise KeyError(key)

    def outcome(self, plain: str) -> str:
        letter = plain.upper().removesuffix("类")
        if letter in self.classes:
            return letter
        for code, c in self.classes.items():
            if sr.compact(c.get("label", "")) == plain:
                return code
        for words, codes in (
            (RESOLVED_WORDS, self.resolved),
            (PLANNED_WORDS, self.planned),
            (REFERENCE_WORDS, self.reference),
        ):
            if codes and plain.removeprefix("已") in {w.removeprefix("已") for w in words}:
                return codes[0]
        raise sr.Unknown


_NUMBER = re.compile(r"((?:19|20)\d\d)\D+0*(\d{1,4})\D*$")


def _number_parts(number: str) -> tuple[int | None, int | None]:
    """2023-017 → (2023, 17); 城关建〔2022〕5号 → (2022, 5); anything else → (None, None)."""
    match = _NUMBER.search(number or "")
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


def history_import(
    *, township, sheet: sr.Sheet, actor, commit: bool, mappings: dict | None = None
) -> sr.RegisterReport:
    """Read a suggestions register; with ``commit`` and no error or unmapped value, create every row
    as a closed, imported suggestion (one transaction). ``mappings`` {(column key, value): target}."""
    report = pipeline.read(_Reader(township, mappings), sheet, actor=actor)
    if "submitted" not in report.headers and "year" not in report.headers:
        raise ValidationError(_("登记簿中需要“提出日期”或“年度”列，才能把建议计入所属年度。"))
    existing = set(
        Suggestion.objects.filter(township=township).exclude(number="").values_list("number", flat=True)
    )
    taken = set(Suggestion.objects.filter(township=township, seq__isnull=False).values_list("year", "seq"))
    seen: dict[str, int] = {}
    today = timezone.localdate()
    col = report.headers.get
    for row in report.rows:
        v = row.values
        number = v.get("number", "")
        year, seq = _number_parts(number)
        submitted = v.get("submitted")
        if submitted is None and v.get("year"):
            submitted = dt.date(v["year"], 1, 1)
            row.warnings.append(_("未填提出日期，按%(y)s年1月1日计入该年度") % {"y": v["year"]})
        v["submitted"] = submitted
        if submitted is not None:
            year = year if year and abs(year - submitted.year) <= 1 else submitted.year
        if submitted is None and not any(e[0] == row.excel_row for e in report.errors):
            report.errors.append((row.excel_row, col("submitted", LABELS["submitted"]), _("不能为空")))
        elif submitted is not None and submitted > today:
            report.errors.append((row.excel_row, col("submitted"), _("历史建议的提出日期不能晚于今天")))
        v["year"], v["seq"] = year, seq if year is not None else None
        if number:
            if not pipeline.number_in_use(report, row, number, existing=existing, seen=seen) and (
                (year, seq) in taken and seq is not None
            ):
                report.errors.append(
                    (row.excel_row, col("number"), _("%(y)s年第%(s)s号已被使用") % {"y": year, "s": seq})
                )
            taken.add((year, seq))
        lead = v.get("lead_deputy")
        if isinstance(lead, list):  # one name, several terms: the term running on the date decides
            fitting = [
                d
                for d in lead
                if submitted
                and d.term.start_date <= submitted
                and (d.term.end_date is None or submitted <= d.term.end_date)
            ]
            v["lead_deputy"] = fitting[0] if len(fitting) == 1 else None
            if len(fitting) != 1:
                report.unknown.setdefault(("lead_deputy", v.get("lead_name", "")), []).append(row.excel_row)
        for key in ("assigned", "replied"):
            if v.get(key) and submitted and v[key] < submitted:
                report.errors.append((row.excel_row, col(key), _("不能早于提出日期")))
        if v.get("outcome") and not v.get("replied"):
            row.warnings.append(
                _("有办理结果但未填答复日期，答复日期按%(d)s记录") % {"d": (v.get("assigned") or submitted)}
            )
        if len(v.get("title", "")) > 120:
            report.errors.append((row.excel_row, col("title"), _("标题不能超过120个字")))
    for row in report.rows:
        for message in row.warnings:
            report.warnings.append((row.excel_row, "", message))
    return pipeline.finish(report, _commit, commit=commit, township=township, actor=actor, mappings=mappings)


def _commit(report, *, township, actor, mappings) -> None:
    rows = report.rows
    objs = []
    for row in rows:
        v = row.values
        submitted = v["submitted"]
        replied = v.get("replied") or ((v.get("assigned") or submitted) if v.get("outcome") else None)
        lead = v.get("lead_deputy") or None
        content = v.get("content") or v["title"]
        if lead is None and v.get("lead_name"):
            content = f"{content}\n（{_('领衔代表')}：{v['lead_name']}）"
        objs.append(
            Suggestion(
                township=township,
                year=v.get("year"),
                seq=v.get("seq"),
                number=v.get("number", "")[:20],
                title=v["title"][:120],
                content=content,
                category=v.get("category") or "",
                status=Status.CLOSED,
                source_kind=SourceKind.OTHER,
                lead_deputy=lead,
                created_by=actor,
                lead_unit=v.get("unit") or None,
                outcome_class=v.get("outcome") or "",
                rating=v.get("rating") or "",
                first_rating=v.get("rating") or "",
                created_at=_at(submitted),
                submitted_at=_at(submitted),
                accepted_at=_at(submitted),
                assigned_at=_at(v.get("assigned") or (submitted if v.get("unit") else None)),
                replied_at=_at(replied),
                closed_at=_at(replied or submitted),
                is_imported=True,
            )
        )
    pipeline.save(KIND, report, objs, township=township, actor=actor, mappings=mappings)
    # The numbering of those years continues after the imported numbers.
    highest = {}
    for o in objs:
        if o.year and o.seq:
            highest[o.year] = max(highest.get(o.year, 0), o.seq)
    for year, seq in highest.items():
        counter, _created = SuggestionCounter.objects.get_or_create(township=township, year=year)
        if counter.last < seq:
            SuggestionCounter.objects.filter(pk=counter.pk).update(last=seq)
    years = sorted({o.year for o in objs if o.year})
    audit(
        actor=actor,
        action=AuditAction.SUGGESTION_HISTORY_IMPORT,
        township=township,
        obj=_("导入历史建议 %(n)s 件") % {"n": len(objs)},
        rows=len(objs),
        years=years,
    )
