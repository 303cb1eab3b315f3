"""What a roster file may say: the columns, the value synonyms, the inference messages and the
mapping choices."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext_lazy

from presidium import sheet_reader as sr

from ..models import ROSTER_FIELDS, Deputy

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


# The roster columns an import may update, and the party's free-text name (其他党派) beside them.
UPDATABLE = (*ROSTER_FIELDS, "party_name")


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
