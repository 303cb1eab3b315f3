"""Terms (届次): list and create, close a term, change of term (换届)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import call_service, can_edit, chosen_township, show_errors, staff_township

from .. import forms, selectors, services
from .common import READERS


@role_required(*READERS)
def terms(request):
    township, visible = chosen_township(request)
    if township is None:
        raise Http404
    form = forms.TermForm(request.POST or None)
    if request.method == "POST":
        own = staff_township(request)
        if form.is_valid() and call_service(
            request,
            lambda: services.term_create(township=own, actor=request.user, **form.cleaned_data),
            _("已新建届次。"),
        ):
            return redirect("deputies:terms")
    rows = selectors.term_rows(request.user, township=township)
    return render(
        request,
        "deputies/terms.html",
        {
            "rows": rows,
            "form": form,
            "close_form": forms.TermCloseForm(initial={"effective_date": timezone.localdate()}),
            "change_term_id": _term_to_change(rows),
            "township": township,
            "townships": visible if request.user.role == Role.COUNTY else None,
            "can_edit": can_edit(request),
        },
    )


def _term_to_change(rows) -> int | None:
    """The newest term, while the one before it still has deputies in office: 换届 is pending."""
    rows = list(rows)
    if len(rows) >= 2 and rows[1].serving and rows[0].total:
        return rows[0].pk
    return None


def _term_step(request, pk, form_class, invalid: str, service, term_arg: str, done_message):
    """Validate the posted form, run ``service`` on the term with the form's data and say how it
    went; back to the list."""
    term = get_object_or_404(selectors.terms_visible_to(request.user), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
        return redirect("deputies:terms")
    try:
        done = service(**{term_arg: term}, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, done_message(term, done))
    return redirect("deputies:terms")


def _changed(term, done) -> str:
    return _(
        "换届完成：上一届 %(closed)s 名代表届满，%(term)s %(started)s 名代表开始履职；"
        "沿用代表小组 %(groups)s 个、联络站 %(stations)s 个、值班安排 %(days)s 场，请核对后修改。"
    ) % {
        "closed": done["closed"],
        "term": term,
        "started": done["started"],
        "groups": done["groups"],
        "stations": done["stations"],
        "days": done["reception_days"],
    }


def _closed(term, n) -> str:
    return _("%(t)s已届满，%(n)s 名代表的状态已变更为“届满”。") % {"t": term, "n": n}


@require_POST
@role_required(Role.STAFF)
def term_change(request, pk):
    invalid = _("请填写正确的换届日期。")
    return _term_step(request, pk, forms.TermChangeForm, invalid, services.term_change, "new_term", _changed)


@require_POST
@role_required(Role.STAFF)
def term_close(request, pk):
    invalid = _("请填写正确的届满日期。")
    return _term_step(request, pk, forms.TermCloseForm, invalid, services.term_close, "term", _closed)
