"""Vacancies per district and the composition (代表结构) of the serving deputies."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import Township

from ..models import Deputy, ElectoralDistrict, serving_on_q


def district_vacancy_rows(township_id, on: dt.date | None = None) -> list[dict]:
    """Each district with seats, township-level deputies in service on ``on`` (today) and vacancies
    (one query)."""
    on = on or timezone.localdate()
    districts = (
        ElectoralDistrict.objects.filter(township_id=township_id)
        .annotate(
            serving=Count(
                "deputies",
                filter=serving_on_q(on, "deputies__") & Q(deputies__level=Deputy.Level.TOWNSHIP),
            )
        )
        .order_by("sort_key", "name")
    )
    return [
        {"district": d, "seats": d.seats, "serving": d.serving, "vacancies": max(d.seats - d.serving, 0)}
        for d in districts
    ]


AGE_BANDS = (
    (0, 35, _("35岁及以下")),
    (36, 45, _("36-45岁")),
    (46, 55, _("46-55岁")),
    (56, 200, _("56岁及以上")),
)


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def composition(*, township_id: int, term_id: int | None = None, on: dt.date | None = None) -> dict:
    """代表结构 of the serving deputies: counts and percentages per dimension (one query) and the
    cadre-share warning against the county's threshold."""
    on = on or timezone.localdate()
    qs = Deputy.objects.filter(township_id=township_id).serving(on)
    if term_id:
        qs = qs.filter(term_id=term_id)
    rows = list(
        qs.values(
            "gender", "party", "occupation", "education", "ethnicity", "birth_date", "is_reelected", "level"
        )
    )
    total = len(rows)

    def pct(n):
        return round(100 * n / total, 1) if total else 0.0

    def dimension(key, choices):
        counts = defaultdict(int)
        for r in rows:
            counts[r[key]] += 1
        labels = dict(choices)
        return [
            {"label": labels.get(k, k or _("未填")), "count": n, "percent": pct(n)}
            for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ]

    ages = [_age(r["birth_date"], on) for r in rows]
    age_rows = []
    for low, high, label in AGE_BANDS:
        n = sum(1 for a in ages if a is not None and low <= a <= high)
        age_rows.append({"label": label, "count": n, "percent": pct(n)})
    unknown = sum(1 for a in ages if a is None)
    if unknown:
        age_rows.append({"label": _("未填"), "count": unknown, "percent": pct(unknown)})
    minority = sum(1 for r in rows if r["ethnicity"] and r["ethnicity"] != "汉族")
    reelected = sum(1 for r in rows if r["is_reelected"])
    women = sum(1 for r in rows if r["gender"] == Deputy.Gender.FEMALE)
    cadres = sum(1 for r in rows if r["occupation"] == Deputy.Occupation.CADRE)
    township = Township.objects.select_related("county").get(pk=township_id)
    threshold = township.rules.cadre_share_warning_percent
    township_level = sum(1 for r in rows if r["level"] == Deputy.Level.TOWNSHIP)
    return {
        "total": total,
        # The township congress's own deputies (the base of quorum and majority) and the county- or
        # city-level deputies organised in the township, who are counted in "在任代表" but not there.
        "township_level": township_level,
        "higher_level": total - township_level,
        "dimensions": [
            (_("代表结构类别"), dimension("occupation", Deputy.Occupation.choices)),
            (_("性别"), dimension("gender", Deputy.Gender.choices)),
            (_("政治面貌"), dimension("party", Deputy.Party.choices)),
            (_("民族"), dimension("ethnicity", [])),
            (_("年龄"), age_rows),
            (_("文化程度"), dimension("education", Deputy.Education.choices)),
            (_("代表层级"), dimension("level", Deputy.Level.choices)),
        ],
        "highlights": [
            {"label": _("妇女代表"), "count": women, "percent": pct(women)},
            {"label": _("少数民族代表"), "count": minority, "percent": pct(minority)},
            {"label": _("连任代表"), "count": reelected, "percent": pct(reelected)},
            {"label": _("党政干部代表"), "count": cadres, "percent": pct(cadres)},
        ],
        "cadre_percent": pct(cadres),
        "cadre_threshold": threshold,
        "cadre_warning": total > 0 and pct(cadres) > threshold,
    }
