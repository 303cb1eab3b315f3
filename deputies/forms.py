from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import HandlingUnit, phone_validator

from .models import (
    Activity,
    Deputy,
    DeputyGroup,
    DutyReport,
    ElectoralDistrict,
    Station,
    Term,
    VoterContact,
    VoterOpinion,
)
from .pickers import deputy_select, unit_select
from .services import ROSTER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


def label_deputy_choices(form) -> None:
    """Deputy pick lists name each deputy with their district and birth year, so two deputies
    called 张伟 can be told apart (querysets: ``serving_deputies``, which loads the district)."""
    for f in form.fields.values():
        if isinstance(f, forms.ModelChoiceField) and getattr(f.queryset, "model", None) is Deputy:
            f.label_from_instance = _deputy_label


def _deputy_label(deputy) -> str:
    return deputy.choice_label


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_deputy_choices(self)
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def serving_deputies(township, on=None):
    """Pick list: the township's deputies in service today (or on ``on``), never a past term's."""
    return (
        Deputy.objects.filter(township=township)
        .serving(on)
        .select_related("district")
        .only("id", "name", "level", "birth_date", "district__name")
        .order_by("name_pinyin")
    )


class DeputyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Deputy
        fields = ROSTER_FIELDS
        widgets = {"birth_date": DATE}

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = ElectoralDistrict.objects.filter(township=township)
        self.fields["group"].queryset = DeputyGroup.objects.filter(township=township)
        self.fields["district"].required = True

    def validate_unique(self):
        # Certificate uniqueness per term is checked by the service (the form has no term field).
        pass


class DeputyCreateForm(DeputyForm):
    term = forms.ModelChoiceField(queryset=Term.objects.none(), label=_("届次"))
    by_election = forms.BooleanField(label=_("补选产生（填补选区缺额）"), required=False)
    effective_date = forms.DateField(label=_("当选日期"), widget=DATE, initial=timezone.localdate)
    document_ref = forms.CharField(
        label=_("依据文件"), max_length=120, required=False, help_text=_("如：选举结果公告文号")
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, township=township, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(township=township)


class StatusChangeForm(BootstrapMixin, forms.Form):
    to_status = forms.ChoiceField(
        label=_("变更为"), choices=[c for c in Deputy.Status.choices if c[0] != Deputy.Status.SERVING]
    )
    effective_date = forms.DateField(label=_("生效日期"), widget=DATE)
    document_ref = forms.CharField(label=_("依据文件"), max_length=120, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    expected_status = forms.CharField(widget=forms.HiddenInput)


class DistrictForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ElectoralDistrict
        fields = ("name", "seats")


class GroupForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("小组名称"), max_length=60)
    area = forms.CharField(label=_("联系片区"), max_length=120, required=False)
    leader = forms.ModelChoiceField(label=_("组长"), queryset=Deputy.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("组员"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = serving_deputies(township)
        deputy_select(self.fields["leader"])
        self.fields["members"].queryset = serving_deputies(township)
        deputy_select(self.fields["members"])


class StationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Station
        fields = (
            "kind",
            "name",
            "address",
            "reception_day_of_month",
            "has_place",
            "has_sign",
            "has_deputy_info",
            "has_rules",
            "has_plan",
            "has_records",
            "is_active",
            "deputies",
        )
        widgets = {"deputies": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = serving_deputies(township)
        deputy_select(self.fields["deputies"])
        self.fields["reception_day_of_month"].widget.attrs.update(min=1, max=31)

    def clean_reception_day_of_month(self):
        day = self.cleaned_data.get("reception_day_of_month")
        if day is not None and not 1 <= day <= 31:
            raise forms.ValidationError(_("请填写 1 到 31 之间的日期。"))
        return day

    def validate_unique(self):
        pass


class ReceptionDayForm(BootstrapMixin, forms.Form):
    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.none())
    date = forms.DateField(label=_("接待日期"), widget=DATE)
    announced_on = forms.DateField(label=_("公告日期"), widget=DATE, required=False)
    deputies = forms.ModelMultipleChoiceField(
        label=_("值班代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(township=township, is_active=True)
        self.fields["deputies"].queryset = serving_deputies(township)
        deputy_select(self.fields["deputies"])


class VisitorForm(BootstrapMixin, forms.Form):
    voter_name = forms.CharField(label=_("来访选民"), max_length=30, required=False)
    voter_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    voter_address = forms.CharField(label=_("住址"), max_length=100, required=False)
    content = forms.CharField(
        label=_("反映的问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VoterMessageForm(BootstrapMixin, forms.Form):
    """The public form behind a station's QR code. ``website`` is a honeypot: people never see it."""

    content = forms.CharField(
        label=_("您想反映的问题或建议"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    voter_name = forms.CharField(label=_("您的姓名（可不填）"), max_length=30, required=False)
    voter_phone = forms.CharField(
        label=_("联系电话（可不填，便于回复您）"), max_length=11, required=False, validators=[phone_validator]
    )
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )


class OpinionActionForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("forward", _("转办")),
            ("close", _("办结")),
            ("convert", _("转为建议")),
            ("reply", _("答复")),
            ("answer", _("代表答复")),
            ("hand_over", _("转交人大办")),
        ]
    )
    expected_status = forms.ChoiceField(choices=VoterOpinion.Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("处理结果/说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none(), required=False)
    title = forms.CharField(label=_("建议标题"), max_length=100, required=False)
    category = forms.CharField(label=_("建议分类"), max_length=30, required=False)
    lead_deputy = forms.ModelChoiceField(label=_("领衔代表"), queryset=Deputy.objects.none(), required=False)

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(township_id=township_id, is_active=True)
        self.fields["lead_deputy"].queryset = Deputy.objects.filter(
            township_id=township_id, status=Deputy.Status.SERVING
        ).order_by("name_pinyin")
        unit_select(self.fields["unit"])
        deputy_select(self.fields["lead_deputy"])


class VoterContactForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = VoterContact
        fields = ("deputy", "voter_name", "date", "way", "content")
        widgets = {"date": DATE, "content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, township, deputy=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deputy is not None:
            del self.fields["deputy"]
        else:
            self.fields["deputy"].queryset = serving_deputies(township)
            deputy_select(self.fields["deputy"])


class TrainingForm(BootstrapMixin, forms.Form):
    topic = forms.CharField(label=_("培训主题"), max_length=120)
    date = forms.DateField(label=_("日期"), widget=DATE)
    hours = forms.DecimalField(
        label=_("学时"), max_digits=4, decimal_places=1, min_value=0.5, max_value=99, initial=2
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("参训代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = serving_deputies(township)
        deputy_select(self.fields["attendees"])


class ActivityForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ("kind", "title", "date", "group", "deputies", "note")
        widgets = {
            "date": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
            "deputies": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = serving_deputies(township)
        deputy_select(self.fields["deputies"])
        self.fields["group"].queryset = DeputyGroup.objects.filter(township=township)


class DutyReportForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DutyReport
        fields = (
            "deputy",
            "date",
            "form",
            "voters_present",
            "satisfied",
            "basically_satisfied",
            "unsatisfied",
            "summary",
        )
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = serving_deputies(township)
        deputy_select(self.fields["deputy"])


class RosterImportForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("导入到届次"), queryset=Term.objects.none())
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=[("add", _("新增代表")), ("update", _("更新已有代表（按代表证号或姓名+出生年月匹配）"))],
        initial="add",
        required=False,
    )
    start_date = forms.DateField(
        label=_("新增代表任职开始日期"),
        widget=DATE,
        required=False,
        help_text=_("留空：首次导入本届花名册时为本届开始日期，届中增补时为今天。"),
    )
    file = forms.FileField(
        label=_("花名册文件（.xlsx、.xls 或 .csv）"),
        error_messages={"empty": _("文件是空的，请选择填写好的花名册文件。")},
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(township=township)


class TermForm(BootstrapMixin, forms.Form):
    number = forms.IntegerField(label=_("届次"), min_value=1, max_value=99)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE, required=False)


class TermChangeForm(BootstrapMixin, forms.Form):
    effective_date = forms.DateField(label=_("新一届第一次会议开幕日"), widget=DATE)
    document_ref = forms.CharField(label=_("依据文件"), max_length=120, required=False)
    carry_over = forms.BooleanField(
        label=_("沿用上一届的代表小组、联络站和值班安排（草稿，可再修改）"), required=False, initial=True
    )


class TermCloseForm(BootstrapMixin, forms.Form):
    effective_date = forms.DateField(label=_("届满日期"), widget=DATE)
    document_ref = forms.CharField(label=_("依据文件"), max_length=120, required=False)
