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
        data = super().clean()
        for prefix in ("session_quorum", "resolution_majority", "presidium_quorum", "presidium_majority"):
            num, den = data.get(f"{prefix}_num"), data.get(f"{prefix}_den")
            if num is not None and den is not None and (den == 0 or num > den):
                self.add_error(f"{prefix}_num", _("比例须在 0 到 1 之间（分子不大于分母，分母不为 0）。"))
        classes = data.get("outcome_classes")
        valid_classes = isinstance(classes, list) and all(
            isinstance(c, dict) and c.get("code") and c.get("label") for c in classes
        )
        if classes is not None and not valid_classes:
            self.add_error("outcome_classes", _("每个办理结果分类须包含 code 和 label。"))
        for name in ("categories", "not_accepted_reasons"):
            value = data.get(name)
            if value is not None and (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) and v.strip() for v in value)
            ):
                self.add_error(name, _('请填写非空的文本列表，例如 ["道路建设", "水利设施"]。'))
        for name in ("six_ones_targets", "archive_weights", "reminder_rules"):
            value = data.get(name)
            if value is not None and not isinstance(value, dict):
                self.add_error(name, _("请填写 JSON 对象。"))
        if (
            data.get("presidium_min_members")
            and data.get("presidium_max_members")
            and (data["presidium_min_members"] > data["presidium_max_members"])
        ):
            self.add_error("presidium_max_members", _("最多人数不能小于最少人数。"))
        return data
