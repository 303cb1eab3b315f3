"""Lists and landing pages: the office register, a deputy's and a unit's pages, the briefing, the stats."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.selectors import sessions_for_deputy
from deputies.models import VoterOpinion
from deputies.selectors import deputy_for_user, voter_opinions_visible_to
from livelihood.selectors import ballots_awaiting_vote
from presidium.models import Role
from presidium.paging import keyset_page
from presidium.permissions import role_required
from presidium.selectors import principal_role, selectable_years, townships_visible_to
from presidium.viewkit import own_township, page_of
from supervision.selectors import appraisals_open_for_deputy

from .. import selectors
from ..models import (
    SourceKind,
    Status,
)
from .common import shown_township, year_period

PAGE_SIZE = 50


# The register list's table: what it shows and what its badges read, nothing more (no long texts).
LIST_COLUMNS = (
    "pk",
    "township_id",
    "township__name",
    "number",
    "title",
    "status",
    "category",
    "due_date",
    "deadlines_provisional",
    "is_key",
    "created_at",
    "year",  # with submitted_at: marks an earlier year's open item as carried over
    "submitted_at",
    "lead_deputy_id",
    "lead_deputy__name",
    "lead_unit_id",
    "lead_unit__name",
)


@role_required(Role.STAFF, Role.COUNTY)
def suggestion_list(request):
    """The office's register with filters (status, category, unit, year, overdue, key, source, search)."""
    user = request.user
    townships = list(townships_visible_to(user).only("pk", "name", "county_id"))
    qs = selectors.filter_suggestions(
        selectors.suggestions_visible_to(user),
        request.GET,
        township_ids=[t.pk for t in townships],
        carry_over=True,
    )
    # Only the columns the table shows; keyset pages, so a county's last page costs what its first does.
    page = keyset_page(qs.only(*LIST_COLUMNS), request.GET, size=PAGE_SIZE)
    year = request.GET.get("year") or ""
    selected_year = int(year) if year.isdigit() else None
    for s in page:
        own = s.year or (s.submitted_at.year if s.submitted_at else selected_year)
        s.carried_over = bool(selected_year and s.is_open and own and own < selected_year)
    township = own_township(request) or (townships[0] if townships else None)
    units = selectors.assignable_units([t.pk for t in townships]).only("pk", "name", "township_id")
    categories = township.rules.categories if township else []
    return render(
        request,
        "suggestions/list.html",
        {
            "page": page,
            "units": units,
            "categories": categories,
            "statuses": Status.choices,
            "sources": SourceKind.choices,
            "today": timezone.localdate(),
            "params": request.GET,
            "can_edit": principal_role(user) in (Role.STAFF, Role.ADMIN),
            "years": selectable_years(request.user, today=timezone.localdate()),
        },
    )


@role_required(Role.DEPUTY)
def my_suggestions(request):
    """A deputy's landing page: their suggestions, drafts and co-signing invitations."""
    deputy = deputy_for_user(request.user)
    qs = selectors.suggestions_visible_to(request.user).order_by("-created_at", "-pk")
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    invitations = selectors.cosign_invitations(request.user)
    return render(
        request,
        "suggestions/my.html",
        {
            "deputy": deputy,
            "page": page_of(request, qs, PAGE_SIZE),
            "invitations": invitations,
            "to_rate": qs.filter(status=Status.REPLIED, lead_deputy__user=request.user).count(),
            "rate_items": list(
                selectors.suggestions_visible_to(request.user)
                .filter(status=Status.REPLIED, lead_deputy__user=request.user)
                .order_by("replied_at", "pk")[:10]
            ),
            **_deputy_owed(request.user, deputy),
            "q": q,
            "today": timezone.localdate(),
        },
    )


def _deputy_owed(user, deputy) -> dict:
    """What else the deputy owes, shown at the top of their landing page: livelihood-project
    ballots and democratic appraisals to vote in, sessions coming up (read the reports, attend and vote) and voters' messages left
    through their code."""
    if deputy is None:
        return {}
    today = timezone.localdate()
    return {
        "ballots": list(ballots_awaiting_vote(deputy)[:3]),
        "appraisals": list(appraisals_open_for_deputy(user).filter(has_voted=False)[:5]),
        "upcoming_sessions": list(
            sessions_for_deputy(user).filter(start_date__gte=today).order_by("start_date", "pk")[:3]
        ),
        "code_messages": list(
            voter_opinions_visible_to(user)
            .filter(deputy=deputy, status=VoterOpinion.Status.OPEN, responded_at__isnull=True)
            .order_by("created_at", "pk")[:5]
        ),
    }


@role_required(Role.UNIT)
def unit_inbox(request):
    """A unit officer's landing page: items assigned to the unit (lead or co-unit), overdue first."""
    today = timezone.localdate()
    qs = selectors.unit_inbox(selectors.suggestions_visible_to(request.user), request.GET, today=today)
    counts = selectors.unit_inbox_counts(request.user, today=today)
    return render(
        request,
        "suggestions/unit_inbox.html",
        {
            "page": page_of(request, qs, PAGE_SIZE),
            "showing_finished": bool(request.GET.get("status")),
            **counts,
            "today": today,
            "params": request.GET,
            "statuses": Status.choices,
        },
    )


def _briefing(request):
    """The township shown and its briefing (every open item, overdue first)."""
    township = shown_township(request)
    if township is None:
        raise Http404
    return township, selectors.briefing(request.user, township.pk)


@role_required(Role.STAFF, Role.COUNTY)
def briefing(request):
    """For presidium meetings: every open item, overdue first."""
    township, data = _briefing(request)
    return render(
        request,
        "suggestions/briefing.html",
        {
            "township": township,
            **data,
            "planned": selectors.planned_pending(
                selectors.suggestions_visible_to(request.user).filter(township=township), township
            ),
        },
    )


@role_required(Role.STAFF, Role.COUNTY)
def briefing_pdf(request):
    """The same briefing as a printable PDF for the presidium meeting."""
    from presidium.pdf import pdf_response, render_pdf

    township, data = _briefing(request)
    sections = [(_("逾期事项"), data["overdue"], True), (_("在办事项"), data["open"], False)]
    pdf = render_pdf(
        "suggestions/pdf/briefing.html",
        {"township": township, "today": data["today"], "sections": sections, "title": _("建议办理情况通报")},
    )
    return pdf_response(pdf, f"{township.name}-建议办理情况通报.pdf")


@role_required(Role.STAFF, Role.COUNTY)
def stats(request):
    year, start, end = year_period(request)
    townships = list(townships_visible_to(request.user))
    by_township = selectors.township_stats(township_ids=[t.pk for t in townships], start=start, end=end)
    township = shown_township(request)
    breakdowns = {}
    if township is not None:
        for key, (_field, label) in selectors.BREAKDOWNS.items():
            breakdowns[key] = (
                label,
                selectors.stats_breakdown(township=township, start=start, end=end, by=key),
            )
    rows = [(t, by_township[t.pk]) for t in townships]
    split = selectors.channel_split(township_ids=[t.pk for t in townships], start=start, end=end)
    empty = {"online": 0, "recorded": 0}
    channel_rows = [
        (t, [split[t.pk].get(key, empty) for key in selectors.CHANNEL_SPLIT_LABELS]) for t in townships
    ]
    return render(
        request,
        "suggestions/stats.html",
        {
            "year": year,
            "rows": rows,
            "channel_rows": channel_rows,
            "channel_labels": selectors.CHANNEL_SPLIT_LABELS,
            "labels": selectors.STATS_LABELS,
            "breakdowns": breakdowns,
            "township": township,
            "years": selectable_years(request.user, today=timezone.localdate()),
        },
    )
