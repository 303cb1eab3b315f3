"""The roster (花名册): deputies, their status history, groups and import value mappings."""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from presidium.models import Township, phone_validator

from .terms import ElectoralDistrict, Term


@lru_cache(maxsize=4096)
def name_to_pinyin(name: str) -> tuple[str, str]:
    """("zhangsan", "zs") for 张三; one pypinyin call, cached (rosters repeat common names)."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(name.strip()) if s.strip()]
    return "".join(syllables).lower()[:120], "".join(s[0] for s in syllables).lower()[:30]


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
