from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JobKind
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
    kind = forms.ChoiceField(label=_("类型"), choices=JobKind.choices)
    year = forms.IntegerField(label=_("年度"))
