"""Reading one value: synonyms, remembered mappings (per township), and the "待确认" inferences for
fields the file lacks."""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from presidium import sheet_reader as sr

from ..models import Deputy, DeputyGroup, ElectoralDistrict, ImportValueMapping
from .columns import (
    DEMOCRATIC,
    EDUCATION,
    GENDER,
    LEVEL,
    MAPPABLE,
    MAPPING_CHOICES,
    MSG_BY_WORKPLACE,
    MSG_CANNOT_INFER,
    MSG_ETHNICITY,
    MSG_LEVEL,
    MSG_PARTY,
    MSG_REELECTED,
    NO,
    OCCUPATION,
    OCCUPATION_HINTS,
    PARTY,
    YES,
    _once,
)


class Unknown(Exception):
    """A value the importer cannot place: it goes to the mapping step."""


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
