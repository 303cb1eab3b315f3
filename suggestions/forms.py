import re

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.forms import label_deputy_choices, serving_deputies
from deputies.models import Deputy
from deputies.pickers import deputy_select

from .attachments import MAX_FILES, validate_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个附件。") % {"n": MAX_FILES})
        out = []
        for f in files:
            f = super().clean(f, initial)
            validate_upload(f)
            out.append(f)
        return out


class DeputyChoiceField(forms.ModelChoiceField):
    """A deputy of the township; county-level deputies organised there say so after the name."""

    def label_from_instance(self, obj):
        return deputy_label(obj)


class DeputyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return deputy_label(obj)


def deputy_label(deputy) -> str:
    return deputy.choice_label


def session_choices(township):
    from congress.models import Session

    return (
        Session.objects.filter(township=township)
        .exclude(status=Session.Status.CANCELLED)
        .select_related("term")
        .order_by("-start_date", "-pk")
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.start_date:%Y-%m-%d}）"


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, help_text=_("一事一议：一条建议只写一件事。"))
    category = forms.ChoiceField(label=_("分类"), required=False)
    content = forms.CharField(label=_("内容（发现的问题）"), widget=forms.Textarea(attrs={"rows": 5}))
    reasons = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    solution = forms.CharField(label=_("建议办法"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    co_deputies = DeputyMultipleChoiceField(
        label=_("邀请联名代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("被邀请的代表在手机上确认后成为联名代表。"),
    )
    attachments = MultipleFileField(label=_("附件（图片或 PDF，单个不超过 10 MB）"))

    def __init__(self, *args, township, exclude_deputy=None, lead_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("请选择")), *[(c, c) for c in township.rules.categories]]
        deputies = serving_deputies(township)
        if exclude_deputy is not None:
            deputies = deputies.exclude(pk=exclude_deputy.pk)
        self.fields["co_deputies"].queryset = deputies
        deputy_select(self.fields["co_deputies"])
        if lead_required:
            # A paper suggestion as it arrives: who made it, when it was received, at which session
            # (or between sessions), its category and level, and the scanned original.
            from django.utils import timezone

            from .models import Level

            self.fields["co_deputies"].label = _("联名代表")
            self.fields["co_deputies"].help_text = _("书面建议上签名的联名代表，录入即为已确认。")
            self.fields = {
                "lead_deputy": deputy_select(DeputyChoiceField(label=_("领衔代表"), queryset=deputies)),
                "co_deputies": self.fields.pop("co_deputies"),
                "received_on": forms.DateField(
                    label=_("收到日期"),
                    initial=timezone.localdate,
                    widget=forms.DateInput(attrs={"type": "date"}),
                    help_text=_("编号和统计年度以收到日期为准。"),
                ),
                "session": SessionChoiceField(
                    label=_("提出时间"),
                    queryset=session_choices(township),
                    required=False,
                    empty_label=_("闭会期间"),
                ),
                **self.fields,
                "level": forms.ChoiceField(
                    label=_("办理层级"), choices=Level.choices, initial=Level.TOWNSHIP
                ),
                "originals": MultipleFileField(label=_("书面原件扫描件（图片或 PDF）")),
            }
        label_deputy_choices(self)
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field, forms.BooleanField)
                else ("form-select" if isinstance(field.widget, forms.Select) else "form-control")
            )
            field.widget.attrs.setdefault("class", css)


class PaperBatchHeaderForm(forms.Form):
    """The part shared by every row of a batch: when the stack was received, at which session."""

    received_on = forms.DateField(
        label=_("收到日期"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    session = SessionChoiceField(
        label=_("提出时间"),
        queryset=None,
        required=False,
        empty_label=_("闭会期间"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    accept = forms.BooleanField(
        label=_("录入后即立案编号（须填分类）"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = session_choices(township)


ROW_FIELDS = ("lead", "co", "title", "content", "category", "level")
NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")
MAX_BATCH_ROWS = 100


def deputy_picker(township) -> dict[str, Deputy]:
    """Label → serving deputy of the township (county-level deputies organised there included). The
    label is the name, or "name（certificate no.）" when two deputies share a name."""
    deputies = list(
        Deputy.objects.filter(township=township, status=Deputy.Status.SERVING).order_by("name_pinyin", "pk")
    )
    counts: dict[str, int] = {}
    for d in deputies:
        counts[d.name] = counts.get(d.name, 0) + 1
    return {
        (d.name if counts[d.name] == 1 else f"{d.name}（{d.certificate_no or d.pk}）"): d for d in deputies
    }


def parse_batch_rows(data, picker: dict, count: int) -> tuple[list, list[str], list[dict]]:
    """Read the posted rows: ``(rows for the service, row-numbered errors, raw rows to re-display)``.
    Blank rows are skipped; a name that is not a serving deputy of the township is an error."""
    rows, errors, raw = [], [], []
    for i in range(1, count + 1):
        values = {f: (data.get(f"r{i}-{f}") or "").strip() for f in ROW_FIELDS}
        raw.append({"n": i, **values})
        if not any(values[f] for f in ("lead", "co", "title", "content")):
            continue
        lead = picker.get(values["lead"]) if values["lead"] else None
        if values["lead"] and lead is None:
            errors.append(_("第%(n)s行：“%(name)s”不是本乡镇在任代表。") % {"n": i, "name": values["lead"]})
        co = []
        for name in [x for x in NAME_SEPARATORS.split(values["co"]) if x]:
            deputy = picker.get(name)
            if deputy is None:
                errors.append(_("第%(n)s行：联名代表“%(name)s”不是本乡镇在任代表。") % {"n": i, "name": name})
            else:
                co.append(deputy)
        rows.append(
            (
                i,
                {
                    "lead_deputy": lead,
                    "co_deputies": co,
                    "title": values["title"],
                    "content": values["content"],
                    "category": values["category"],
                    "level": values["level"],
                },
            )
        )
    return rows, errors, raw
