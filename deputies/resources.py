"""Excel in and out of the roster (django-import-export), with Chinese column headers.

Import: every row is validated (choices by their Chinese label, dates, phone, certificate number
unique per term and within the file, known district and group); nothing is written unless every
row is valid (see ``deputies.importing``)."""

import datetime as dt

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import ROSTER_FIELDS, Deputy, DeputyGroup, ElectoralDistrict

REQUIRED_HEADERS = ("姓名", "性别", "选区")


class ChoiceLabelWidget(widgets.Widget):
    """Chinese label ⇄ stored code (accepts the code too)."""

    def __init__(self, choices, default="", **kwargs):
        self.by_label = {str(label): code for code, label in choices}
        self.codes = {code for code, _label in choices}
        self.labels = {code: str(label) for code, label in choices}
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.default is None:
                raise ValueError(_("不能为空"))
            return self.default
        if text in self.by_label:
            return self.by_label[text]
        if text in self.codes:
            return text
        raise ValueError(
            _("“%(v)s”不是有效选项，应为：%(opts)s") % {"v": text, "opts": "、".join(self.by_label)}
        )

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class ChineseDateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if not (dt.date(1900, 1, 1) <= parsed <= dt.date.today()):
                raise ValueError(_("日期“%(v)s”超出合理范围") % {"v": text})
            return parsed
        raise ValueError(_("日期“%(v)s”格式不正确，应为 1980-01-31") % {"v": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%Y-%m-%d") if value else ""


class TextWidget(widgets.Widget):
    """Cell text; Excel turns phone and certificate numbers into floats, so undo that."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    TRUE = {"是", "Y", "y", "1", "true", "True", "连任"}
    FALSE = {"", "否", "N", "n", "0", "false", "False"}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if isinstance(value, bool):
            return value
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("应填“是”或“否”"))

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class NamedWidget(widgets.Widget):
    """A district or group of this township, by name (looked up from a preloaded dict)."""

    def __init__(self, lookup: dict, message: str, required: bool, **kwargs):
        self.lookup, self.message, self.required = lookup, message, required
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise ValueError(_("不能为空"))
            return None
        obj = self.lookup.get(text)
        if obj is None:
            raise ValueError(self.message % {"v": text})
        return obj

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


class RosterResource(resources.ModelResource):
    """花名册 with Chinese headers. ``township`` and ``term`` are fixed by the importing office."""

    def __init__(self, township=None, term=None, **kwargs):
        super().__init__(**kwargs)
        self.township, self.term = township, term
        districts = (
            {d.name: d for d in ElectoralDistrict.objects.filter(township=township)} if township else {}
        )
        groups = {g.name: g for g in DeputyGroup.objects.filter(township=township)} if township else {}
        self.fields["district"].widget = NamedWidget(
            districts, _("选区“%(v)s”不存在，请先在选区管理中添加"), True
        )
        self.fields["group"].widget = NamedWidget(groups, _("代表小组“%(v)s”不存在"), False)
        self.existing_certificates = (
            set(
                Deputy.objects.filter(term=term)
                .exclude(certificate_no="")
                .values_list("certificate_no", flat=True)
            )
            if term
            else set()
        )
        self.seen_certificates: dict[str, int] = {}

    name = fields.Field(attribute="name", column_name="姓名", widget=TextWidget())
    gender = fields.Field(
        attribute="gender", column_name="性别", widget=ChoiceLabelWidget(Deputy.Gender.choices, default=None)
    )
    ethnicity = fields.Field(attribute="ethnicity", column_name="民族", widget=TextWidget())
    birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=ChineseDateWidget())
    party = fields.Field(
        attribute="party",
        column_name="政治面貌",
        widget=ChoiceLabelWidget(Deputy.Party.choices, default=Deputy.Party.MASSES),
    )
    education = fields.Field(
        attribute="education",
        column_name="文化程度",
        widget=ChoiceLabelWidget(Deputy.Education.choices, default=""),
    )
    occupation = fields.Field(
        attribute="occupation",
        column_name="代表结构类别",
        widget=ChoiceLabelWidget(Deputy.Occupation.choices, default=Deputy.Occupation.OTHER),
    )
    district = fields.Field(attribute="district", column_name="选区")
    group = fields.Field(attribute="group", column_name="代表小组")
    certificate_no = fields.Field(attribute="certificate_no", column_name="代表证号", widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name="手机号码", widget=TextWidget())
    workplace = fields.Field(attribute="workplace", column_name="工作单位及职务", widget=TextWidget())
    level = fields.Field(
        attribute="level",
        column_name="代表层级",
        widget=ChoiceLabelWidget(Deputy.Level.choices, default=Deputy.Level.TOWNSHIP),
    )
    is_reelected = fields.Field(attribute="is_reelected", column_name="是否连任", widget=YesNoWidget())

    class Meta:
        model = Deputy
        fields = ROSTER_FIELDS
        import_id_fields = ()
        force_init_instance = True  # a roster import adds deputies; edits go through the form
        skip_diff = True
        use_bulk = True
        batch_size = 500
        clean_model_instances = True

    @classmethod
    def headers(cls):
        return [cls.fields[name].column_name for name in cls._meta.fields]

    def init_instance(self, row=None):
        return Deputy(township=self.township, term=self.term)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except Exception as exc:  # ValidationError carrying per-field messages
            errors = getattr(exc, "error_dict", {})
            if not errors:
                raise
        cert = instance.certificate_no
        if cert and "certificate_no" not in errors:
            if cert in self.existing_certificates:
                errors["certificate_no"] = [_("代表证号“%(v)s”在本届已存在") % {"v": cert}]
            elif cert in self.seen_certificates:
                errors["certificate_no"] = [
                    _("代表证号“%(v)s”与第 %(n)s 行重复") % {"v": cert, "n": self.seen_certificates[cert]}
                ]
            else:
                self.seen_certificates[cert] = kwargs.get("row_number", 0) + 1
        if not instance.ethnicity and "ethnicity" not in errors:
            instance.ethnicity = "汉族"
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Field validation (lengths, choices, phone format) without a query per row: the foreign keys
        come from preloaded dicts of this township, and certificate uniqueness is checked above
        against one preloaded set."""
        from django.core.exceptions import ValidationError

        errors = dict(import_validation_errors or {})
        exclude = {*errors, "township", "term", "district", "group", "user"}
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # Bulk creation skips Deputy.save(): fill the pinyin here so search and sorting work.
        instance.fill_pinyin()
        instance.status = Deputy.Status.SERVING
        instance.status_since = self.term.start_date if self.term else None

    def dehydrate_district(self, deputy):
        return deputy.district.name if deputy.district_id else ""

    def dehydrate_group(self, deputy):
        return deputy.group.name if deputy.group_id else ""
