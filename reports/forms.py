from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EXPORT_KINDS, JobKind
from .services import MAX_NARRATIVE_CHARS


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("正文"),
        required=False,
        max_length=MAX_NARRATIVE_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        help_text=_("每段一行；数字由系统自动生成，无需手工填写。"),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class JobForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=[(k, v) for k, v in JobKind.choices if k not in EXPORT_KINDS]
    )
    year = forms.IntegerField(label=_("年度"))


class _Styled:
    def style(self):
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class DocumentForm(_Styled, forms.ModelForm):
    copy = forms.FileField(
        label=_("存档文件"), required=False, help_text=_("PDF、图片或 Office 文件，最大 20 MB。")
    )

    class Meta:
        from .models import Document

        model = Document
        fields = ["direction", "number", "issuer", "date", "title", "handling"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "handling": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class DeedForm(_Styled, forms.ModelForm):
    class Meta:
        from .models import ExemplaryDeed

        model = ExemplaryDeed
        fields = ["deputy", "date", "title", "content", "source", "source_note", "verified_by"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "content": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        from deputies.models import Deputy

        self.fields["deputy"].queryset = Deputy.objects.filter(township=township).order_by(
            "name_pinyin", "pk"
        )
        self.style()
