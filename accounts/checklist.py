"""The first-day checklist of a township (开通准备清单): what the office has set up and what is
still missing before deputies and units can work in the product. A fixed number of grouped queries,
whatever the size of the roster (each line is one aggregate)."""

import dataclasses

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy, ElectoralDistrict, Station, Term
from presidium.models import AuditEntry, HandlingUnit, Role, Township

from .selectors import with_service_status


@dataclasses.dataclass
class Item:
    key: str
    label: str
    done: bool
    status: str  # what is there, in figures
    missing: list  # what is still to do, one sentence each
    url: str
    link_label: str
    required: bool = True
    staff_only: bool = False  # the link is a page only the township's staff open


def township_checklist(township: Township) -> list[Item]:
    today = timezone.localdate()
    items: list[Item] = []

    # 1. Handling units.
    units = HandlingUnit.objects.filter(township=township).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        staffed=Count(
            "pk",
            filter=Q(is_active=True, officers__role=Role.UNIT, officers__is_active=True),
            distinct=True,
        ),
    )
    items.append(
        Item(
            "units",
            _("承办单位"),
            units["active"] > 0,
            _("已登记 %(n)s 个承办单位") % {"n": units["active"]},
            [] if units["active"] else [_("还没有承办单位：请登记乡镇政府及各站所。")],
            reverse("accounts:unit_officers"),
            _("登记承办单位"),
            staff_only=True,
        )
    )

    # 2. Terms: a current term (started, not closed).
    term = (
        Term.objects.filter(township=township, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-number")
        .first()
    )
    items.append(
        Item(
            "terms",
            _("届次"),
            term is not None,
            (_("当前为%(t)s（%(d)s起）") % {"t": term, "d": term.start_date}) if term else _("未设置"),
            [] if term else [_("还没有当前届次：请登记本届的届次和开始日期。")],
            reverse("deputies:terms"),
            _("管理届次"),
        )
    )

    # 3. Districts with seats, against the serving township deputies (history-based).
    serving = with_service_status(Deputy.objects.filter(township=township)).filter(
        status_then=Deputy.Status.SERVING
    )
    serving_ids = serving.values("pk")
    districts = list(
        ElectoralDistrict.objects.filter(township=township)
        .annotate(
            serving=Count(
                "deputies",
                filter=Q(deputies__pk__in=serving_ids, deputies__level=Deputy.Level.TOWNSHIP),
            )
        )
        .values("name", "seats", "serving")
    )
    seats = sum(d["seats"] for d in districts)
    missing = []
    if not districts:
        missing.append(_("还没有选区：请登记各选区及应选名额。"))
    over = [d["name"] for d in districts if d["serving"] > d["seats"]]
    if over:
        missing.append(_("在任代表超过应选名额的选区：%(d)s，请核对。") % {"d": "、".join(over)})
    vacant = [d for d in districts if d["serving"] < d["seats"]]
    if vacant:
        missing.append(
            _("%(n)s 个选区有缺额（共缺 %(s)s 名）。")
            % {"n": len(vacant), "s": sum(d["seats"] - d["serving"] for d in vacant)}
        )
    items.append(
        Item(
            "districts",
            _("选区及名额"),
            bool(districts) and not over,
            _("%(n)s 个选区，应选代表 %(s)s 名") % {"n": len(districts), "s": seats},
            missing,
            reverse("deputies:districts"),
            _("管理选区"),
        )
    )

    # 4. Deputies on the roster.
    roster = serving.aggregate(
        total=Count("pk"),
        no_phone=Count("pk", filter=Q(phone="")),
        no_district=Count("pk", filter=Q(district__isnull=True, level=Deputy.Level.TOWNSHIP)),
        issued=Count("pk", filter=Q(user__isnull=False)),
        active=Count("pk", filter=Q(user__isnull=False, user__is_active=True)),
        activated=Count("pk", filter=Q(user__is_active=True, user__last_login__isnull=False)),
    )
    missing = []
    if not roster["total"]:
        missing.append(_("花名册中还没有在任代表：请导入或录入代表花名册。"))
    if roster["no_phone"]:
        missing.append(_("%(n)s 名代表没有手机号码，无法开通账号。") % {"n": roster["no_phone"]})
    if roster["no_district"]:
        missing.append(_("%(n)s 名乡镇人大代表未填写选区。") % {"n": roster["no_district"]})
    items.append(
        Item(
            "deputies",
            _("代表花名册"),
            roster["total"] > 0 and not roster["no_district"],
            _("在任代表 %(n)s 名") % {"n": roster["total"]},
            missing,
            reverse("deputies:roster_import") if not roster["total"] else reverse("deputies:roster"),
            _("导入花名册") if not roster["total"] else _("查看花名册"),
        )
    )

    # 5. Deputy logins issued and activated.
    without = roster["total"] - roster["issued"]
    missing = []
    if without:
        missing.append(_("%(n)s 名在任代表还没有账号。") % {"n": without})
    never = roster["active"] - roster["activated"]
    if never:
        missing.append(_("%(n)s 名代表已开通账号但从未登录，请提醒其首次登录。") % {"n": never})
    items.append(
        Item(
            "deputy_logins",
            _("代表账号"),
            roster["total"] > 0 and without == 0,
            _("已开通 %(i)s / %(t)s，已登录使用 %(a)s")
            % {"i": roster["issued"], "t": roster["total"], "a": roster["activated"]},
            missing,
            reverse("accounts:deputies"),
            _("开通代表账号"),
            staff_only=True,
        )
    )

    # 6. Unit officer logins.
    unstaffed = units["active"] - units["staffed"]
    items.append(
        Item(
            "unit_logins",
            _("承办单位账号"),
            units["active"] > 0 and unstaffed == 0,
            _("%(s)s / %(n)s 个承办单位已有经办人账号") % {"s": units["staffed"], "n": units["active"]},
            [_("%(n)s 个承办单位还没有经办人账号。") % {"n": unstaffed}] if unstaffed else [],
            reverse("accounts:unit_officers"),
            _("开通承办单位账号"),
            staff_only=True,
        )
    )

    # 7. Contact stations (家站点) and their "six haves".
    haves = [name for name, _label in Station.SIX_HAVES]
    complete = Q()
    for name in haves:
        complete &= Q(**{name: True})
    stations = Station.objects.filter(township=township, is_active=True).aggregate(
        total=Count("pk"), complete=Count("pk", filter=complete)
    )
    missing = []
    if not stations["total"]:
        missing.append(_("还没有代表之家或联络站：请登记家站点。"))
    elif stations["complete"] < stations["total"]:
        missing.append(_("%(n)s 个家站点“六有”未齐全。") % {"n": stations["total"] - stations["complete"]})
    items.append(
        Item(
            "stations",
            _("代表之家/联络站"),
            stations["total"] > 0,
            _("%(n)s 个家站点，“六有”齐全 %(c)s 个") % {"n": stations["total"], "c": stations["complete"]},
            missing,
            reverse("deputies:stations"),
            _("管理家站点"),
        )
    )

    # 8. County rules: set by the county congress staff, read here.
    set_by_county = (
        AuditEntry.objects.filter(county_id=township.county_id, action="county.rules_change")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    items.append(
        Item(
            "rules",
            _("县级规则设置"),
            set_by_county is not None,
            (_("县人大已设置（最近修改 %(d)s）") % {"d": timezone.localtime(set_by_county).date()})
            if set_by_county
            else _("使用法定默认值"),
            [] if set_by_county else [_("县人大尚未确认本县规则（时限、分类等），目前按法定默认值执行。")],
            reverse("presidium:rules"),
            _("查看规则"),
            required=False,
        )
    )
    return items
