"""Session pages: list, detail, roll call, motions, elections, printed sheets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.pdf import pdf_response, render_pdf
from presidium.selectors import can_edit_township
from presidium.viewkit import call_service, error_text, own_township, page_of, show_form_errors

from .. import forms, selectors, services
from ..models import AgendaItem, Attendance, Motion, Session
from .base import add_observer, post_action, readers, staff_only

# ---------------------------------------------------------------- sessions


@readers
def session_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in Session.Status.values:
        status = ""
    page = page_of(request, selectors.session_list(request.user, q=q, status=status))
    township = request.user.township
    warnings = selectors.township_warnings(township) if township else []
    return render(
        request,
        "congress/session_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": Session.Status.choices,
            "warnings": warnings,
            "can_edit": request.user.role == Role.STAFF,
        },
    )


@staff_only
def session_create(request):
    township = own_township(request)
    if township is None:
        messages.error(request, _("您的账号没有所属乡镇。"))
        return redirect("congress:index")
    form = forms.SessionForm(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        created = call_service(
            request,
            lambda: services.session_create(township=township, actor=request.user, **form.cleaned_data),
        )
        if created:
            messages.success(request, _("已创建：%(s)s") % {"s": created.value})
            return redirect("congress:session_detail", pk=created.value.pk)
    return render(
        request,
        "congress/form.html",
        {"form": form, "title": _("新建人代会"), "back": reverse("congress:index")},
    )


@readers
def session_detail(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    items = list(session.agenda_items.select_related("vote", "motion").order_by("order", "pk"))
    for item in items:
        item.session = session
    return render(
        request,
        "congress/session_detail.html",
        {
            "session": session,
            "items": items,
            "quorum": selectors.session_quorum(session),
            "observers": session.observers.all(),
            "motions": session.motions.select_related("lead_deputy").order_by("pk"),
            "elections": session.elections.prefetch_related("candidates").order_by("pk"),
            "events": session.events.select_related("actor"),
            "next_statuses": [
                Session.Status(s) for s in services.SESSION_TRANSITIONS.targets(session.status)
            ],
            "opening_warnings": (
                selectors.opening_warnings(session)
                if Session.Status.IN_SESSION in services.SESSION_TRANSITIONS.targets(session.status)
                else []
            ),
            "can_edit": can_edit_township(request.user, session.township_id),
            "agenda_form": forms.AgendaItemForm(session=session),
            "observer_form": forms.ObserverForm(),
            "tally_form": forms.TallyForm(),
            "today": timezone.localdate(),
            "votable": [str(k) for k in AgendaItem.VOTABLE_KINDS],
            "session_notice_url": reverse("congress:session_notice", args=[session.pk]),
        },
    )


@staff_only
def session_edit(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    initial = {
        "kind": session.kind,
        "start_date": session.start_date,
        "end_date": session.end_date,
        "place": session.place,
        "expected": session.status,
    }
    form = forms.SessionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(
            request,
            lambda: services.session_update(
                session=session,
                actor=request.user,
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                place=data["place"],
                expected_status=data["expected"] or None,
            ),
            _("会议信息已修改。"),
        ):
            return redirect("congress:session_detail", pk=pk)
    return render(
        request,
        "congress/form.html",
        {
            "form": form,
            "title": _("修改会议信息") + f"：{session}",
            "back": reverse("congress:session_detail", args=[pk]),
        },
    )


def _session_for_staff(request, pk):
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)


@post_action
def session_transition(request, pk):
    session = _session_for_staff(request, pk)
    to = request.POST.get("to", "")
    if to not in Session.Status.values:
        raise ValidationError(_("请选择目标状态。"))
    services.session_transition(
        session=session,
        to_status=to,
        actor=request.user,
        comment=request.POST.get("comment", ""),
        expected_status=request.POST.get("expected") or None,
        confirm_warnings=request.POST.get("confirm") == "1",
    )
    messages.success(request, _("会议状态已更新。"))
    return redirect("congress:session_detail", pk=pk)


@post_action
def session_checklist(request, pk):
    session = _session_for_staff(request, pk)
    services.session_set_checklist(
        session=session,
        item=request.POST.get("item", ""),
        done=request.POST.get("done") == "1",
        actor=request.user,
    )
    return redirect("congress:session_detail", pk=pk)


@post_action
def agenda_add(request, pk):
    session = _session_for_staff(request, pk)
    form = forms.AgendaItemForm(request.POST, request.FILES, session=session)
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
    else:
        services.agenda_item_add(session=session, actor=request.user, **form.cleaned_data)
        messages.success(request, _("议程已添加。"))
    return redirect("congress:session_detail", pk=pk)


@post_action
def agenda_sent(request, pk):
    item = get_object_or_404(selectors.agenda_items_visible_to(request.user), pk=pk)
    form = forms.SentForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
    else:
        services.agenda_item_mark_sent(
            item=item, sent_on=form.cleaned_data["document_sent_on"], actor=request.user
        )
        messages.success(request, _("已登记送达日期。"))
    return redirect("congress:session_detail", pk=item.session_id)


@readers
def agenda_document(request, pk):
    """Report documents are served through visibility checks, never as public media URLs."""
    from presidium.uploads import serve_upload

    item = get_object_or_404(selectors.agenda_items_visible_to(request.user), pk=pk)
    return serve_upload(item.document, name=item.document.name.rsplit("/", 1)[-1])


@post_action
def vote_record(request, pk):
    item = get_object_or_404(selectors.agenda_items_visible_to(request.user), pk=pk)
    form = forms.TallyForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
    else:
        vote = services.vote_record(item=item, actor=request.user, **form.cleaned_data)
        if vote.passed:
            messages.success(
                request,
                _("表决通过（赞成 %(f)s 票，超过全体代表 %(t)s 人的半数）。")
                % {"f": vote.votes_for, "t": vote.total_deputies},
            )
        else:
            messages.warning(
                request,
                _("未通过（赞成 %(f)s 票，未超过全体代表 %(t)s 人的半数）。")
                % {"f": vote.votes_for, "t": vote.total_deputies},
            )
    return redirect("congress:session_detail", pk=item.session_id)


@post_action
def session_observer_add(request, pk):
    session = _session_for_staff(request, pk)
    return add_observer(request, detail="congress:session_detail", pk=pk, session=session)


@post_action
def session_notice(request, pk):
    session = _session_for_staff(request, pk)
    n = services.session_send_notice(session=session, actor=request.user, url=reverse("congress:my_meetings"))
    messages.success(request, _("会议通知已发送给 %(n)s 名有账号的代表。") % {"n": n})
    return redirect("congress:session_detail", pk=pk)


# ---------------------------------------------------------------- roll call


@staff_only
def roll_call(request, pk):
    session = _session_for_staff(request, pk)
    q = request.GET.get("q", "").strip()
    rows = list(selectors.roll_call_rows(session, q=q))
    return render(
        request,
        "congress/roll_call.html",
        {
            "session": session,
            "rows": rows,
            "q": q,
            "quorum": selectors.session_quorum(session),
            "statuses": Attendance.Status.choices,
            "open": session.status in services.MARKABLE_SESSION,
        },
    )


@require_POST
@staff_only
def roll_mark(request, pk, deputy_pk):
    session = _session_for_staff(request, pk)
    deputy = get_object_or_404(selectors.session_deputies(session), pk=deputy_pk)
    form = forms.MarkForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("请选择出席、请假或缺席。")
    else:
        try:
            services.attendance_mark(
                session=session, deputy=deputy, status=form.cleaned_data["status"], actor=request.user
            )
        except ValidationError as exc:
            error = error_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("congress:roll_call", pk=pk)
    deputy.marks = selectors.attendance_marks(session, deputy)
    return render(
        request,
        "congress/_roll_row.html",
        {
            "session": session,
            "d": deputy,
            "statuses": Attendance.Status.choices,
            "error": error,
            "quorum": selectors.session_quorum(session),
            "oob": True,
            "open": True,
        },
        status=200,
    )


@staff_only
def roll_quorum(request, pk):
    session = _session_for_staff(request, pk)
    return render(
        request, "congress/_quorum.html", {"session": session, "quorum": selectors.session_quorum(session)}
    )


@require_POST
@staff_only
def election_next_round(request, pk):
    election = get_object_or_404(selectors.elections_visible_to(request.user), pk=pk)
    arranged = call_service(
        request, lambda: services.election_next_round(election=election, actor=request.user)
    )
    if not arranged:
        return redirect("congress:election_count", pk=election.pk)
    messages.success(request, _("已安排%(e)s。") % {"e": arranged.value})
    return redirect("congress:election_count", pk=arranged.value.pk)


@readers
def election_report_pdf(request, pk):
    """选举结果报告单: the count as the presiding officers sign it."""
    election = get_object_or_404(
        selectors.elections_visible_to(request.user).select_related("session__term", "session__township"),
        pk=pk,
    )
    if not election.is_held:
        raise Http404
    rounds = selectors.election_rounds(election)
    pdf = render_pdf(
        "congress/pdf/election_report.html",
        {
            "election": election,
            "rounds": rounds,
            "session": election.session,
            "majority": selectors.majority_for(election.total_deputies or 0, election.session.township.rules),
            "title": _("选举结果报告单"),
        },
    )
    return pdf_response(pdf, f"{election.session.official_name}-{election}-选举结果报告单.pdf")


@readers
def attendance_pdf(request, pk):
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    rows = selectors.roll_call_rows(session)
    pdf = render_pdf(
        "congress/pdf/attendance_sheet.html",
        {
            "session": session,
            "rows": rows,
            "quorum": selectors.session_quorum(session),
            "observers": session.observers.all(),
            "title": _("出席代表签到表"),
        },
    )
    return pdf_response(pdf, f"{session}-签到表.pdf")


@readers
def attendance_xlsx(request, pk):
    """The attendance register of a session as an Excel workbook (one row per current deputy)."""
    from presidium.spreadsheets import SafeWorkbook, xlsx_response

    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    quorum = selectors.session_quorum(session)
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = _("出席情况")
    ws.append([f"{session.township}{session}"])
    ws.append(
        [
            _("应到 %(t)s 人，实到 %(p)s 人，请假 %(l)s 人，缺席 %(a)s 人")
            % {"t": quorum["total"], "p": quorum["present"], "l": quorum["leave"], "a": quorum["absent"]}
        ]
    )
    ws.append([_("序号"), _("姓名"), _("选区"), _("出席情况"), _("登记时间")])
    for i, d in enumerate(selectors.roll_call_rows(session), start=1):
        mark = d.marks[0] if d.marks else None
        ws.append(
            [
                i,
                d.name,
                str(d.district or ""),
                mark.get_status_display() if mark else _("未点名"),
                timezone.localtime(mark.marked_at).strftime("%Y-%m-%d %H:%M") if mark else "",
            ]
        )
    for obs in session.observers.all():
        ws.append(["", obs.name, obs.affiliation, _("列席"), ""])
    return xlsx_response(wb, f"{session}-出席情况.xlsx")


# ---------------------------------------------------------------- motions


@staff_only
def motion_create(request, pk):
    session = _session_for_staff(request, pk)
    deputies = selectors.session_deputies(session).order_by("name_pinyin")
    form = forms.MotionForm(
        request.POST or None,
        request.FILES or None,
        deputies=deputies,
        categories=session.township.rules.categories,
    )
    if request.method == "POST" and form.is_valid():
        submitted = call_service(
            request,
            lambda: services.motion_submit(session=session, actor=request.user, **form.cleaned_data),
            _("议案已登记，待主席团审议。"),
        )
        if submitted:
            return redirect("congress:motion_detail", pk=submitted.value.pk)
    rules = session.township.rules
    return render(
        request,
        "congress/form.html",
        {
            "form": form,
            "title": _("登记议案"),
            "back": reverse("congress:session_detail", args=[pk]),
            "hint": _("议案须由 %(n)s 名以上代表联名（含领衔代表）。") % {"n": rules.motion_min_deputies},
        },
    )


@readers
def motion_original(request, pk):
    """The scanned paper original of a motion, through the motion's own visibility."""
    from presidium.uploads import serve_upload

    motion = get_object_or_404(selectors.motions_visible_to(request.user), pk=pk)
    return serve_upload(motion.original, name=motion.original.name.rsplit("/", 1)[-1])


@readers
def motion_detail(request, pk):
    motion = get_object_or_404(selectors.motions_visible_to(request.user), pk=pk)
    return render(
        request,
        "congress/motion_detail.html",
        {
            "motion": motion,
            "co_deputies": motion.co_deputies.all(),
            "level_label": dict(forms.MotionForm.base_fields["level"].choices).get(motion.level, ""),
            "events": motion.events.select_related("actor"),
            "next": services.MOTION_TRANSITIONS.targets(motion.status),
            "S": Motion.Status,
            "can_edit": can_edit_township(request.user, motion.township_id),
        },
    )


@post_action
def motion_decide(request, pk):
    motion = get_object_or_404(selectors.motions_visible_to(request.user), pk=pk)
    services.motion_decide(
        motion=motion,
        decision=request.POST.get("decision", ""),
        actor=request.user,
        comment=request.POST.get("comment", ""),
        expected_status=request.POST.get("expected") or None,
    )
    messages.success(request, _("主席团决定已登记。"))
    return redirect("congress:motion_detail", pk=pk)


@post_action
def motion_withdraw(request, pk):
    motion = get_object_or_404(selectors.motions_visible_to(request.user), pk=pk)
    services.motion_withdraw(
        motion=motion,
        actor=request.user,
        comment=request.POST.get("comment", ""),
        expected_status=request.POST.get("expected") or None,
    )
    messages.success(request, _("议案已撤回。"))
    return redirect("congress:motion_detail", pk=pk)


# ---------------------------------------------------------------- elections


@staff_only
def election_create(request, pk):
    session = _session_for_staff(request, pk)
    deputies = selectors.session_deputies(session).order_by("name_pinyin")
    form = forms.ElectionForm(request.POST or None, deputies=deputies)
    if request.method == "POST" and form.is_valid():
        arranged = call_service(
            request,
            lambda: services.election_create(
                session=session,
                position=form.cleaned_data["position"],
                kind=form.cleaned_data["kind"],
                seats=form.cleaned_data["seats"],
                candidates=form.candidates(),
                actor=request.user,
            ),
            _("选举已安排。"),
        )
        if arranged:
            return redirect("congress:election_count", pk=arranged.value.pk)
    return render(
        request,
        "congress/form.html",
        {"form": form, "title": _("安排选举/补选"), "back": reverse("congress:session_detail", args=[pk])},
    )


@staff_only
def election_count(request, pk):
    election = get_object_or_404(selectors.elections_visible_to(request.user), pk=pk)
    form = forms.ElectionCountForm(request.POST or None, election=election)
    if request.method == "POST" and not election.is_held:
        if form.is_valid():
            if call_service(
                request,
                lambda: services.election_record(
                    election=election, votes=form.votes(), ballots=form.ballots(), actor=request.user
                ),
            ):
                election.refresh_from_db()
                if election.void:
                    messages.warning(request, _("收回选票多于发出选票，本次选举无效，请重新投票。"))
                else:
                    messages.success(request, _("计票结果已登记。"))
                return redirect("congress:election_count", pk=election.pk)
        else:
            show_form_errors(request, form, labelled=True)
    return render(
        request,
        "congress/election_count.html",
        {
            "election": election,
            "form": form,
            "candidates": election.candidates.select_related("deputy"),
            "quorum": selectors.session_quorum(election.session),
        },
    )
