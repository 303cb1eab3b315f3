"""Thin HTML views: fetch through selectors (another township's object is a 404), validate with a
form, call a service, report its ValidationError in Chinese and change nothing."""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deputies.models import Deputy
from presidium.models import Role
from presidium.pdf import pdf_response, render_pdf
from presidium.permissions import role_required
from presidium.selectors import can_edit_township

from . import forms, selectors, services
from .models import AgendaItem, Attendance, MeetingTopic, Motion, PresidiumMeeting, Session

READERS = (Role.STAFF, Role.COUNTY)
staff_only = role_required(Role.STAFF)
readers = role_required(*READERS)


def _errors(request, exc: ValidationError):
    for msg in exc.messages:
        messages.error(request, msg)


def _form_errors(request, form):
    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, f"{label}：{e}" if label else e)


def _editable(request, township_id):
    return can_edit_township(request.user, township_id)


def _own_township(request):
    """The township a staff user works for; superusers must pick one in the admin instead."""
    return request.user.township


def post_action(view):
    """POST-only, staff-only; a ValidationError becomes a message and a redirect."""

    @require_POST
    @staff_only
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect(request.POST.get("next") or request.META.get("HTTP_REFERER") or "congress:index")

    return wrapped


# ---------------------------------------------------------------- sessions


@readers
def session_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in Session.Status.values:
        status = ""
    page = Paginator(selectors.session_list(request.user, q=q, status=status), 50).get_page(
        request.GET.get("page")
    )
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
    township = _own_township(request)
    if township is None:
        messages.error(request, _("您的账号没有所属乡镇。"))
        return redirect("congress:index")
    form = forms.SessionForm(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(township=township, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已创建：%(s)s") % {"s": session})
            return redirect("congress:session_detail", pk=session.pk)
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
            "next_statuses": [Session.Status(s) for s in services.SESSION_TRANSITIONS[session.status]],
            "can_edit": _editable(request, session.township_id),
            "agenda_form": forms.AgendaItemForm(),
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
        try:
            services.session_update(
                session=session,
                actor=request.user,
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                place=data["place"],
                expected_status=data["expected"] or None,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("会议信息已修改。"))
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
    form = forms.AgendaItemForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.agenda_item_add(session=session, actor=request.user, **form.cleaned_data)
        messages.success(request, _("议程已添加。"))
    return redirect("congress:session_detail", pk=pk)


@post_action
def agenda_sent(request, pk):
    item = get_object_or_404(selectors.agenda_items_visible_to(request.user), pk=pk)
    form = forms.SentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.agenda_item_mark_sent(
            item=item, sent_on=form.cleaned_data["document_sent_on"], actor=request.user
        )
        messages.success(request, _("已登记送达日期。"))
    return redirect("congress:session_detail", pk=item.session_id)


@readers
def agenda_document(request, pk):
    """Report documents are served through visibility checks, never as public media URLs."""
    from django.http import FileResponse, Http404

    item = get_object_or_404(selectors.agenda_items_visible_to(request.user), pk=pk)
    if not item.document:
        raise Http404
    try:
        handle = item.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.document.name.rsplit("/", 1)[-1])


@post_action
def vote_record(request, pk):
    item = get_object_or_404(selectors.agenda_items_visible_to(request.user), pk=pk)
    form = forms.TallyForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
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
    form = forms.ObserverForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.observer_add(session=session, actor=request.user, **form.cleaned_data)
        messages.success(request, _("列席人员已登记（不计入出席人数）。"))
    return redirect("congress:session_detail", pk=pk)


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
            error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("congress:roll_call", pk=pk)
    deputy.marks = list(Attendance.objects.filter(session=session, deputy=deputy))
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
    from django.http import HttpResponse
    from openpyxl import Workbook

    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)
    quorum = selectors.session_quorum(session)
    wb = Workbook()
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
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{session}-出席情况.xlsx')}"
    wb.save(response)
    return response


# ---------------------------------------------------------------- motions


@staff_only
def motion_create(request, pk):
    session = _session_for_staff(request, pk)
    deputies = selectors.session_deputies(session).order_by("name_pinyin")
    form = forms.MotionForm(request.POST or None, deputies=deputies)
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.motion_submit(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("议案已登记，待主席团审议。"))
            return redirect("congress:motion_detail", pk=motion.pk)
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
def motion_detail(request, pk):
    motion = get_object_or_404(selectors.motions_visible_to(request.user), pk=pk)
    return render(
        request,
        "congress/motion_detail.html",
        {
            "motion": motion,
            "co_deputies": motion.co_deputies.all(),
            "events": motion.events.select_related("actor"),
            "next": services.MOTION_TRANSITIONS[motion.status],
            "S": Motion.Status,
            "can_edit": _editable(request, motion.township_id),
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
        try:
            election = services.election_create(
                session=session,
                position=form.cleaned_data["position"],
                kind=form.cleaned_data["kind"],
                seats=form.cleaned_data["seats"],
                candidates=form.candidates(),
                actor=request.user,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("选举已安排。"))
            return redirect("congress:election_count", pk=election.pk)
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
            try:
                services.election_record(election=election, votes=form.votes(), actor=request.user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("计票结果已登记。"))
                return redirect("congress:session_detail", pk=election.session_id)
        else:
            _form_errors(request, form)
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


# ---------------------------------------------------------------- the deputy's phone


@role_required(Role.DEPUTY)
def my_meetings(request):
    data = selectors.deputy_meetings(request.user)
    page = Paginator(data["sessions"], 50).get_page(request.GET.get("page"))
    return render(
        request,
        "congress/my_meetings.html",
        {
            "page": page,
            "meetings": data["meetings"][:20],
            "motions": data["motions"][:20],
            "deputy": data["deputy"],
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- presidium roster


@readers
def roster(request):
    township = request.user.township
    memberships = selectors.memberships_visible_to(request.user).order_by(
        "-end_date", "role", "deputy__name_pinyin"
    )
    form = None
    current = None
    if township is not None and request.user.role == Role.STAFF:
        from deputies.selectors import current_term

        term = current_term(township)
        if term is not None:
            current = Session.objects.filter(term=term).order_by("-start_date").first()
            form = forms.MembershipForm(deputies=selectors.current_deputies(term, timezone.localdate()))
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "congress/roster.html",
        {"page": page, "form": form, "session": current, "today": timezone.localdate()},
    )


@post_action
def roster_add(request):
    from deputies.selectors import current_term

    term = current_term(request.user.township)
    session = Session.objects.filter(term=term).order_by("-start_date").first() if term else None
    if session is None:
        raise ValidationError(_("请先登记本届人代会，主席团成员自会议选举之日起任职。"))
    form = forms.MembershipForm(request.POST, deputies=selectors.current_deputies(term, timezone.localdate()))
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.membership_add(session=session, actor=request.user, **form.cleaned_data)
        messages.success(request, _("已加入主席团名单。"))
    return redirect("congress:roster")


@post_action
def roster_end(request, pk):
    membership = get_object_or_404(selectors.memberships_visible_to(request.user), pk=pk)
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.membership_end(
            membership=membership, end_date=form.cleaned_data["end_date"], actor=request.user
        )
        messages.success(request, _("已登记离任。"))
    return redirect("congress:roster")


# ---------------------------------------------------------------- presidium meetings


def _year(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@readers
def meeting_list(request):
    q = request.GET.get("q", "").strip()
    year = _year(request)
    page = Paginator(selectors.meeting_list(request.user, q=q, year=year), 50).get_page(
        request.GET.get("page")
    )
    township = request.user.township
    return render(
        request,
        "congress/meeting_list.html",
        {
            "page": page,
            "q": q,
            "year": year,
            "warnings": selectors.township_warnings(township) if township else [],
            "can_edit": request.user.role == Role.STAFF,
        },
    )


@staff_only
def meeting_create(request):
    township = _own_township(request)
    if township is None:
        messages.error(request, _("您的账号没有所属乡镇。"))
        return redirect("congress:meetings")
    from deputies.selectors import current_term

    term = current_term(township)
    members = Deputy.objects.filter(
        presidium_memberships__term=term, presidium_memberships__end_date__isnull=True
    )
    form = forms.MeetingForm(
        request.POST or None,
        township=township,
        members=members,
        initial={"term": term, "date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(township=township, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("主席团会议已登记。"))
            return redirect("congress:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "congress/form.html",
        {"form": form, "title": _("新建主席团会议"), "back": reverse("congress:meetings")},
    )


@readers
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    members = list(
        selectors.active_members(meeting.term, meeting.date).order_by("role", "deputy__name_pinyin")
    )
    marks = dict(meeting.attendances.values_list("deputy_id", "status"))
    for m in members:
        m.mark = marks.get(m.deputy_id, "")
    return render(
        request,
        "congress/meeting_detail.html",
        {
            "meeting": meeting,
            "members": members,
            "topics": meeting.topics.prefetch_related("link"),
            "observers": meeting.observers.all(),
            "quorum": selectors.meeting_quorum(meeting),
            "events": meeting.events.select_related("actor"),
            "statuses": Attendance.Status.choices,
            "can_edit": _editable(request, meeting.township_id),
            "next_statuses": [
                PresidiumMeeting.Status(s) for s in services.MEETING_TRANSITIONS[meeting.status]
            ],
            "topic_form": forms.TopicForm(township_id=meeting.township_id),
            "observer_form": forms.ObserverForm(),
            "minutes_form": forms.MinutesForm(
                initial={
                    "minutes": meeting.minutes,
                    "recorder": meeting.recorder,
                    "fingerprint": services.minutes_fingerprint(meeting.minutes),
                }
            ),
            "vote_form": forms.TopicVoteForm(),
        },
    )


def _meeting(request, pk):
    return get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)


@post_action
def meeting_transition(request, pk):
    meeting = _meeting(request, pk)
    to = request.POST.get("to", "")
    if to not in PresidiumMeeting.Status.values:
        raise ValidationError(_("请选择目标状态。"))
    services.meeting_transition(
        meeting=meeting,
        to_status=to,
        actor=request.user,
        expected_status=request.POST.get("expected") or None,
    )
    messages.success(request, _("会议状态已更新。"))
    return redirect("congress:meeting_detail", pk=pk)


@post_action
def meeting_attendance(request, pk):
    meeting = _meeting(request, pk)
    try:
        deputy_id = int(request.POST.get("deputy", ""))
    except ValueError:
        raise ValidationError(_("请选择主席团成员。")) from None
    deputy = get_object_or_404(Deputy.objects.filter(township_id=meeting.township_id), pk=deputy_id)
    form = forms.MarkForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("请选择出席、请假或缺席。"))
    services.meeting_mark_attendance(
        meeting=meeting, deputy=deputy, status=form.cleaned_data["status"], actor=request.user
    )
    return redirect("congress:meeting_detail", pk=pk)


@post_action
def meeting_topic_add(request, pk):
    meeting = _meeting(request, pk)
    form = forms.TopicForm(request.POST, township_id=meeting.township_id)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.topic_add(meeting=meeting, actor=request.user, **form.service_kwargs())
        messages.success(request, _("议题已添加。"))
    return redirect("congress:meeting_detail", pk=pk)


@post_action
def topic_vote(request, pk):
    topic = get_object_or_404(
        MeetingTopic.objects.filter(meeting__in=selectors.meetings_visible_to(request.user)).select_related(
            "meeting__township", "meeting__term"
        ),
        pk=pk,
    )
    form = forms.TopicVoteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        topic = services.topic_record_vote(topic=topic, actor=request.user, **form.cleaned_data)
        messages.success(request, _("表决结果：%(r)s") % {"r": _("通过") if topic.passed else _("未通过")})
    return redirect("congress:meeting_detail", pk=topic.meeting_id)


@post_action
def meeting_minutes(request, pk):
    meeting = _meeting(request, pk)
    form = forms.MinutesForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        services.meeting_save_minutes(
            meeting=meeting,
            actor=request.user,
            minutes=data["minutes"],
            recorder=data["recorder"],
            expected_fingerprint=data["fingerprint"] or None,
        )
        messages.success(request, _("会议记录已保存。"))
    return redirect("congress:meeting_detail", pk=pk)


@post_action
def meeting_observer_add(request, pk):
    meeting = _meeting(request, pk)
    form = forms.ObserverForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        services.observer_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, _("列席人员已登记（不计入出席人数）。"))
    return redirect("congress:meeting_detail", pk=pk)


@post_action
def meeting_notice(request, pk):
    meeting = _meeting(request, pk)
    n = services.meeting_send_notice(meeting=meeting, actor=request.user, url=reverse("congress:my_meetings"))
    messages.success(request, _("会议通知已发送给 %(n)s 名有账号的主席团成员。") % {"n": n})
    return redirect("congress:meeting_detail", pk=pk)


@readers
def minutes_book_pdf(request):
    year = _year(request)
    meetings = (
        selectors.meetings_visible_to(request.user)
        .filter(date__year=year, status=PresidiumMeeting.Status.HELD)
        .prefetch_related("topics__link", "observers", "attendances__deputy")
        .order_by("township", "date")
    )
    pdf = render_pdf(
        "congress/pdf/minutes_book.html",
        {
            "meetings": meetings,
            "year": year,
            "title": _("主席团会议记录簿"),
            "township": request.user.township,
            "start": dt.date(year, 1, 1),
        },
    )
    return pdf_response(pdf, f"主席团会议记录簿-{year}.pdf")
