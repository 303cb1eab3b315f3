"""Deputies: terms, electoral districts and the roster (花名册). Groups, stations, the three
systems, trainings and the performance archive build on these."""

import re
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from presidium.models import StatusEvent, Township, phone_validator


@lru_cache(maxsize=4096)
def name_to_pinyin(name: str) -> tuple[str, str]:
    """("zhangsan", "zs") for 张三; one pypinyin call, cached (rosters repeat common names)."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(name.strip()) if s.strip()]
    return "".join(syllables).lower()[:120], "".join(s[0] for s in syllables).lower()[:30]


class Term(models.Model):
    """届: a township congress term, normally five years."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="terms", verbose_name=_("乡镇")
    )
    number = models.PositiveSmallIntegerField(_("届次"), help_text=_("本乡镇人大第几届，如第十届填 10。"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["township", "-number"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], name="unique_term_number")]

    def __str__(self):
        from presidium.numerals import cn_number

        return _("第%(n)s届") % {"n": cn_number(self.number)}


_NUMBER_RUN = re.compile(r"[0-9０-９]+|(?<=第)[零〇一二两三四五六七八九十百千]+")


def natural_sort_key(text: str) -> str:
    """A key that sorts names the way people count: 第1选区, 第2选区 … 第10选区 (and 第一 … 第十),
    not as text (第10 before 第2). Numbers — digits anywhere, Chinese numerals after 第 — become
    eight-digit zero-padded runs; the rest of the name is kept as it is."""
    import cn2an

    def pad(match):
        run = match.group(0)
        try:
            number = (
                int(run) if run[0] not in "零〇一二两三四五六七八九十百千" else int(cn2an.cn2an(run, "smart"))
            )
        except (ValueError, TypeError):
            return run
        return f"{number:08d}"

    return _NUMBER_RUN.sub(pad, (text or "").strip())[:120]


class ElectoralDistrict(models.Model):
    """选区: deputies are elected per district; a vacancy is filled by a by-election in the same district."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="districts", verbose_name=_("乡镇")
    )
    name = models.CharField(_("选区名称"), max_length=60)
    seats = models.PositiveSmallIntegerField(
        _("应选代表名额"),
        default=1,
        help_text=_("本选区应选出的乡镇人大代表名额（人）；代表出缺时在本选区补选。"),
    )
    # natural_sort_key(name), kept by save(); code that bulk-creates districts must fill it too.
    sort_key = models.CharField(_("排序键"), max_length=120, default="", editable=False)

    class Meta:
        verbose_name = _("选区")
        verbose_name_plural = _("选区")
        ordering = ["township", "sort_key", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="unique_district_name")]
        indexes = [models.Index(fields=["township", "sort_key"], name="district_natural_order")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = natural_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


def serving_on_q(on_date, prefix: str = "") -> models.Q:
    """Deputies in service on ``on_date`` — THE rule for every count and pick list (应到, quorum,
    composition, vacancies, dormant, six-ones): serving now and already on that date (a new term's
    deputies serve from its first session, ``status_since``), or left office after that date.

    ``status_since`` is the date the present status began: a deputy who resigned on 1 May counts on
    30 April but not on 1 May; a deputy by-elected on 1 May is not counted before. Congress figures
    that must follow a longer history use ``congress.selectors.current_deputies``."""
    p = prefix
    serving = "serving"
    return (
        models.Q(**{f"{p}status": serving})
        & (models.Q(**{f"{p}status_since__isnull": True}) | models.Q(**{f"{p}status_since__lte": on_date}))
    ) | (~models.Q(**{f"{p}status": serving}) & models.Q(**{f"{p}status_since__gt": on_date}))


class DeputyQuerySet(models.QuerySet):
    def serving(self, on=None):
        """In service on ``on`` (today by default); see :func:`serving_on_q`."""
        from django.utils import timezone

        return self.filter(serving_on_q(on or timezone.localdate()))


class Deputy(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Party(models.TextChoices):
        CPC = "cpc", _("中共党员")
        DEMOCRATIC = "democratic", _("民主党派")
        MASSES = "masses", _("群众")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("小学")
        JUNIOR = "junior", _("初中")
        SENIOR = "senior", _("高中/中专")
        COLLEGE = "college", _("大专")
        BACHELOR = "bachelor", _("本科")
        POSTGRADUATE = "postgraduate", _("研究生")

    class Occupation(models.TextChoices):
        """代表结构 categories used in the composition statistics."""

        CADRE = "cadre", _("党政干部")
        WORKER = "worker", _("工人")
        FARMER = "farmer", _("农民")
        INTELLECTUAL = "intellectual", _("知识分子")
        PROFESSIONAL = "professional", _("专业技术人员")
        BUSINESS = "business", _("企业负责人/个体工商户")
        VILLAGE_CADRE = "village_cadre", _("村(社区)干部")
        OTHER = "other", _("其他")

    class Level(models.TextChoices):
        TOWNSHIP = "township", _("乡镇人大代表")
        COUNTY = "county", _("县级人大代表")
        CITY = "city", _("市级人大代表")

    class Status(models.TextChoices):
        SERVING = "serving", _("在任")
        RESIGNED = "resigned", _("辞职")
        RECALLED = "recalled", _("罢免")
        DIED = "died", _("去世")
        MOVED = "moved", _("迁出")
        TERM_ENDED = "term_ended", _("届满")

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("乡镇")
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("届次"))
    name = models.CharField(_("姓名"), max_length=30)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=120, blank=True, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=30, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(_("政治面貌"), max_length=12, choices=Party.choices, default=Party.MASSES)
    # The party as the roster writes it (民盟盟员, 九三学社社员 …); ``party`` is its class.
    party_name = models.CharField(_("党派名称"), max_length=30, blank=True)
    education = models.CharField(_("文化程度"), max_length=14, choices=Education.choices, blank=True)
    occupation = models.CharField(
        _("代表结构类别"),
        max_length=14,
        choices=Occupation.choices,
        default=Occupation.FARMER,
        help_text=_("代表结构统计中的类别；党政干部所占比例超过县级规则设置的预警线时提示。"),
    )
    district = models.ForeignKey(
        ElectoralDistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputies",
        verbose_name=_("选区"),
    )
    certificate_no = models.CharField(
        _("代表证号"), max_length=30, blank=True, help_text=_("代表证上的编号，同一届内不能重复。")
    )
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[phone_validator])
    workplace = models.CharField(_("工作单位及职务"), max_length=100, blank=True)
    level = models.CharField(
        _("代表层级"),
        max_length=10,
        choices=Level.choices,
        default=Level.TOWNSHIP,
        help_text=_(
            "乡镇人大代表是本级人大的组成人员，是法定人数和表决比例的基数；在本乡镇编组活动的县级、市级人大代表不计入。"
        ),
    )
    is_reelected = models.BooleanField(
        _("连任代表"), default=False, help_text=_("上一届也是本乡镇人大代表；计入代表结构统计中的连任代表。")
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=Status.choices,
        default=Status.SERVING,
        help_text=_("代表现在的状态；某一日期是否在任以状态变动记录为准。"),
    )
    status_since = models.DateField(
        _("状态日期"),
        null=True,
        blank=True,
        help_text=_("现在的状态（当选、辞职、罢免、届满等）生效的日期。"),
    )
    group = models.ForeignKey(
        "DeputyGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("代表小组"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("登录账号"),
    )
    # 代表码: opaque token in the URL of the deputy's personal QR card (voters leave a message for
    # this deputy). Given on first use, so rows created by bulk imports need nothing.
    public_token = models.CharField(
        _("代表码"), max_length=32, unique=True, null=True, blank=True, editable=False
    )

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["township", "name_pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "certificate_no"],
                condition=~models.Q(certificate_no=""),
                name="unique_certificate_per_term",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "status"]),
            models.Index(fields=["township", "term", "status"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.name and not self.name_pinyin:
            self.fill_pinyin()
        super().save(*args, **kwargs)

    @property
    def is_serving(self):
        return self.status == self.Status.SERVING

    @property
    def party_label(self) -> str:
        """民主党派 deputies show their own party as written (民盟盟员); others the class label."""
        return self.party_name or self.get_party_display()

    @property
    def choice_label(self) -> str:
        """The name in a pick list, with what tells equal names apart: district and birth year
        (and a county/city-level deputy organised in the township says so)."""
        label = self.name
        if self.level != self.Level.TOWNSHIP:
            label += f"（{self.get_level_display()}）"
        extra = []
        if self.district_id:
            extra.append(str(self.district))
        if self.group_id and Deputy.group.is_cached(self):
            # Only when the pick list loaded it (deputies.pickers does), never a query per option.
            extra.append(str(self.group))
        if self.birth_date:
            extra.append(_("%(y)s年生") % {"y": self.birth_date.year})
        return f"{label}（{'·'.join(extra)}）" if extra else label

    def fill_pinyin(self):
        """Full pinyin and initials of the name, for sorting and search (also used by bulk imports,
        which skip save())."""
        self.name_pinyin, self.name_initials = name_to_pinyin(self.name)


#: A deputy's roster columns, in the order of the form and of the import sheet: the one list the
#: roster services, the form, the import-export resource and the roster import read.
ROSTER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
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


class ImportValueMapping(models.Model):
    """A value an import could not place, mapped once by the office to what it means (文化程度
    "中央党校大学" → 本科, 选区 "东岭村选区" → 第3选区); remembered for the township's next files."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+", verbose_name=_("乡镇"))
    field = models.CharField(_("字段"), max_length=40)
    source = models.CharField(_("文件中的值"), max_length=100)
    target = models.CharField(_("对应的值"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        verbose_name = _("导入值对应")
        verbose_name_plural = _("导入值对应")
        constraints = [
            models.UniqueConstraint(fields=["township", "field", "source"], name="unique_import_mapping")
        ]

    def __str__(self):
        return f"{self.field}: {self.source} → {self.target}"


# --- Additions of the deputies app (issue 3) -------------------------------------------------------
# `Deputy.status` stays the current status; DeputyStatusChange keeps its history.


class DeputyGroup(models.Model):
    """代表小组: deputies of one area (often one group per village), with a leader."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="deputy_groups", verbose_name=_("乡镇")
    )
    name = models.CharField(_("小组名称"), max_length=60)
    area = models.CharField(_("联系片区"), max_length=120, blank=True)
    leader = models.ForeignKey(
        "Deputy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("组长")
    )

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["township", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="unique_group_name")]

    def __str__(self):
        return self.name


class DeputyStatusChange(models.Model):
    """One step of a deputy's status history: elected (incl. by-election), resigned, recalled …
    with the date it took effect and the document that decided it."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("代表")
    )
    from_status = models.CharField(_("原状态"), max_length=12, choices=Deputy.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Deputy.Status.choices)
    is_by_election = models.BooleanField(
        _("补选产生"), default=False, help_text=_("该当选记录由补选产生，填补本选区出缺的名额。")
    )
    effective_date = models.DateField(_("生效日期"))
    document_ref = models.CharField(_("依据文件"), max_length=120, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表状态变动")
        verbose_name_plural = _("代表状态变动")
        ordering = ["deputy", "effective_date", "pk"]
        indexes = [models.Index(fields=["township", "effective_date"])]

    def __str__(self):
        return f"{self.deputy} {self.get_to_status_display()} {self.effective_date}"


class Station(models.Model):
    """家站点: a deputies' home (代表之家), liaison station (代表联络站) or contact point (联系点)."""

    class Kind(models.TextChoices):
        HOME = "home", _("代表之家")
        STATION = "station", _("代表联络站")
        POINT = "point", _("代表联系点")

    # The "six haves" (六有) checklist: field name → label.
    SIX_HAVES = (
        ("has_place", _("有固定场所")),
        ("has_sign", _("有标识牌")),
        ("has_deputy_info", _("有代表信息")),
        ("has_rules", _("有工作制度")),
        ("has_plan", _("有活动计划")),
        ("has_records", _("有活动记录")),
    )

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="stations", verbose_name=_("乡镇")
    )
    kind = models.CharField(
        _("类型"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.STATION,
        help_text=_(
            "代表之家（乡镇）、代表联络站（村、社区）或代表联系点，合称“家站点”，是代表联系和接待选民的场所。"
        ),
    )
    name = models.CharField(_("名称"), max_length=60)
    address = models.CharField(_("地址"), max_length=120, blank=True)
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="stations", verbose_name=_("进站代表"))
    reception_day_of_month = models.PositiveSmallIntegerField(_("每月接待日"), null=True, blank=True)
    has_place = models.BooleanField(_("有固定场所"), default=False)
    has_sign = models.BooleanField(_("有标识牌"), default=False)
    has_deputy_info = models.BooleanField(_("有代表信息"), default=False)
    has_rules = models.BooleanField(_("有工作制度"), default=False)
    has_plan = models.BooleanField(_("有活动计划"), default=False)
    has_records = models.BooleanField(_("有活动记录"), default=False)
    # Opaque token in the QR code's URL, so the public page does not reveal database ids.
    public_token = models.CharField(_("公开码"), max_length=32, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["township", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="unique_station_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.public_token:
            import secrets

            self.public_token = secrets.token_urlsafe(12)
        super().save(*args, **kwargs)

    @property
    def six_haves(self):
        return [(label, getattr(self, name)) for name, label in self.SIX_HAVES]

    @property
    def six_haves_count(self):
        return sum(1 for name, _label in self.SIX_HAVES if getattr(self, name))


class VoterContact(models.Model):
    """联系选民: one contact between a deputy and a voter."""

    class Way(models.TextChoices):
        VISIT = "visit", _("走访")
        PHONE = "phone", _("电话")
        ONLINE = "online", _("微信/网络")
        FORUM = "forum", _("座谈")
        OTHER = "other", _("其他")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="voter_contacts", verbose_name=_("代表")
    )
    voter_name = models.CharField(_("选民姓名"), max_length=30)
    date = models.DateField(_("日期"))
    way = models.CharField(_("方式"), max_length=8, choices=Way.choices, default=Way.VISIT)
    content = models.TextField(_("反映的问题"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("联系选民")
        verbose_name_plural = _("联系选民")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"]), models.Index(fields=["deputy", "date"])]

    def __str__(self):
        return f"{self.deputy} → {self.voter_name} {self.date}"


class ReceptionDay(models.Model):
    """接待选民日 at one station: planned, then held (or cancelled)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已安排")
        HELD = "held", _("已接待")
        CANCELLED = "cancelled", _("已取消")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="reception_days", verbose_name=_("联络站")
    )
    date = models.DateField(_("接待日期"))
    announced_on = models.DateField(_("公告日期"), null=True, blank=True)
    deputies = models.ManyToManyField(
        Deputy, blank=True, related_name="reception_duties", verbose_name=_("值班代表")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接待选民日")
        verbose_name_plural = _("接待选民日")
        ordering = ["-date", "station"]
        indexes = [models.Index(fields=["township", "date"]), models.Index(fields=["station", "date"])]

    def __str__(self):
        return f"{self.station} {self.date}"

    def announcement_late(self, min_days: int) -> bool:
        """Voters must learn of a reception day ``min_days`` ahead (3–5 days in practice); a planned
        day not announced at all, or announced later than that, is flagged."""
        if self.status == self.Status.CANCELLED:
            return False
        if self.announced_on is None:
            return True
        return (self.date - self.announced_on).days < min_days


def reception_announce_min_days(rules) -> int:
    """Days ahead a reception day must be announced (county reminder rules; 3 by default)."""
    try:
        return int((rules.reminder_rules or {}).get("reception_announce_min_days", 3))
    except (TypeError, ValueError):
        return 3


class VoterOpinion(models.Model):
    """选民意见: a visitor's issue at a reception day (转办卡) or a message left through a station's
    QR code. Staff close it, forward it to a unit, or turn it into a suggestion."""

    class Source(models.TextChoices):
        RECEPTION = "reception", _("接待选民日")
        QR = "qr", _("扫码留言")
        DEPUTY_CODE = "deputy_code", _("代表码留言")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        FORWARDED = "forwarded", _("已转办")
        CONVERTED = "converted", _("已转为建议")
        CLOSED = "closed", _("已办结")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.RECEPTION)
    station = models.ForeignKey(
        Station,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("联络站"),
    )
    reception_day = models.ForeignKey(
        ReceptionDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("接待日"),
    )
    deputy = models.ForeignKey(
        Deputy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="code_messages",
        verbose_name=_("留言对象代表"),
        help_text=_("选民扫代表码留言时，留言给这位代表。"),
    )
    responded_at = models.DateTimeField(
        _("代表响应时间"),
        null=True,
        blank=True,
        help_text=_("代表答复或转交人大办的时间；与登记时间之差即响应用时。"),
    )
    voter_name = models.CharField(_("选民姓名"), max_length=30, blank=True)
    voter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    voter_address = models.CharField(_("住址"), max_length=100, blank=True)
    content = models.TextField(_("反映的问题"), max_length=2000)
    received_on = models.DateField(_("登记日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    unit = models.ForeignKey(
        "presidium.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voter_opinions",
        verbose_name=_("转办单位"),
    )
    result = models.TextField(_("处理结果"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("选民意见")
        verbose_name_plural = _("选民意见")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "status"]),
            models.Index(fields=["township", "received_on"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["deputy", "status"]),
        ]

    def __str__(self):
        return f"{self.voter_name or _('匿名选民')}：{self.content[:20]}"

    @property
    def response_time(self):
        """How long the addressed deputy took to answer or hand the message over (None: not yet)."""
        if self.deputy_id and self.responded_at:
            return self.responded_at - self.created_at
        return None


OPINION_ACTION_LABELS = {
    "register": _("登记"),
    "forward": _("转办"),
    "close": _("办结"),
    "convert": _("转为建议"),
    "reply": _("单位答复"),
    "answer": _("代表答复"),
    "hand_over": _("代表转交人大办"),
}


class VoterOpinionEvent(StatusEvent):
    subject_field = "opinion"
    status_enum = VoterOpinion.Status
    action_labels = OPINION_ACTION_LABELS

    opinion = models.ForeignKey(VoterOpinion, on_delete=models.CASCADE, related_name="events")


class DutyReport(models.Model):
    """向选民述职: a deputy reports to the district's voters, who evaluate them."""

    class Form(models.TextChoices):
        ORAL = "oral", _("口头述职")
        WRITTEN = "written", _("书面述职")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="duty_reports", verbose_name=_("代表")
    )
    date = models.DateField(_("述职日期"))
    form = models.CharField(_("述职形式"), max_length=8, choices=Form.choices, default=Form.ORAL)
    voters_present = models.PositiveIntegerField(_("参加选民人数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意票"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("基本满意票"), default=0)
    unsatisfied = models.PositiveIntegerField(_("不满意票"), default=0)
    summary = models.TextField(_("述职要点"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("述职")
        verbose_name_plural = _("述职")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"]), models.Index(fields=["deputy", "date"])]

    def __str__(self):
        return f"{self.deputy} {self.date}"

    @property
    def satisfaction_rate(self):
        total = self.satisfied + self.basically_satisfied + self.unsatisfied
        return round(100 * (self.satisfied + self.basically_satisfied) / total, 1) if total else None


class Training(models.Model):
    """学习培训."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    topic = models.CharField(_("培训主题"), max_length=120)
    date = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=2)
    attendees = models.ManyToManyField(
        Deputy, blank=True, related_name="trainings", verbose_name=_("参训代表")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("学习培训")
        verbose_name_plural = _("学习培训")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["township", "date"])]

    def __str__(self):
        return self.topic


class Activity(models.Model):
    """代表活动: group activities, inspections joined and practical deeds (the "six ones" items)."""

    class Kind(models.TextChoices):
        GROUP = "group_activity", _("小组活动")
        INSPECTION = "inspection", _("参加视察检查")
        VOTER_FORUM = "voter_forum", _("选民座谈会")
        PRACTICAL = "practical_deed", _("为民办实事")
        NEEDY = "needy_household", _("帮扶困难户")
        DISPUTE = "dispute_mediation", _("调解矛盾纠纷")
        OTHER = "other", _("其他活动")

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇"))
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        help_text=_("活动类别；选民座谈会、为民办实事、帮扶困难户、调解矛盾纠纷计入代表的“六个一”完成情况。"),
    )
    title = models.CharField(_("活动内容"), max_length=120)
    date = models.DateField(_("日期"))
    group = models.ForeignKey(
        DeputyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代表小组"),
    )
    deputies = models.ManyToManyField(
        Deputy, blank=True, related_name="activities", verbose_name=_("参加代表")
    )
    note = models.TextField(_("情况记录"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("代表活动")
        verbose_name_plural = _("代表活动")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["township", "date"]),
            models.Index(fields=["township", "kind", "date"]),
        ]

    def __str__(self):
        return self.title
