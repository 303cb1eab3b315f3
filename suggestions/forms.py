from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy

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


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, help_text=_("一事一议：一条建议只写一件事。"))
    category = forms.ChoiceField(label=_("分类"), required=False)
    content = forms.CharField(label=_("内容（发现的问题）"), widget=forms.Textarea(attrs={"rows": 5}))
    reasons = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    solution = forms.CharField(label=_("建议办法"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    co_deputies = forms.ModelMultipleChoiceField(
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
        deputies = Deputy.objects.filter(township=township, status=Deputy.Status.SERVING).order_by(
            "name_pinyin"
        )
        if exclude_deputy is not None:
            deputies = deputies.exclude(pk=exclude_deputy.pk)
        self.fields["co_deputies"].queryset = deputies
        if lead_required:
            self.fields = {
                "lead_deputy": forms.ModelChoiceField(label=_("领衔代表"), queryset=deputies),
                **self.fields,
            }
            self.fields["during_session"] = forms.BooleanField(
                label=_("大会期间提出"), required=False, initial=True
            )
        for field in self.fields.values():
            css = (
                "form-check-input"
                if isinstance(field, forms.BooleanField)
                else ("form-select" if isinstance(field.widget, forms.Select) else "form-control")
            )
            field.widget.attrs.setdefault("class", css)
