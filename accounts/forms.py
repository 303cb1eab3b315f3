from django import forms
from django.utils.translation import gettext_lazy as _

from presidium.models import HandlingUnit, StaffTitle, Township

SEND_SMS_HELP = _("临时密码同时通过短信发给本人（凭条仍只显示这一次）。")


class _LoginFields(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=30)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        required=False,
        help_text=_("可用手机号码登录；发短信需要手机号。"),
    )
    username = forms.CharField(
        label=_("登录名"), max_length=150, required=False, help_text=_("不填则以手机号码作为登录名。")
    )
    send_sms = forms.BooleanField(label=_("短信发送临时密码"), required=False, help_text=SEND_SMS_HELP)


class UnitOfficerForm(_LoginFields):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=HandlingUnit.objects.none())
    field_order = ["unit", "full_name", "phone", "username", "send_sms"]

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(township=township, is_active=True)


class TownshipStaffForm(_LoginFields):
    township = forms.ModelChoiceField(label=_("乡镇(街道)"), queryset=Township.objects.none())
    staff_title = forms.ChoiceField(label=_("职务"), choices=StaffTitle.choices, initial=StaffTitle.SECRETARY)
    field_order = ["township", "full_name", "staff_title", "phone", "username", "send_sms"]

    def __init__(self, *args, county_id, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Township.objects.all()
        self.fields["township"].queryset = qs.filter(county_id=county_id) if county_id else qs


class UnitForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=60, help_text=_("例如：镇财政所、镇派出所"))
    responsible_leader = forms.CharField(label=_("分管领导"), max_length=30, required=False)
