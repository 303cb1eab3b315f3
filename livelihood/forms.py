from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Session
from deputies.forms import serving_deputies
from deputies.models import VoterOpinion
from supervision.forms import DATE, BootstrapMixin, _units
from supervision.models import ActivityKind, SupervisionActivity

from .models import Project


class ProjectForm(BootstrapMixin, forms.ModelForm):
    suggestion = forms.ModelChoiceField(
        label=_("来源代表建议"),
        queryset=None,
        required=False,
        help_text=_("由代表建议转来时选择，领衔代表记为提出代表。"),
    )
    opinion = forms.ModelChoiceField(label=_("来源选民意见"), queryset=None, required=False)

    class Meta:
        model = Project
        fields = [
            "year",
            "title",
            "content",
            "location",
            "estimated_cost",
            "unit",
            "leader",
            "planned_completion",
            "source",
            "proposers",
        ]
        widgets = {
            "planned_completion": DATE,
            "content": forms.Textarea(attrs={"rows": 4}),
            "proposers": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, township_id, **kwargs):
        from suggestions.models import Suggestion

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(township_id)
        self.fields["proposers"].queryset = serving_deputies(township_id)
        self.fields["proposers"].required = False
        self.fields["suggestion"].queryset = Suggestion.objects.filter(township_id=township_id).order_by(
            "-pk"
        )
        self.fields["opinion"].queryset = VoterOpinion.objects.filter(township_id=township_id).order_by("-pk")
        self.fields["opinion"].label_from_instance = lambda o: f"{o.received_on:%Y-%m-%d} {o.content[:30]}"
        self.fields["year"].initial = timezone.localdate().year
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("suggestion") and data.get("opinion"):
            raise forms.ValidationError(_("来源只能选择一项：代表建议或选民意见。"))
        return data


class VetForm(BootstrapMixin, forms.Form):
    session = forms.ModelChoiceField(label=_("提交人代会"), queryset=None, required=False)
    comment = forms.CharField(label=_("审查意见"), max_length=300, required=False)

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            Session.objects.filter(
                township_id=township_id,
                status__in=(Session.Status.PLANNED, Session.Status.PREPARING, Session.Status.IN_SESSION),
            )
            .select_related("term", "township")
            .order_by("-start_date")
        )
        self._style()


class MilestoneForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("节点"), max_length=120)
    due_date = forms.DateField(label=_("计划完成日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ProgressForm(BootstrapMixin, forms.Form):
    percent = forms.IntegerField(label=_("完成进度(%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    photo = forms.FileField(label=_("现场照片"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class SupervisorsForm(BootstrapMixin, forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        label=_("监督小组代表"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = serving_deputies(township_id)
        self._style()


class ActivityLinkForm(BootstrapMixin, forms.Form):
    activity = forms.ModelChoiceField(label=_("视察活动"), queryset=None)

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = SupervisionActivity.objects.filter(
            township_id=township_id, kind__in=(ActivityKind.INSPECTION, ActivityKind.SPECIAL_OVERSIGHT)
        ).order_by("-start_date")
        self._style()


class PaperCountForm(BootstrapMixin, forms.Form):
    """Paper totals: the four ballot counts and one approval count per candidate."""

    issued = forms.IntegerField(label=_("发出选票"), min_value=0, max_value=10000)
    returned = forms.IntegerField(label=_("收回选票"), min_value=0, max_value=10000)
    valid = forms.IntegerField(label=_("有效票"), min_value=0, max_value=10000)
    invalid = forms.IntegerField(label=_("无效票"), min_value=0, max_value=10000)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = list(projects)
        for p in self.projects:
            self.fields[f"votes_{p.pk}"] = forms.IntegerField(
                label=p.title, min_value=0, max_value=10000, required=True
            )
        self._style()

    def ballots(self):
        return {k: self.cleaned_data[k] for k in ("issued", "returned", "valid", "invalid")}

    def votes(self):
        return {p.pk: self.cleaned_data[f"votes_{p.pk}"] for p in self.projects}
