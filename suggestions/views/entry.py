"""Entering suggestions: a deputy's new item and draft, the office's paper forms (one or a batch)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.selectors import deputy_for_user
from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import show_errors, staff_township

from .. import forms, selectors, services
from ..forms import SuggestionForm
from ..models import (
    Level,
    Status,
)
from .common import _int


@role_required(Role.DEPUTY)
def suggestion_new(request):
    deputy = deputy_for_user(request.user)
    if deputy is None:
        messages.error(request, _("您的账号未关联代表信息，请联系人大办。"))
        return redirect("suggestions:my")
    form = SuggestionForm(
        request.POST or None, request.FILES or None, township=deputy.township, exclude_deputy=deputy
    )
    if request.method == "POST" and form.is_valid():
        try:
            s = services.suggestion_create_by_deputy(
                deputy=deputy,
                actor=request.user,
                submit="submit" in request.POST,
                files=form.cleaned_data["attachments"],
                **{
                    k: form.cleaned_data[k]
                    for k in ("title", "content", "reasons", "solution", "category", "co_deputies")
                },
            )
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(
                request,
                _("建议已提交，人大办将尽快审查。")
                if s.status == Status.SUBMITTED
                else _("草稿已保存，仅您本人可见。"),
            )
            return redirect("suggestions:detail", pk=s.pk)
    return render(request, "suggestions/form.html", {"form": form, "title": _("提出建议")})


@role_required(Role.DEPUTY)
def suggestion_edit(request, pk):
    s = selectors.own_draft(request.user, pk)
    if s is None:
        raise Http404
    initial = {
        "title": s.title,
        "content": s.content,
        "reasons": s.reasons,
        "solution": s.solution,
        "category": s.category,
        "co_deputies": [c.deputy_id for c in s.cosigners.all()],
    }
    form = SuggestionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        township=s.township,
        exclude_deputy=s.lead_deputy,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.suggestion_update_draft(
                    suggestion=s,
                    actor=request.user,
                    files=form.cleaned_data["attachments"],
                    **{
                        k: form.cleaned_data[k]
                        for k in ("title", "content", "reasons", "solution", "category", "co_deputies")
                    },
                )
                if "submit" in request.POST:
                    services.suggestion_submit(suggestion=s, actor=request.user)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("suggestions:detail", pk=s.pk)
    return render(request, "suggestions/form.html", {"form": form, "title": _("修改草稿"), "suggestion": s})


@role_required(Role.STAFF)
def suggestion_paper(request):
    """Staff enter a suggestion handed in on paper (at a session or between sessions), as it arrives."""
    township = staff_township(request)
    if township is None:
        raise Http404
    form = SuggestionForm(request.POST or None, request.FILES or None, township=township, lead_required=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            s = services.suggestion_create_paper(
                township=township,
                actor=request.user,
                lead_deputy=data["lead_deputy"],
                received_on=data["received_on"],
                session=data["session"],
                level=data["level"],
                originals=data["originals"],
                files=data["attachments"],
                **{
                    k: data[k] for k in ("title", "content", "reasons", "solution", "category", "co_deputies")
                },
            )
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("书面建议已录入。"))
            return redirect("suggestions:detail", pk=s.pk)
    return render(request, "suggestions/form.html", {"form": form, "title": _("录入书面建议")})


def _row_count(value, default=10) -> int:
    n = _int(str(value or "")) or default
    return max(1, min(n, forms.MAX_BATCH_ROWS))


@role_required(Role.STAFF)
def suggestion_paper_batch(request):
    """After a session: a stack of paper suggestions on one keyboard-friendly page, one row each,
    saved all or nothing; then the ones just entered are assigned in batch (交办会)."""
    township = staff_township(request)
    if township is None:
        raise Http404
    picker = forms.deputy_picker(township)
    count = _row_count(request.POST.get("rows") or request.GET.get("rows"))
    header = forms.PaperBatchHeaderForm(
        request.POST or None,
        township=township,
        initial={"received_on": timezone.localdate(), "accept": True},
    )
    raw = [{"n": i} for i in range(1, count + 1)]
    errors: list[str] = []
    if request.method == "POST" and "more" in request.POST:
        # More rows, keeping what was typed: nothing is saved yet.
        _rows, _errors, raw = forms.parse_batch_rows(request.POST, picker, count)
        count = _row_count(count + 10)
        raw += [{"n": i} for i in range(len(raw) + 1, count + 1)]
    elif request.method == "POST":
        rows, errors, raw = forms.parse_batch_rows(request.POST, picker, count)
        if not header.is_valid():
            errors = [
                f"{header.fields[k].label}：{m}" for k, ms in header.errors.items() for m in ms
            ] + errors
        elif not rows and not errors:
            errors = [_("请至少填写一行建议。")]
        if not errors:
            data = header.cleaned_data
            try:
                created = services.suggestion_create_paper_batch(
                    township=township,
                    actor=request.user,
                    rows=rows,
                    received_on=data["received_on"],
                    session=data["session"],
                    accept=data["accept"],
                )
            except (ValidationError, PermissionDenied) as exc:
                errors = list(getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(request, _("已录入 %(n)s 条书面建议。") % {"n": len(created)})
                return redirect(
                    f"{reverse('suggestions:paper_batch')}?done={','.join(str(s.pk) for s in created)}"
                )
        for msg in errors:
            messages.error(request, msg)
    done_ids = [i for i in map(_int, (request.GET.get("done") or "").split(",")) if i][: forms.MAX_BATCH_ROWS]
    done = (
        list(
            selectors.suggestions_visible_to(request.user)
            .filter(township=township, pk__in=done_ids)
            .order_by("seq", "pk")
        )
        if done_ids
        else []
    )
    return render(
        request,
        "suggestions/paper_batch.html",
        {
            "header": header,
            "raw_rows": raw,
            "rows": count,
            "picker": list(picker),
            "categories": township.rules.categories,
            "levels": Level.choices,
            "done": done,
            "done_path": request.get_full_path(),
            "units": selectors.assignable_units([township.pk]) if done else [],
        },
    )
