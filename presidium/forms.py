from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import County, Township


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("用户名/手机号或密码不正确。连续失败 5 次将锁定 30 分钟。"),
        "inactive": _("该账号已停用，请联系人大办。"),
    }


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("例如：县人大数据大屏"))
    township = forms.ModelChoiceField(
        label=_("适用乡镇"), queryset=Township.objects.none(), required=False, empty_label=_("(全县)")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        from .selectors import townships_visible_to

        self.fields["township"].queryset = townships_visible_to(user)
        if user.role == "staff":
            self.fields["township"].required = True
            self.fields["township"].empty_label = None

    def scope(self):
        township = self.cleaned_data.get("township")
        county = None
        if township is None:
            county = County.objects.filter(pk=self.user.county_id).first()
        return township, county


class CountyRulesForm(forms.ModelForm):
    class Meta:
        from .models import CountyRules

        model = CountyRules
        fields = [f.name for f in CountyRules._meta.fields if f.name not in ("id", "county")]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4, "class": "font-monospace"})
            for name in (
                "categories",
                "outcome_classes",
                "not_accepted_reasons",
                "six_ones_targets",
                "archive_weights",
                "reminder_rules",
            )
        }

    def clean(self):
        from .models import CountyRules

        data = super().clean()
        for name, messages in CountyRules.errors_in(data).items():
            for message in messages:
                self.add_error(name, message)
        return data
