from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from deputies.forms import label_deputy_choices, serving_deputies
from deputies.models import Deputy
from deputies.pickers import deputy_select, unit_select
from presidium.models import HandlingUnit

from .models import ActivityKind, CommitmentItem, Finding, Petition, SupervisionActivity
from .services import CHOICES, PETITION_TRANSITIONS, RECTIFICATION_TRANSITIONS
from .services.activities import ACTIVITY_COUNT_LIMITS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _units(township_id):
    return HandlingUnit.objects.filter(township_id=township_id, is_active=True).order_by("name")


def _deputies(township_id):
    return serving_deputies(township_id)


class BootstrapMixin:
    def _style(self):
        label_deputy_choices(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class ActivityForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SupervisionActivity
        fields = [
            "kind",
            "topic",
            "start_date",
            "end_date",
            "law_checked",
            "certificate_holder",
            "target_units",
            "plan",
            "voters_visited",
            "forums_held",
            "report",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "plan": forms.Textarea(attrs={"rows": 3}),
            "report": forms.Textarea(attrs={"rows": 6}),
            "target_units": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_holder"].queryset = _deputies(township_id)
        deputy_select(self.fields["certificate_holder"])
        self.fields["target_units"].queryset = _units(township_id)
        unit_select(self.fields["target_units"])
        for name, high in ACTIVITY_COUNT_LIMITS.items():
            field = self.fields[name]
            field.max_value = high
            field.validators.append(MaxValueValidator(high))
            field.widget.attrs["max"] = high
        self._style()

    def _post_clean(self):
        # Model validation happens in the service (with the township known); skip the instance save path.
        pass


class ParticipantsForm(BootstrapMixin, forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        queryset=Deputy.objects.none(), label=_("代表"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    team_name = forms.CharField(
        label=_("小组"),
        max_length=40,
        required=False,
        help_text=_("如“第一组”；留空表示不分组"),
        widget=forms.TextInput(attrs={"placeholder": _("小组名称（可选）")}),
    )
    leader = forms.ModelChoiceField(
        queryset=Deputy.objects.none(), required=False, label=_("组长"), empty_label=_("不指定组长")
    )

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = _deputies(township_id)
        deputy_select(self.fields["deputies"])
        self.fields["leader"].queryset = _deputies(township_id)
        deputy_select(self.fields["leader"])
        self._style()


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("附件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class FindingForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Finding.Kind.choices)
    content = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("问题或意见建议的内容")})
    )
    forward_to = forms.ModelChoiceField(
        queryset=HandlingUnit.objects.none(), required=False, label=_("转交单位"), empty_label=_("不转交")
    )

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forward_to"].queryset = _units(township_id)
        unit_select(self.fields["forward_to"])
        self._style()


class ForwardForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=HandlingUnit.objects.none(), label=_("转交单位"))

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(township_id)
        unit_select(self.fields["unit"])


class CommitmentForm(BootstrapMixin, forms.Form):
    title = forms.CharField(
        label=_("事项"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("承诺事项或实事项目")}),
    )
    unit = forms.ModelChoiceField(
        queryset=HandlingUnit.objects.none(),
        required=False,
        label=_("责任单位/站所"),
        empty_label=_("选择责任单位/站所"),
    )

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(township_id)
        unit_select(self.fields["unit"])
        self._style()


class CommitmentCheckForm(BootstrapMixin, forms.Form):
    stage = forms.ChoiceField(
        label=_("阶段"), choices=[c for c in CommitmentItem.Stage.choices if c[0] != "set"]
    )
    result = forms.ChoiceField(label=_("结果"), choices=[c for c in CommitmentItem.Result.choices if c[0]])
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RectificationForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("整改事项"), max_length=200)
    requirement = forms.CharField(
        label=_("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ModelChoiceField(queryset=HandlingUnit.objects.none(), label=_("整改单位"))
    deadline = forms.DateField(label=_("整改期限(日期)"), required=False, widget=DATE)
    workdays = forms.IntegerField(
        label=_("或：期限(工作日)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("按法定节假日和调休推算，填写后以此为准"),
    )

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(township_id)
        unit_select(self.fields["unit"])
        self._style()

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and not data.get("workdays"):
            raise forms.ValidationError(_("请填写整改期限（日期或工作日天数）。"))
        return data


class RectificationActionForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(choices=RECTIFICATION_TRANSITIONS.choices())
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("佐证材料"), required=False)
    new_deadline = forms.DateField(label=_("新的整改期限"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AppraisalForm(BootstrapMixin, forms.Form):
    units = forms.ModelMultipleChoiceField(
        queryset=HandlingUnit.objects.none(),
        required=False,
        label=_("被评议单位"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    officials = forms.CharField(
        label=_("被评议人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一人，如“财政所所长 张三”"),
    )
    low_score_threshold = forms.IntegerField(
        label=_("满意率整改线(%)"), min_value=1, max_value=100, initial=80
    )
    rectification_workdays = forms.IntegerField(
        label=_("整改期限(工作日)"), min_value=1, max_value=365, initial=20
    )

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units(township_id)
        unit_select(self.fields["units"])
        self._style()

    def targets(self):
        out = [(u, "", "") for u in self.cleaned_data["units"]]
        for line in (self.cleaned_data.get("officials") or "").splitlines():
            if line.strip():
                out.append((None, line.strip()[:40], ""))
        return out


class PaperCountsForm(forms.Form):
    """One row of three counts per target; every field is required and non-negative."""

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for t in self.targets:
            for choice, initial in zip(
                CHOICES, (t.paper_satisfied, t.paper_basic, t.paper_unsatisfied), strict=True
            ):
                self.fields[f"t{t.pk}_{choice}"] = forms.IntegerField(
                    min_value=0,
                    max_value=100000,
                    initial=initial,
                    widget=forms.NumberInput(
                        attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}
                    ),
                )

    def rows(self):
        return [(t, [self[f"t{t.pk}_{c}"] for c in CHOICES]) for t in self.targets]

    def counts(self):
        return {t.pk: tuple(self.cleaned_data[f"t{t.pk}_{c}"] for c in CHOICES) for t in self.targets}


VOTE_LABELS = ((CHOICES[0], _("满意")), (CHOICES[1], _("基本满意")), (CHOICES[2], _("不满意")))


class VoteForm(forms.Form):
    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for t in self.targets:
            self.fields[f"t{t.pk}"] = forms.ChoiceField(
                label=t.label,
                choices=VOTE_LABELS,
                widget=forms.RadioSelect,
                error_messages={"required": _("请选择。")},
            )

    def choices(self):
        return {t.pk: self.cleaned_data[f"t{t.pk}"] for t in self.targets}


class RecordedBallotForm(VoteForm):
    """A deputy's paper ballot, recorded by the office (代录): whose ballot, then every choice."""

    def __init__(self, *args, targets, deputies, **kwargs):
        super().__init__(*args, targets=targets, **kwargs)
        self.fields = {
            "deputy": forms.ModelChoiceField(
                label=_("投票代表"),
                queryset=deputies,
                widget=forms.Select(attrs={"class": "form-select"}),
                error_messages={"required": _("请选择投票代表。")},
            ),
            **self.fields,
        }


class PetitionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Petition
        fields = [
            "received_on",
            "channel",
            "source_kind",
            "deputy",
            "person_name",
            "contact",
            "subject",
            "content",
        ]
        widgets = {"received_on": DATE, "content": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = Deputy.objects.filter(township_id=township_id).order_by(
            "name_pinyin"
        )
        deputy_select(self.fields["deputy"])
        self._style()

    def _post_clean(self):
        pass


class PetitionActionForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(choices=PETITION_TRANSITIONS.choices())
    version = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(queryset=HandlingUnit.objects.none(), required=False, label=_("转办单位"))
    forwarded_to = forms.CharField(label=_("或转交机关"), required=False, max_length=60)
    result = forms.CharField(label=_("办理结果"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(label=_("备注"), required=False)

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(township_id)
        unit_select(self.fields["unit"])
        self._style()


KIND_CHOICES = [("", _("全部类型")), *ActivityKind.choices]
