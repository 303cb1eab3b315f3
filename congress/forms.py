"""HTML forms. They validate input only; every write goes through congress.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Term
from deputies.pickers import deputy_select
from presidium.uploads import DOCUMENTS, IMAGES_AND_PDF, check_upload

from .models import AgendaItem, Attendance, Election, MeetingTopic, Observer, PresidiumMembership, Session

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapMixin:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class SessionForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(Term.objects.none(), label=_("届次"))
    number = forms.IntegerField(label=_("会次"), min_value=1, max_value=99)
    kind = forms.ChoiceField(label=_("会议类型"), choices=Session.Kind.choices)
    start_date = forms.DateField(label=_("开幕日期"), widget=DATE)
    end_date = forms.DateField(label=_("闭幕日期"), widget=DATE, required=False)
    place = forms.CharField(label=_("会议地点"), max_length=100, required=False)

    def __init__(self, *args, township=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(township=township).order_by("-number")
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("闭幕日期不能早于开幕日期。"))
        return data


class SessionEditForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=Session.Kind.choices)
    start_date = forms.DateField(label=_("开幕日期"), widget=DATE)
    end_date = forms.DateField(label=_("闭幕日期"), widget=DATE, required=False)
    place = forms.CharField(label=_("会议地点"), max_length=100, required=False)
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AgendaItemForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("议程类型"), choices=[c for c in AgendaItem.Kind.choices if c[0] != AgendaItem.Kind.MOTION]
    )
    title = forms.CharField(
        label=_("议题"), max_length=200, required=False, help_text=_("接受代表辞职的议题可留空，自动生成。")
    )
    deputy = forms.ModelChoiceField(
        label=_("辞职代表"),
        queryset=Deputy.objects.none(),
        required=False,
        help_text=_("仅“接受代表辞职”议程：经全体代表过半数表决通过后辞职生效。"),
    )
    document = forms.FileField(label=_("报告文件"), required=False)
    document_sent_on = forms.DateField(label=_("送达代表日期"), widget=DATE, required=False)

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None:
            from .selectors import session_deputies

            self.fields["deputy"].queryset = session_deputies(session).order_by("name_pinyin")
        deputy_select(self.fields["deputy"])
        self._style()

    def clean_document(self):
        doc = self.cleaned_data.get("document")
        if doc:
            check_upload(doc, allowed=DOCUMENTS, max_bytes=20 * 1024 * 1024, max_name=80)
        return doc


class SentForm(forms.Form):
    document_sent_on = forms.DateField(label=_("送达代表日期"), widget=DATE)


class TallyForm(BootstrapMixin, forms.Form):
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0, max_value=9999)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0, max_value=9999)
    abstentions = forms.IntegerField(label=_("弃权"), min_value=0, max_value=9999)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class TopicVoteForm(TallyForm):
    decision = forms.CharField(label=_("决定事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObserverForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=30)
    affiliation = forms.CharField(label=_("单位及职务"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=Observer.Kind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MotionForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("案由"), max_length=200)
    grounds = forms.CharField(label=_("案据"), widget=forms.Textarea(attrs={"rows": 4}))
    plan = forms.CharField(label=_("方案"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_deputy = forms.ModelChoiceField(queryset=None, label=_("领衔代表"))
    co_deputies = forms.ModelMultipleChoiceField(
        queryset=None, label=_("附议代表"), required=False, widget=forms.CheckboxSelectMultiple
    )
    received_on = forms.DateField(
        label=_("收到日期"),
        widget=DATE,
        initial=timezone.localdate,
        required=False,
        help_text=_("书面议案交到主席团的日期（不填为今天）。"),
    )
    category = forms.ChoiceField(label=_("分类"), required=False)
    level = forms.ChoiceField(
        label=_("办理层级"),
        required=False,
        choices=[
            ("township", _("本级办理")),
            ("county", _("转县(市)办理")),
            ("village", _("转村(社区)办理")),
        ],
    )
    original = forms.FileField(label=_("原件扫描件（图片或 PDF）"), required=False)

    def __init__(self, *args, deputies=None, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_deputy"].queryset = deputies
        self.fields["co_deputies"].queryset = deputies
        self.fields["category"].choices = [("", "—"), *[(c, c) for c in categories]]
        deputy_select(self.fields["lead_deputy"])
        deputy_select(self.fields["co_deputies"])
        self._style()

    def clean_original(self):
        scan = self.cleaned_data.get("original")
        if scan:
            check_upload(scan, allowed=IMAGES_AND_PDF, max_name=80)
        return scan


class ElectionForm(BootstrapMixin, forms.Form):
    position = forms.ChoiceField(label=_("职务"), choices=Election.Position.choices)
    kind = forms.ChoiceField(label=_("类型"), choices=Election.Kind.choices)
    seats = forms.IntegerField(label=_("应选名额"), min_value=1, max_value=20, initial=1)
    deputy_candidates = forms.ModelMultipleChoiceField(
        queryset=None, label=_("代表候选人"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    other_candidates = forms.CharField(
        label=_("其他候选人(每行一人)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("镇长、副镇长等非代表候选人"),
    )

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy_candidates"].queryset = deputies
        deputy_select(self.fields["deputy_candidates"])
        self._style()

    def candidates(self):
        out = [(d.name, d) for d in self.cleaned_data.get("deputy_candidates") or []]
        out += [
            (line.strip(), None)
            for line in self.cleaned_data.get("other_candidates", "").splitlines()
            if line.strip()
        ]
        return out


class ElectionCountForm(forms.Form):
    BALLOTS = (
        ("issued", _("发出选票")),
        ("returned", _("收回选票")),
        ("valid", _("有效票")),
        ("invalid", _("无效票")),
    )

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in self.BALLOTS:
            self.fields[f"ballots_{key}"] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=9999,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )
        for c in election.candidates.all():
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=c.name,
                min_value=0,
                max_value=9999,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def votes(self):
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if k.startswith("c")}

    def ballots(self):
        return {key: self.cleaned_data[f"ballots_{key}"] for key, _label in self.BALLOTS}


class MembershipForm(BootstrapMixin, forms.Form):
    deputy = forms.ModelChoiceField(queryset=None, label=_("代表"))
    role = forms.ChoiceField(label=_("职务"), choices=PresidiumMembership.Role.choices)

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        deputy_select(self.fields["deputy"])
        self._style()


class EndForm(forms.Form):
    end_date = forms.DateField(label=_("终止日期"), widget=DATE)


class MeetingForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(Term.objects.none(), label=_("届次"))
    date = forms.DateField(label=_("会议日期"), widget=DATE)
    place = forms.CharField(label=_("会议地点"), max_length=100, required=False)
    chair = forms.ModelChoiceField(queryset=None, label=_("主持人"), required=False)

    def __init__(self, *args, township=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(township=township).order_by("-number")
        self.fields["chair"].queryset = members
        self._style()


class TopicForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("议题类型"), choices=MeetingTopic.Kind.choices)
    title = forms.CharField(label=_("议题"), max_length=200)
    reference = forms.CharField(label=_("关联事项"), max_length=200, required=False)
    suggestion_no = forms.CharField(
        label=_("关联建议编号"), max_length=20, required=False, help_text=_("如 2025-017")
    )
    activity = forms.ModelChoiceField(queryset=None, label=_("关联监督活动"), required=False)
    decision = forms.CharField(label=_("决定事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, township_id=None, **kwargs):
        from . import selectors

        super().__init__(*args, **kwargs)
        self.township_id = township_id
        activities = selectors.linkable_activities(township_id) if township_id else None
        if activities is None:
            del self.fields["activity"]
        else:
            self.fields["activity"].queryset = activities
        self._style()

    def clean(self):
        from . import selectors

        data = super().clean()
        number = (data.get("suggestion_no") or "").strip()
        data["link"] = data.get("activity")
        if number:
            suggestion = selectors.suggestion_by_number(self.township_id, number)
            if suggestion is None:
                self.add_error("suggestion_no", _("本乡镇没有编号为 %(n)s 的建议。") % {"n": number})
            elif data["link"] is not None:
                self.add_error("suggestion_no", _("一个议题只能关联一项：建议或监督活动。"))
            else:
                data["link"] = suggestion
        return data

    def service_kwargs(self):
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "title": d["title"],
            "reference": d["reference"],
            "decision": d["decision"],
            "link": d.get("link"),
        }


class MinutesForm(BootstrapMixin, forms.Form):
    minutes = forms.CharField(label=_("会议记录"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    recorder = forms.CharField(label=_("记录人"), max_length=30, required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MarkForm(forms.Form):
    status = forms.ChoiceField(choices=Attendance.Status.choices)
