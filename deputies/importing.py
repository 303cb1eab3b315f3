"""Roster import (花名册导入): one pipeline for the upload page and the ``import_roster`` command.

It takes the file an office really has (see ``presidium.sheet_reader``): the header is found under
title rows, columns go by their usual names, unused columns are listed as ignored, values are read
through synonyms (大学本科 → 本科, 民盟盟员 → 民主党派 kept as written, 第一选区 = 第1选区), values it
cannot place are mapped once per township, and a field the file lacks is inferred with a visible
"待确认" mark or filled in the preview — never silently defaulted. Update mode matches existing
deputies by certificate number, else name + birth date, and shows the differences. New deputies
start serving on the date chosen at import, so past sessions keep their figures; a district never
silently exceeds its seats. Nothing is written unless every row is acceptable (all or nothing)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium import sheet_reader as sr
from presidium.models import phone_validator
from presidium.selectors import can_edit_township
from presidium.services import audit

from .models import Deputy, DeputyGroup, DeputyStatusChange, ElectoralDistrict, ImportValueMapping

MAX_UPLOAD_BYTES = sr.MAX_UPLOAD_BYTES
MAX_ROWS = sr.MAX_ROWS

# Pre-existing name kept for callers (views, bench): read an uploaded file into a Sheet.
read_upload = sr.read_sheet

COLUMNS = [
    sr.Column("name", "姓名", ("代表姓名",), required=True),
    sr.Column("gender", "性别", ("性 别",), required=True),
    sr.Column("ethnicity", "民族"),
    sr.Column("birth_date", "出生年月", ("出生日期", "出生年月日", "出生时间", "生日", "出生年份")),
    sr.Column("party", "政治面貌", ("党派", "政治面目", "党派或政治面貌")),
    sr.Column("education", "文化程度", ("学历", "文化", "最高学历", "学历学位")),
    sr.Column("occupation", "代表结构类别", ("代表结构", "结构类别", "代表类别", "身份类别", "代表构成")),
    sr.Column("district", "选区", ("所在选区", "选区名称", "选举单位", "选区(单位)"), required=True),
    sr.Column("group", "代表小组", ("所在代表小组", "所在小组", "小组")),
    sr.Column("certificate_no", "代表证号", ("代表证编号", "证号", "代表证号码")),
    sr.Column("phone", "手机号码", ("联系电话", "电话", "手机", "手机号", "联系方式", "电话号码")),
    sr.Column(
        "workplace",
        "工作单位及职务",
        ("工作单位", "工作单位和职务", "单位及职务", "职务", "工作单位及职务(职称)", "单位职务"),
    ),
    sr.Column("level", "代表层级", ("代表级别", "层级", "代表类型")),
    sr.Column("is_reelected", "是否连任", ("连任", "是否连任代表", "连任情况")),
    sr.Column("remarks", "备注", ("说明",)),
]
COLUMN_LABELS = {c.key: c.label for c in COLUMNS}
FIELD_LABELS = {**COLUMN_LABELS, "birth_date": "出生年月"}
# Fields the office maps by hand when a value cannot be placed, and what they may map to.
MAPPABLE = ("gender", "party", "education", "occupation", "level", "district", "group")

# --- value synonyms -------------------------------------------------------------------------------------

GENDER = {"男": "M", "男性": "M", "m": "M", "女": "F", "女性": "F", "f": "F"}
PARTY = {
    "中共党员": "cpc",
    "中国共产党党员": "cpc",
    "共产党员": "cpc",
    "党员": "cpc",
    "中共": "cpc",
    "中共预备党员": "cpc",
    "预备党员": "cpc",
    "群众": "masses",
    "无党派": "masses",
    "无党派人士": "masses",
    "共青团员": "masses",
    "团员": "masses",
    "无": "masses",
    "民主党派": "democratic",
}
# Any of the eight democratic parties, however the roster writes it (民盟盟员, 九三学社社员 …).
DEMOCRATIC = re.compile(
    r"民革|民盟|民建|民进|农工|致公|九三|台盟|民主党派|民主同盟|民主建国|民主促进|国民党革命"
)
EDUCATION = {
    "小学": "primary",
    "小学及以下": "primary",
    "初中": "junior",
    "初级中学": "junior",
    "高中": "senior",
    "中专": "senior",
    "高中/中专": "senior",
    "高中中专": "senior",
    "高中(中专)": "senior",
    "职高": "senior",
    "技校": "senior",
    "中技": "senior",
    "普通高中": "senior",
    "大专": "college",
    "专科": "college",
    "大学专科": "college",
    "高职": "college",
    "本科": "bachelor",
    "大学本科": "bachelor",
    "大学": "bachelor",
    "学士": "bachelor",
    "研究生": "postgraduate",
    "硕士": "postgraduate",
    "硕士研究生": "postgraduate",
    "博士": "postgraduate",
    "博士研究生": "postgraduate",
    "在职研究生": "postgraduate",
}
OCCUPATION = {
    "干部": "cadre",
    "党政干部": "cadre",
    "机关干部": "cadre",
    "领导干部": "cadre",
    "工人": "worker",
    "职工": "worker",
    "农民": "farmer",
    "知识分子": "intellectual",
    "专业技术人员": "professional",
    "专技人员": "professional",
    "企业负责人": "business",
    "个体工商户": "business",
    "企业负责人/个体工商户": "business",
    "私营企业主": "business",
    "村干部": "village_cadre",
    "社区干部": "village_cadre",
    "村(社区)干部": "village_cadre",
    "村社区干部": "village_cadre",
    "其他": "other",
}
# Workplace text → the 代表结构 category it suggests (first match wins); shown "待确认".
OCCUPATION_HINTS = (
    (re.compile(r"(村|社区|居委).*(书记|主任|委员|会计|文书|监委)"), "village_cadre"),
    (
        re.compile(r"(镇|乡|街道|县|区)(党委|政府|人大|纪委|武装部)|镇长|乡长|所长|站长|主任科员|办主任"),
        "cadre",
    ),
    (re.compile(r"教师|医生|校长|医院|卫生院|学校|护士|律师|工程师|技术员|农艺师|兽医"), "professional"),
    (re.compile(r"公司|董事长|总经理|经理|厂长|合作社|个体|老板|商店|超市|酒店|企业"), "business"),
    (re.compile(r"工人|职工|员工|车间|工地"), "worker"),
    (re.compile(r"村民|农民|种植|养殖|务农|种粮|果农|菜农"), "farmer"),
)
LEVEL = {
    "乡镇人大代表": "township",
    "乡镇": "township",
    "镇人大代表": "township",
    "乡人大代表": "township",
    "镇": "township",
    "乡": "township",
    "乡镇级": "township",
    "本级": "township",
    "县级人大代表": "county",
    "县人大代表": "county",
    "区人大代表": "county",
    "县级": "county",
    "县": "county",
    "市级人大代表": "city",
    "市人大代表": "city",
    "市级": "city",
    "市": "city",
}
YES = {"是", "连任", "y", "yes", "1", "√", "✓", "true"}
NO = {"否", "新任", "新当选", "首次当选", "n", "no", "0", "×", "false"}

PENDING = gettext_lazy("待确认")
MSG_BY_WORKPLACE = gettext_lazy("按工作单位“%(w)s”推断")
MSG_CANNOT_INFER = gettext_lazy("无法推断，请选择")
MSG_REELECTED = gettext_lazy("文件未写明是否连任，按“否”推断")
MSG_LEVEL = gettext_lazy("文件未写明代表层级，按“乡镇人大代表”推断")
MSG_ETHNICITY = gettext_lazy("文件未写明民族，按“汉族”推断")
MSG_PARTY = gettext_lazy("文件未写明政治面貌，按“群众”推断")
MSG_BLANK = gettext_lazy("空行")
MSG_TO_CONFIRM = gettext_lazy("%(v)s（待确认：%(r)s）")
MSG_YES, MSG_NO = gettext_lazy("是"), gettext_lazy("否")
_TRANSLATED: dict = {}


def _once(message) -> str:
    """A lazy message in the active language, translated once: rows repeat the same few messages."""
    key = (translation.get_language(), id(message))
    value = _TRANSLATED.get(key)
    if value is None:
        value = _TRANSLATED[key] = str(message)
    return value


class Unknown(Exception):
    """A value the importer cannot place: it goes to the mapping step."""


@dataclass
class RowResult:
    excel_row: int
    values: dict = field(default_factory=dict)  # field → cleaned value
    pending: dict = field(default_factory=dict)  # field → why it is inferred ("待确认")
    action: str = "new"  # "new", "update", "same"
    existing: Deputy | None = None
    diffs: list = field(default_factory=list)  # [(label, old, new)]
    by_election: bool = False

    def display(self, key):
        value = self.values.get(key)
        return _display(key, value, self.values)


@dataclass
class RosterOutcome:
    total: int = 0
    header_row: int | None = None
    headers: dict = field(default_factory=dict)  # field → header as written
    ignored_columns: list = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    skipped: list = field(default_factory=list)  # [(excel_row, reason)]
    errors: list = field(default_factory=list)  # [(excel_row, column, message)]
    warnings: list = field(default_factory=list)  # [(excel_row or None, column, message)]
    unknown: dict = field(default_factory=dict)  # (field, source) → [excel rows]
    seat_overflow: list = field(default_factory=list)  # [(district name, seats, after)]
    seat_notes: list = field(default_factory=list)  # districts over their seats before this file
    start_date: dt.date | None = None
    mode: str = "add"
    created: int = 0
    updated: int = 0
    unfilled: list = field(default_factory=list)  # [(excel_row, column, message)]: fill in the preview
    blockers: list = field(default_factory=list)  # why a confirmation is refused

    @property
    def ok(self):
        """True when nothing blocks committing (errors, unmapped values, unconfirmed marks, seats)."""
        return not self.errors and not self.blockers

    @property
    def pending_rows(self):
        return [r for r in self.rows if r.pending]

    @property
    def new_count(self):
        return sum(1 for r in self.rows if r.action == "new")

    @property
    def update_count(self):
        return sum(1 for r in self.rows if r.action == "update")

    @property
    def same_count(self):
        return sum(1 for r in self.rows if r.action == "same")

    @property
    def unknown_list(self):
        """[(field, field label, source value, rows, choices)] for the mapping step."""
        return [
            (key, FIELD_LABELS[key], source, rows, MAPPING_CHOICES.get(key))
            for (key, source), rows in sorted(self.unknown.items())
        ]

    def as_dict(self) -> dict:
        return {
            "header_row": self.header_row,
            "ignored_columns": self.ignored_columns,
            "rows": [
                {
                    "row": r.excel_row,
                    "action": r.action,
                    "values": {k: r.display(k) for k in r.values if k not in ("remarks", "party_name")},
                    "to_confirm": sorted(r.pending),
                    "differences": [[str(a), b, c] for a, b, c in r.diffs],
                }
                for r in self.rows
            ],
            "skipped": [{"row": n, "reason": str(m)} for n, m in self.skipped],
            "warnings": [{"row": n, "column": c, "message": str(m)} for n, c, m in self.warnings],
            "errors": [{"row": n, "column": c, "message": str(m)} for n, c, m in self.errors],
            "to_fill": [{"row": n, "column": c, "message": str(m)} for n, c, m in self.unfilled],
            "unmapped": [
                {"column": FIELD_LABELS[k], "value": v, "rows": rows} for (k, v), rows in self.unknown.items()
            ],
            "blockers": [str(b) for b in self.blockers],
            "created": self.created,
            "updated": self.updated,
        }


MAPPING_CHOICES = {
    "gender": Deputy.Gender.choices,
    "party": Deputy.Party.choices,
    "education": Deputy.Education.choices,
    "occupation": Deputy.Occupation.choices,
    "level": Deputy.Level.choices,
}


def _display(key, value, values=None):
    if value is None or value == "":
        return ""
    if key == "party" and values and values.get("party_name"):
        return values["party_name"]
    if key in MAPPING_CHOICES:
        return str(dict(MAPPING_CHOICES[key]).get(value, value))
    if key == "is_reelected":
        return _once(MSG_YES) if value else _once(MSG_NO)
    if key == "birth_date":
        return value.strftime("%Y.%m") if value.day == 1 else value.isoformat()
    return str(value)


# --- resolving one value --------------------------------------------------------------------------------


class _Context:
    """What reading a row needs, loaded once: districts, groups, remembered mappings."""

    def __init__(self, township, mappings: dict):
        self.districts = {_key(d.name): d for d in ElectoralDistrict.objects.filter(township=township)}
        self.groups = {_key(g.name): g for g in DeputyGroup.objects.filter(township=township)}
        self.by_name = {"district": {d.name: d for d in self.districts.values()}}
        self.by_name["group"] = {g.name: g for g in self.groups.values()}
        remembered = ImportValueMapping.objects.filter(township=township, field__in=MAPPABLE)
        self.mappings = {(m.field, m.source): m.target for m in remembered}
        self.mappings.update(mappings or {})

    def mapped(self, key, source):
        target = self.mappings.get((key, source))
        if target is None:
            return None
        if key in ("district", "group"):
            return self.by_name[key].get(target)
        return target if target in dict(MAPPING_CHOICES[key]) else None


def _key(name: str) -> str:
    return sr.arabic_numerals(sr.compact(name)).lower()


def _choice(table: dict, raw: str, labels) -> str:
    plain = sr.compact(raw).lower().replace("（", "(").replace("）", ")")
    found = table.get(plain) or _labels(labels, translation.get_language()).get(plain)
    if found is None:
        raise Unknown
    return found


@lru_cache(maxsize=64)
def _labels(choices, language) -> dict:
    """{label or code: code} of a choices enum, in the active language (cached per language)."""
    out = {}
    for code, label in choices.choices:
        out[str(label).lower()] = code
        out[code] = code
    return out


def resolve(key: str, raw, ctx: _Context, values: dict):
    """The stored value for one cell; raises Unknown (→ mapping step) or ValueError (→ an error)."""
    source = sr.text(raw)
    if key in MAPPABLE and source:
        mapped = ctx.mapped(key, sr.compact(source))
        if mapped is not None:
            if key == "party" and mapped == "democratic":
                values["party_name"] = source[:30]
            return mapped
    if key == "name":
        name = sr.compact(raw)
        if not name:
            raise ValueError(_("姓名不能为空"))
        return name
    if key == "gender":
        if not source:
            raise ValueError(_("性别不能为空"))
        return _choice(GENDER, source, Deputy.Gender)
    if key == "ethnicity":
        name = sr.compact(raw)
        return name if name.endswith("族") or len(name) > 4 else name + "族"
    if key == "birth_date":
        return sr.parse_date(raw)
    if key == "party":
        plain = sr.compact(source)
        if DEMOCRATIC.search(plain):
            values["party_name"] = source[:30]
            return Deputy.Party.DEMOCRATIC
        code = _choice(PARTY, plain, Deputy.Party)
        if plain != str(Deputy.Party(code).label):
            values["party_name"] = source[:30]
        return code
    if key == "education":
        plain = re.sub(r"(学历|毕业|文化)$", "", sr.compact(source))
        return _choice(EDUCATION, plain, Deputy.Education) if plain else ""
    if key == "occupation":
        return _choice(OCCUPATION, source, Deputy.Occupation)
    if key == "level":
        return _choice(LEVEL, source, Deputy.Level)
    if key in ("district", "group"):
        if not source:
            raise ValueError(_("选区不能为空"))
        found = (ctx.districts if key == "district" else ctx.groups).get(_key(source))
        if found is None:
            raise Unknown
        return found
    if key == "certificate_no":
        return sr.number_text(raw)
    if key == "phone":
        return sr.phone_text(raw)
    if key == "workplace":
        return source
    if key == "is_reelected":
        plain = sr.compact(source).lower()
        if plain in YES:
            return True
        if plain in NO:
            return False
        raise ValueError(_("“%(v)s”应为“是”或“否”") % {"v": source})
    if key == "remarks":
        return source
    raise KeyError(key)


def _read_remarks(values: dict) -> None:
    """Facts 备注 states (连任, 新任, 县人大代表) fill 是否连任 and 代表层级 when those cells are empty."""
    remarks = values.get("remarks", "")
    if values.get("is_reelected") is None:
        if re.search(r"(?<![非不未])连任", remarks):
            values["is_reelected"] = True
        elif re.search(r"新任|新当选|首次当选", remarks):
            values["is_reelected"] = False
    if values.get("level") is None:
        if re.search(r"市(级)?人大代表", remarks):
            values["level"] = Deputy.Level.CITY
        elif re.search(r"[县区](级)?人大代表", remarks):
            values["level"] = Deputy.Level.COUNTY


def _infer(values: dict, present: set, unmapped: set) -> dict:
    """Fields the file does not give: inferred with a reason shown as "待确认" (None: must be filled).
    A value waiting in the mapping step (``unmapped``) is not guessed over."""
    pending = {}
    if "occupation" not in unmapped and ("occupation" not in present or values.get("occupation") is None):
        work = values.get("workplace", "")
        guess = next((code for pattern, code in OCCUPATION_HINTS if pattern.search(work)), None)
        values["occupation"] = guess
        pending["occupation"] = _once(MSG_BY_WORKPLACE) % {"w": work} if guess else _once(MSG_CANNOT_INFER)
    if "is_reelected" not in unmapped and values.get("is_reelected") is None:
        values["is_reelected"] = False
        pending["is_reelected"] = _once(MSG_REELECTED)
    if "level" not in unmapped and values.get("level") is None:
        values["level"] = Deputy.Level.TOWNSHIP
        pending["level"] = _once(MSG_LEVEL)
    if not values.get("ethnicity"):
        values["ethnicity"] = "汉族"
        pending["ethnicity"] = _once(MSG_ETHNICITY)
    if "party" not in unmapped and not values.get("party"):
        values["party"] = Deputy.Party.MASSES
        pending["party"] = _once(MSG_PARTY)
    return pending


# --- the pipeline ---------------------------------------------------------------------------------------

UPDATABLE = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "party_name",
    "education",
    "occupation",
    "district",
    "group",
    "certificate_no",
    "phone",
    "workplace",
    "level",
    "is_reelected",
)


def default_start_date(term) -> dt.date:
    """The term's start for the initial roster (no deputy yet), today for deputies added mid-term."""
    if not Deputy.objects.filter(term=term).exists():
        return term.start_date
    return timezone.localdate()


def roster_import(
    *,
    township,
    term,
    sheet: sr.Sheet,
    actor,
    commit: bool,
    mode: str = "add",
    start_date: dt.date | None = None,
    mappings: dict | None = None,
    overrides: dict | None = None,
    accept_inferred: bool = False,
    by_election_ref: str = "",
) -> RosterOutcome:
    """Read every row of ``sheet`` into the roster of ``term``; with ``commit`` and nothing blocking,
    write all rows in one transaction (else nothing). ``actor`` None means the command line.

    ``mappings`` {(field, value in file): target} maps values the reader cannot place (remembered for
    the township on commit); ``overrides`` {(excel row, field): value} are the preview's corrections of
    "待确认" fields; ``accept_inferred`` confirms the remaining marks; ``by_election_ref`` is required
    when a district would exceed its seats."""
    if actor is not None and not can_edit_township(actor, township.pk):
        raise PermissionDenied(_("您无权导入该乡镇的代表。"))
    if term.township_id != township.pk:
        raise ValidationError(_("届次不属于本乡镇。"))
    if mode not in ("add", "update"):
        raise ValidationError(_("导入方式无效。"))
    today = timezone.localdate()
    start_date = start_date or default_start_date(term)
    too_late = start_date > today and start_date != term.start_date  # a new term's roster may come early
    if start_date < term.start_date or too_late or (term.end_date and start_date > term.end_date):
        raise ValidationError(
            _("任职开始日期应在本届开始日期（%(s)s）与今天之间。") % {"s": term.start_date.isoformat()}
        )
    layout = sr.locate_header(sheet, COLUMNS, read_also=("remarks",))
    outcome = RosterOutcome(
        header_row=layout.header_row,
        headers=layout.headers,
        ignored_columns=layout.ignored,
        start_date=start_date,
        mode=mode,
    )
    ctx = _Context(township, mappings)
    overrides = overrides or {}
    present = set(layout.columns)
    column_of = {k: layout.headers.get(k, FIELD_LABELS.get(k, k)) for k in FIELD_LABELS}

    existing = list(Deputy.objects.filter(term=term).select_related("district", "group"))
    by_cert = {d.certificate_no: d for d in existing if d.certificate_no}
    by_name_birth = {(d.name, d.birth_date): d for d in existing if d.birth_date}
    seen_cert: dict[str, int] = {}
    seen_deputy: dict[int, int] = {}

    for index in range(layout.header_row, len(sheet.rows)):
        raw_row = sheet.rows[index]
        excel_row = index + 1
        kind = sr.row_kind(raw_row)
        if kind == "blank":
            outcome.skipped.append((excel_row, _once(MSG_BLANK)))
            continue
        if kind == "total":
            outcome.skipped.append(
                (
                    excel_row,
                    _("合计行“%(t)s”") % {"t": next(sr.text(v) for v in raw_row if not sr.is_blank(v))},
                )
            )
            continue
        name_cell = sr.cell(raw_row, layout, "name")
        filled = sum(1 for v in raw_row if not sr.is_blank(v))
        if sr.is_blank(name_cell) and filled <= 2:
            note = " ".join(sr.text(v) for v in raw_row if not sr.is_blank(v))
            outcome.skipped.append((excel_row, _("非代表数据行“%(t)s”") % {"t": note[:40]}))
            continue
        row = RowResult(excel_row=excel_row)
        row_errors = []
        unmapped = set()
        for key in layout.columns:
            raw = sr.cell(raw_row, layout, key)
            if sr.is_blank(raw) and key not in ("name", "gender", "district"):
                continue
            try:
                row.values[key] = resolve(key, raw, ctx, row.values)
            except Unknown:
                outcome.unknown.setdefault((key, sr.compact(raw)), []).append(excel_row)
                unmapped.add(key)
            except ValueError as exc:
                row_errors.append((excel_row, column_of[key], str(exc)))
        # A row being updated keeps what the file does not say; a new row gets marked inferences.
        row.values.setdefault("remarks", "")
        _read_remarks(row.values)
        match = _match(row.values, by_cert, by_name_birth)
        if match is not None and mode == "update":
            row.existing = match
            row.action = "update"
        else:
            row.pending = _infer(row.values, present, unmapped)
        for (o_row, key), value in overrides.items():
            if o_row == excel_row and value not in (None, ""):
                try:
                    row.values[key] = _override(key, value, ctx)
                except ValueError as exc:
                    row_errors.append((excel_row, column_of[key], str(exc)))
                    continue
                row.pending.pop(key, None)
                if key == "party":
                    row.values.pop("party_name", None)
        for key, reason in row.pending.items():
            if row.values.get(key) is None:
                outcome.unfilled.append(
                    (excel_row, column_of[key], _("%(r)s（须在预览中填写）") % {"r": reason})
                )
        # Duplicates within the file and against the roster.
        cert = row.values.get("certificate_no") or ""
        if cert:
            if cert in seen_cert:
                row_errors.append(
                    (
                        excel_row,
                        column_of["certificate_no"],
                        _("代表证号“%(v)s”与第 %(n)s 行重复") % {"v": cert, "n": seen_cert[cert]},
                    )
                )
            else:
                seen_cert[cert] = excel_row
        if match is not None and mode == "add":
            how = (
                _("代表证号“%(v)s”在本届已存在") % {"v": cert}
                if cert and cert == match.certificate_no
                else _("本届已有同名、同出生年月的代表“%(v)s”") % {"v": match.name}
            )
            row_errors.append(
                (
                    excel_row,
                    column_of["certificate_no" if cert else "name"],
                    how + _("；如需更新已有代表，请选择“更新已有代表”。"),
                )
            )
        if match is not None and mode == "update":
            if match.pk in seen_deputy:
                row_errors.append(
                    (
                        excel_row,
                        column_of["name"],
                        _("与第 %(n)s 行是同一名代表") % {"n": seen_deputy[match.pk]},
                    )
                )
            seen_deputy[match.pk] = excel_row
            if cert and cert != match.certificate_no and cert in by_cert:
                row_errors.append(
                    (
                        excel_row,
                        column_of["certificate_no"],
                        _("代表证号“%(v)s”在本届已被其他代表使用") % {"v": cert},
                    )
                )
        row_errors.extend(_field_errors(row, column_of))
        if row_errors:
            outcome.errors.extend(row_errors)
        if row.action == "update":
            row.diffs = _diffs(row)
            if not row.diffs:
                row.action = "same"
        outcome.rows.append(row)

    outcome.total = len(outcome.rows)
    if not outcome.rows and not outcome.errors:
        raise ValidationError(_("文件中没有代表数据行（表头在第 %(n)s 行）。") % {"n": layout.header_row})
    _check_seats(outcome, term, by_election_ref, start_date)
    for row in outcome.rows:
        for key in row.pending:
            if row.values.get(key) is not None:
                outcome.warnings.append(
                    (
                        row.excel_row,
                        column_of[key],
                        _once(MSG_TO_CONFIRM) % {"v": row.display(key), "r": row.pending[key]},
                    )
                )
    if outcome.unknown:
        outcome.blockers.append(
            _("有 %(n)s 个值无法识别，请在“对应无法识别的值”中逐个对应。") % {"n": len(outcome.unknown)}
        )
    if outcome.unfilled:
        outcome.blockers.append(_("有 %(n)s 项须在预览中填写。") % {"n": len(outcome.unfilled)})
    if outcome.pending_rows and not accept_inferred:
        outcome.blockers.append(
            _("有 %(n)s 行含“待确认”的推断值，请逐项核对或修改后勾选确认。")
            % {"n": len(outcome.pending_rows)}
        )
    outcome.errors.sort(key=lambda e: (e[0] or 0, e[1]))
    if commit and outcome.ok:
        try:
            _commit(
                outcome,
                township=township,
                term=term,
                actor=actor,
                ctx=ctx,
                mappings=mappings or {},
                start_date=start_date,
                by_election_ref=by_election_ref,
            )
        except IntegrityError as exc:  # someone else wrote the same certificate number meanwhile
            raise ValidationError(
                _("花名册在确认前已被他人修改（如代表证号已被使用），未导入任何数据，请重新检查。")
            ) from exc
    return outcome


def _override(key, value, ctx):
    if key in ("district", "group"):
        found = ctx.by_name[key].get(value)
        if found is None:
            raise ValueError(_("“%(v)s”不存在") % {"v": value})
        return found
    if key == "is_reelected":
        return value in (True, "1", "true", "True", "是")
    if key == "ethnicity":
        return sr.compact(value)[:20]
    if key in MAPPING_CHOICES and value in dict(MAPPING_CHOICES[key]):
        return value
    raise ValueError(_("“%(v)s”不是有效选项") % {"v": value})


def _match(values, by_cert, by_name_birth):
    cert = values.get("certificate_no")
    if cert and cert in by_cert:
        return by_cert[cert]
    return by_name_birth.get((values.get("name"), values.get("birth_date")))


def _diffs(row: RowResult) -> list:
    old = row.existing
    diffs = []
    for key in UPDATABLE:
        if key not in row.values or key == "party_name":
            continue
        new = row.values[key]
        if new is None or (new == "" and key not in ("education",)):
            continue
        current = getattr(old, key)
        if key == "party" and (new != current or row.values.get("party_name", "") != old.party_name):
            diffs.append((FIELD_LABELS[key], old.party_label, row.display(key)))
            continue
        if new != current:
            diffs.append((FIELD_LABELS[key], _display(key, current), _display(key, new, row.values)))
    return diffs


_LENGTH_CHECKED = ("name", "ethnicity", "party_name", "certificate_no", "phone", "workplace")
_MAX_LENGTH = {key: Deputy._meta.get_field(key).max_length for key in _LENGTH_CHECKED}


def _field_errors(row: RowResult, column_of) -> list:
    """The model's field checks (lengths, the phone number's format), done directly: 5,000 rows
    do not build 5,000 model instances just to validate them."""
    errors = []
    for key, limit in _MAX_LENGTH.items():
        value = row.values.get(key)
        if value and len(value) > limit:
            message = _("不能超过 %(n)s 个字（现有 %(m)s 个）") % {"n": limit, "m": len(value)}
            errors.append((row.excel_row, column_of.get(key, key), message))
    phone = row.values.get("phone")
    if phone and not _PHONE.match(phone):
        errors.append((row.excel_row, column_of.get("phone", "phone"), str(phone_validator.message)))
    return errors


_PHONE = re.compile(phone_validator.regex.pattern)


def _check_seats(outcome: RosterOutcome, term, by_election_ref: str, start_date) -> None:
    """Serving township deputies per district after the import against the district's seats."""
    serving = Counter(
        Deputy.objects.filter(term=term, status=Deputy.Status.SERVING, level=Deputy.Level.TOWNSHIP)
        .exclude(district=None)
        .values_list("district_id", flat=True)
    )
    before = Counter(serving)
    districts = {}
    for row in outcome.rows:
        old = row.existing
        district = row.values.get("district") or (old.district if old is not None else None)
        level = row.values.get("level") or (old.level if old is not None else Deputy.Level.TOWNSHIP)
        township_level = level == Deputy.Level.TOWNSHIP
        if old is not None and old.status != Deputy.Status.SERVING:
            continue
        if (
            old is not None
            and old.status == Deputy.Status.SERVING
            and old.level == Deputy.Level.TOWNSHIP
            and old.district_id
        ):
            serving[old.district_id] -= 1
        if district is not None and township_level:
            serving[district.pk] += 1
            districts[district.pk] = district
    over_ids = set()
    for pk, district in districts.items():
        if district.seats < serving[pk] <= before[pk]:
            # Already over before this file (an earlier by-election): correcting a phone number in
            # that district must not ask for a by-election reference again; it is said, not refused.
            note = _("选区“%(d)s”应选 %(s)s 名，目前在任 %(n)s 名（本次导入未增加）") % {
                "d": district.name,
                "s": district.seats,
                "n": serving[pk],
            }
            outcome.seat_notes.append(note)
            outcome.warnings.append((None, outcome.headers.get("district", "选区"), note))
        elif serving[pk] > district.seats:
            outcome.seat_overflow.append((district.name, district.seats, serving[pk]))
            over_ids.add(pk)
            outcome.warnings.append(
                (
                    None,
                    outcome.headers.get("district", "选区"),
                    _("选区“%(d)s”应选 %(s)s 名，导入后在任 %(n)s 名，超出 %(x)s 名")
                    % {
                        "d": district.name,
                        "s": district.seats,
                        "n": serving[pk],
                        "x": serving[pk] - district.seats,
                    },
                )
            )
    if over_ids:
        if by_election_ref.strip():
            for row in outcome.rows:
                district = row.values.get("district")
                if (
                    row.action == "new"
                    and district is not None
                    and district.pk in over_ids
                    and start_date > term.start_date
                ):
                    row.by_election = True
        else:
            outcome.blockers.append(_("有选区超出应选名额：如确系补选产生，请填写补选依据文件后再确认导入。"))


@transaction.atomic
def _commit(outcome, *, township, term, actor, ctx, mappings, start_date, by_election_ref) -> None:
    new_rows = [r for r in outcome.rows if r.action == "new"]
    deputies = []
    for row in new_rows:
        fields = {k: v for k, v in row.values.items() if k in UPDATABLE and v is not None}
        deputy = Deputy(
            township=township,
            term=term,
            status=Deputy.Status.SERVING,
            status_since=start_date,
            **fields,
        )
        deputy.fill_pinyin()
        deputies.append(deputy)
    max_pk_before = Deputy.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Deputy.objects.bulk_create(deputies, batch_size=500)
    if any(d.pk is None for d in deputies):  # a database without RETURNING on bulk insert
        created = {
            (d.name, d.certificate_no, d.phone): d
            for d in Deputy.objects.filter(term=term, pk__gt=max_pk_before)
        }
        for d in deputies:
            d.pk = created[(d.name, d.certificate_no, d.phone)].pk
    ref = by_election_ref.strip()[:120]
    DeputyStatusChange.objects.bulk_create(
        [
            DeputyStatusChange(
                township=township,
                deputy=deputy,
                from_status="",
                to_status=Deputy.Status.SERVING,
                is_by_election=row.by_election,
                effective_date=start_date,
                document_ref=ref if row.by_election else _("花名册导入"),
                actor=actor if getattr(actor, "pk", None) else None,
            )
            for row, deputy in zip(new_rows, deputies, strict=True)
        ],
        batch_size=500,
    )
    changed = defaultdict(list)
    for row in outcome.rows:
        if row.action != "update":
            continue
        deputy = row.existing
        for key in UPDATABLE:
            value = row.values.get(key)
            if key not in row.values or value is None or (value == "" and key != "education"):
                continue
            if getattr(deputy, key) != value:
                setattr(deputy, key, value)
                changed[key].append(deputy)
        if "name" in row.values:
            deputy.fill_pinyin()
    updated = {d.pk: d for ds in changed.values() for d in ds}
    if updated:
        fields = sorted({*changed, "name_pinyin", "name_initials"})
        Deputy.objects.bulk_update(list(updated.values()), fields, batch_size=500)
    for (key, source), target in mappings.items():
        ImportValueMapping.objects.update_or_create(
            township=township,
            field=key,
            source=source[:100],
            defaults={
                "target": str(target)[:100],
                "created_by": actor if getattr(actor, "pk", None) else None,
            },
        )
    outcome.created, outcome.updated = len(deputies), len(updated)
    audit(
        actor=actor,
        action="deputy.import",
        township=township,
        obj=_("导入代表：新增 %(c)s 名，更新 %(u)s 名") % {"c": outcome.created, "u": outcome.updated},
        rows=outcome.created,
        updated=outcome.updated,
        term=term.number,
        start_date=start_date.isoformat(),
        by_election_ref=by_election_ref.strip(),
    )
