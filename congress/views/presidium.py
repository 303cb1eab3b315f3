"""Presidium pages: the deputy's own meetings, the roster, presidium meetings."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import Role
from presidium.pdf import pdf_response, render_pdf
from presidium.permissions import role_required
from presidium.selectors import can_edit_township
from presidium.viewkit import (
    call_service,
    own_township,
    page_of,
    query_year,
    show_form_errors,
    this_year,
)

from .. import forms, selectors, services
from ..models import Attendance, PresidiumMeeting
from .base import add_observer, post_action, readers, staff_only

# ---------------------------------------------------------------- the deputy's phone


@role_required(Role.DEPUTY)
def my_meetings(request):
    data = selectors.deputy_meetings(request.user)
    page = page_of(request, data["sessions"])
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


@role_required(Role.DEPUTY)
def my_session(request, pk):
    """A session as its deputy reads it on a phone: date, place, their own attendance mark, the
    agenda and the report documents to read before voting (never other deputies' marks)."""
    session = get_object_or_404(selectors.sessions_for_deputy(request.user), pk=pk)
    mine = selectors.own_attendance(session, request.user)
    items = session.agenda_items.order_by("order", "pk")
    return render(
        request,
        "congress/my_session.html",
        {"session": session, "mine": mine, "items": items, "today": timezone.localdate()},
    )


@role_required(Role.DEPUTY)
def my_agenda_document(request, pk):
    """A report document of a session the deputy sits in, served through that check."""
    from django.http import FileResponse, Http404

    item = get_object_or_404(selectors.agenda_items_for_deputy(request.user), pk=pk)
    if not item.document:
        raise Http404
    try:
        handle = item.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=False, filename=item.document.name.rsplit("/", 1)[-1])


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
            current = selectors.latest_session(term)
            form = forms.MembershipForm(deputies=selectors.current_deputies(term, timezone.localdate()))
    page = page_of(request, memberships)
    return render(
        request,
        "congress/roster.html",
        {"page": page, "form": form, "session": current, "today": timezone.localdate()},
    )


@post_action
def roster_add(request):
    from deputies.selectors import current_term

    term = current_term(request.user.township)
    session = selectors.latest_session(term)
    if session is None:
        raise ValidationError(_("请先登记本届人代会，主席团成员自会议选举之日起任职。"))
    form = forms.MembershipForm(request.POST, deputies=selectors.current_deputies(term, timezone.localdate()))
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
    else:
        services.membership_add(session=session, actor=request.user, **form.cleaned_data)
        messages.success(request, _("已加入主席团名单。"))
    return redirect("congress:roster")


@post_action
def roster_end(request, pk):
    membership = get_object_or_404(selectors.memberships_visible_to(request.user), pk=pk)
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
    else:
        services.membership_end(
            membership=membership, end_date=form.cleaned_data["end_date"], actor=request.user
        )
        messages.success(request, _("已登记离任。"))
    return redirect("congress:roster")


# ---------------------------------------------------------------- presidium meetings


@readers
def meeting_list(request):
    q = request.GET.get("q", "").strip()
    year = query_year(request, this_year())
    page = page_of(request, selectors.meeting_list(request.user, q=q, year=year))
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
    township = own_township(request)
    if township is None:
        messages.error(request, _("您的账号没有所属乡镇。"))
        return redirect("congress:meetings")
    from deputies.selectors import current_term

    term = current_term(township)
    members = selectors.member_deputies(term)
    form = forms.MeetingForm(
        request.POST or None,
        township=township,
        members=members,
        initial={"term": term, "date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        created = call_service(
            request,
            lambda: services.meeting_create(township=township, actor=request.user, **form.cleaned_data),
            _("主席团会议已登记。"),
        )
        if created:
            return redirect("congress:meeting_detail", pk=created.value.pk)
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
    mark_labels = dict(Attendance.Status.choices)
    for m in members:
        m.mark = marks.get(m.deputy_id, "")
        m.mark_label = mark_labels.get(m.mark, m.mark)
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
            "can_edit": can_edit_township(request.user, meeting.township_id),
            "next_statuses": [
                PresidiumMeeting.Status(s) for s in services.MEETING_TRANSITIONS.targets(meeting.status)
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
    deputy = get_object_or_404(selectors.meeting_markable_deputies(meeting), pk=deputy_id)
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
        show_form_errors(request, form, labelled=True)
    else:
        services.topic_add(meeting=meeting, actor=request.user, **form.service_kwargs())
        messages.success(request, _("议题已添加。"))
    return redirect("congress:meeting_detail", pk=pk)


@post_action
def topic_vote(request, pk):
    topic = get_object_or_404(selectors.topics_visible_to(request.user), pk=pk)
    form = forms.TopicVoteForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
    else:
        topic = services.topic_record_vote(topic=topic, actor=request.user, **form.cleaned_data)
        messages.success(request, _("表决结果：%(r)s") % {"r": _("通过") if topic.passed else _("未通过")})
    return redirect("congress:meeting_detail", pk=topic.meeting_id)


@post_action
def meeting_minutes(request, pk):
    meeting = _meeting(request, pk)
    form = forms.MinutesForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form, labelled=True)
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
    return add_observer(request, detail="congress:meeting_detail", pk=pk, meeting=meeting)


@post_action
def meeting_notice(request, pk):
    meeting = _meeting(request, pk)
    n = services.meeting_send_notice(meeting=meeting, actor=request.user, url=reverse("congress:my_meetings"))
    messages.success(request, _("会议通知已发送给 %(n)s 名有账号的主席团成员。") % {"n": n})
    return redirect("congress:meeting_detail", pk=pk)


@readers
def minutes_book_pdf(request):
    year = query_year(request, this_year())
    meetings = (
        selectors.meetings_visible_to(request.user)
        .filter(date__year=year, status=PresidiumMeeting.Status.HELD)
        .prefetch_related("topics__link", "observers", "attendances__deputy")
        .order_by("township", "date")
    )
    pdf = render_pdf(
        "congress/pdf/minutes_book.html",
        {
            "meetings": selectors.minutes_book_meetings(meetings),
            "year": year,
            "title": _("主席团会议记录簿"),
            "township": request.user.township,
            "start": dt.date(year, 1, 1),
        },
    )
    return pdf_response(pdf, f"主席团会议记录簿-{year}.pdf")
