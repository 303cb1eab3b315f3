"""Deputies: terms, electoral districts and the roster (花名册). Groups, stations, the three
systems, trainings and the performance archive build on these."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from presidium.models import Township, phone_validator


class Term(models.Model):
    """届: a township congress term, normally five years."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="terms", verbose_name=_("乡镇"))
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["township", "-number"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], name="unique_term_number")]

    def __str__(self):
        return _("第%(n)s届") % {"n": self.number}


class ElectoralDistrict(models.Model):
    """选区: deputies are elected per district; a vacancy is filled by a by-election in the same district."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="districts", verbose_name=_("乡镇"))
    name = models.CharField(_("选区名称"), max_length=60)
    seats = models.PositiveSmallIntegerField(_("应选代表名额"), default=1)

    class Meta:
        verbose_name = _("选区")
        verbose_name_plural = _("选区")
        ordering = ["township", "name"]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="unique_district_name")]

    def __str__(self):
        return self.name


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

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("乡镇"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("届次"))
    name = models.CharField(_("姓名"), max_length=30)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=120, blank=True, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=30, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(_("政治面貌"), max_length=12, choices=Party.choices, default=Party.MASSES)
    education = models.CharField(_("文化程度"), max_length=14, choices=Education.choices, blank=True)
    occupation = models.CharField(_("代表结构类别"), max_length=14, choices=Occupation.choices,
                                  default=Occupation.FARMER)
    district = models.ForeignKey(ElectoralDistrict, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="deputies", verbose_name=_("选区"))
    certificate_no = models.CharField(_("代表证号"), max_length=30, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[phone_validator])
    workplace = models.CharField(_("工作单位及职务"), max_length=100, blank=True)
    level = models.CharField(_("代表层级"), max_length=10, choices=Level.choices, default=Level.TOWNSHIP)
    is_reelected = models.BooleanField(_("连任代表"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SERVING)
    status_since = models.DateField(_("状态日期"), null=True, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="deputy", verbose_name=_("登录账号"))

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["township", "name_pinyin"]
        constraints = [
            models.UniqueConstraint(fields=["term", "certificate_no"], condition=~models.Q(certificate_no=""),
                                    name="unique_certificate_per_term"),
        ]
        indexes = [
            models.Index(fields=["township", "status"]),
            models.Index(fields=["township", "term", "status"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_serving(self):
        return self.status == self.Status.SERVING

    def save(self, *args, **kwargs):
        if self.name and not self.name_pinyin:
            from pypinyin import Style, lazy_pinyin

            self.name_pinyin = "".join(lazy_pinyin(self.name))
            self.name_initials = "".join(lazy_pinyin(self.name, style=Style.FIRST_LETTER))
        super().save(*args, **kwargs)
