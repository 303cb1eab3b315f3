from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel


class PreferencesForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("除站内消息外，还通过以下方式提醒我"),
        choices=[(Channel.SMS, _("短信")), (Channel.EMAIL, _("电子邮件"))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
