"""Thin views: the report editor and preview, inline PDFs, render jobs (htmx progress), the books
page and Excel exports. Townships are fetched through selectors, so another township is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.http import safe_next
from presidium.models import Role
from presidium.pdf import pdf_response, render_pdf_document
from presidium.permissions import role_required
from presidium.selectors import can_edit_township
from presidium.uploads import serve_upload
from presidium.viewkit import page_of, parse_year, query_year, show_errors, year_choices

from . import selectors, services, snapshots
from .books import BOOK_PAGES, BOOKS, book_context
from .exports import xlsx_response
from .forms import DeedForm, DocumentForm, JobForm, NarrativeForm
from .models import JobKind, Section
from .word import DOCX_CONTENT_TYPE, annual_report_docx
from .word import briefing_docx as briefing_docx_bytes

REPORT_ROLES = (Role.STAFF, Role.COUNTY)


def _township(request, township_id):
    return get_object_or_404(selectors.report_townships_visible_to(request.user), pk=township_id)


def _year(year) -> int:
    """The report year in the URL; one without records is a 404."""
    if parse_year(year) is None:
        raise Http404
    return int(year)


def _default_year() -> int:
    today = timezone.localdate()
    # The report is written in the first months of the following year.
    return today.year - 1 if today.month <= 3 else today.year


@role_required(*REPORT_ROLES)
def index(request):
    townships = selectors.report_townships_visible_to(request.user).order_by("code")
    year = query_year(request, _default_year())
    if townships.count() == 1 and not request.user.is_superuser and request.user.role == Role.STAFF:
        return redirect("reports:annual", township_id=townships[0].pk, year=year)
    years = year_choices(request)
    return render(request, "reports/index.html", {"townships": townships, "year": year, "years": years})


@role_required(*REPORT_ROLES)
def annual(request, township_id, year):
    township = _township(request, township_id)
    year = _year(year)
    # The editor shows the generated sentences and the narrative (one build shared with the preview).
    context = snapshots.report_context(township, year, request.user)
    narratives = selectors.narratives_for(township, year)
    editable = can_edit_township(request.user, township.pk)
    for chapter in context["chapters"]:
        saved = narratives.get(chapter.section)
        chapter.form = NarrativeForm(
            initial={"text": saved.text if saved else "", "version": saved.version if saved else 0}
        )
        chapter.saved = saved
    years = year_choices(request)
    return render(
        request,
        "reports/annual.html",
        {
            **context,
            "editable": editable,
            "years": years,
            "appendix_tables": len(context["appendix"]),
            "jobs": selectors.recent_jobs(request.user, township, limit=5),
        },
    )


@require_POST
@role_required(Role.STAFF)
def narrative_save(request, township_id, year, section):
    township = _township(request, township_id)
    year = _year(year)
    if section not in Section.values:
        raise Http404
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("正文保存失败：%(e)s") % {"e": " ".join(str(m) for errs in form.errors.values() for m in errs)},
        )
    else:
        try:
            services.narrative_save(
                township=township,
                year=year,
                section=section,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
                actor=request.user,
            )
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("“%(s)s”正文已保存。") % {"s": Section(section).label})
    return redirect(
        reverse("reports:annual", kwargs={"township_id": township.pk, "year": year}) + f"#ch-{section}"
    )


@role_required(*REPORT_ROLES)
def annual_preview(request, township_id, year):
    township = _township(request, township_id)
    year = _year(year)

    def build() -> str:
        context = snapshots.report_context(township, year, request.user)
        context.update(
            preview=True,
            pdf_url=reverse("reports:annual_pdf", kwargs={"township_id": township.pk, "year": year}),
            docx_url=reverse("reports:annual_docx", kwargs={"township_id": township.pk, "year": year}),
            back_url=reverse("reports:annual", kwargs={"township_id": township.pk, "year": year}),
        )
        return render_to_string("reports/pdf/annual_report.html", context, request=request)

    # The page holds no per-request token (no form), so the stored copy can be served as is.
    return HttpResponse(snapshots.cached("preview", township, year, request.user, build))


@role_required(*REPORT_ROLES)
def annual_pdf(request, township_id, year):
    township = _township(request, township_id)
    year = _year(year)

    def build() -> bytes:
        context = snapshots.report_context(township, year, request.user)
        return render_pdf_document("reports/pdf/annual_report.html", context).content

    content = snapshots.cached("pdf", township, year, request.user, build)
    return pdf_response(content, _("%(t)s%(y)s年人大主席团工作报告.pdf") % {"t": township.name, "y": year})


@role_required(*REPORT_ROLES)
def annual_docx(request, township_id, year):
    """The same report as a Word file, for the office to edit in Word or WPS before the session."""
    township = _township(request, township_id)
    year = _year(year)
    content = annual_report_docx(snapshots.report_context(township, year, request.user))
    return docx_response(content, _("%(t)s%(y)s年人大主席团工作报告.docx") % {"t": township.name, "y": year})


@role_required(*REPORT_ROLES)
def briefing_docx(request, township_id):
    """The suggestion handling briefing (as its PDF in the suggestions app) as a Word file."""
    from suggestions.selectors import briefing

    township = _township(request, township_id)
    data = briefing(request.user, township.pk)
    sections = [(_("逾期事项"), data["overdue"], True), (_("在办事项"), data["open"], False)]
    content = briefing_docx_bytes(township=township, today=data["today"], sections=sections)
    return docx_response(content, _("%(t)s建议办理情况通报.docx") % {"t": township.name})


def docx_response(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _external_books(township, year):
    """Books other apps print themselves (the congress app's minutes book and attendance sheet)."""
    out = []
    for url_name, label, query in (
        ("congress:minutes_book_pdf", _("主席团会议记录簿"), f"?year={year}"),
        ("congress:index", _("人代会出席情况表（在各次会议页面打印）"), ""),
    ):
        out.append({"label": label, "url": reverse(url_name) + query})
    return out


@role_required(*REPORT_ROLES)
def books(request, township_id):
    township = _township(request, township_id)
    year = query_year(request, _default_year())
    items = []
    for b in BOOKS.values():
        item = {"book": b, "excel_url": "", "page_url": ""}
        if b.kind in BOOK_PAGES:
            item["page_url"] = (
                reverse(BOOK_PAGES[b.kind], kwargs={"township_id": township.pk}) + f"?year={year}"
            )
        if b.excel:
            url_name, takes_year = b.excel
            item["excel_url"] = reverse(url_name) + (f"?year={year}" if takes_year else "")
        else:
            item["excel_url"] = (
                reverse("reports:export_xlsx", kwargs={"township_id": township.pk, "kind": b.kind})
                + f"?year={year}"
            )
        items.append(item)
    years = year_choices(request)
    return render(
        request,
        "reports/books.html",
        {
            "township": township,
            "year": year,
            "years": years,
            "items": items,
            "external": _external_books(township, year),
            "jobs": selectors.recent_jobs(request.user, township),
        },
    )


@require_POST
@role_required(*REPORT_ROLES)
def job_create(request, township_id):
    township = _township(request, township_id)
    form = JobForm(request.POST)
    back = safe_next(request, reverse("reports:books", kwargs={"township_id": township.pk}))
    if not form.is_valid():
        messages.error(request, _("请选择正确的报告类型和年度。"))
        return redirect(back)
    kind = form.cleaned_data["kind"]
    try:
        job, created = services.report_job_request(
            township=township, kind=kind, year=form.cleaned_data["year"], actor=request.user
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect(back)
    if created:
        messages.success(request, _("已开始后台生成，完成后可在本页下载。"))
    else:
        messages.info(request, _("相同的生成任务正在进行，请稍候。"))
    return redirect("reports:job_detail", pk=job.pk)


@role_required(*REPORT_ROLES)
def job_detail(request, pk):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=pk)
    if request.headers.get("HX-Request"):
        return render(request, "reports/_job_status.html", {"job": job})
    return render(
        request, "reports/job_detail.html", {"job": job, "events": job.events.select_related("actor")}
    )


@role_required(*REPORT_ROLES)
def job_download(request, pk):
    job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=pk)
    return serve_upload(job.file, name=job.filename(), attachment=True)


@role_required(*REPORT_ROLES)
def export_xlsx(request, township_id, kind):
    township = _township(request, township_id)
    book = BOOKS.get(kind)
    # Books whose owning app exports its own register are linked there, not duplicated here.
    if book is None or book.excel:
        raise Http404
    year = query_year(request, _default_year())
    register = book.build(township, year, request.user, {})
    return xlsx_response(register, f"{register.title}{year}.xlsx")


@role_required(*REPORT_ROLES)
def book_pdf(request, township_id, kind):
    """Small books render inline; large ones are better queued as a job (the page offers both)."""
    township = _township(request, township_id)
    book = BOOKS.get(kind)
    if book is None:
        raise Http404
    year = query_year(request, _default_year())
    register = book.build(township, year, request.user, {})
    rendered = render_pdf_document(book.template, book_context(book, register, township, year))
    return pdf_response(rendered.content, f"{register.title}{year}.pdf")


@role_required(Role.STAFF, Role.COUNTY, Role.DEPUTY)
def deputy_archive_pdf(request, deputy_id, year):
    """One deputy's archive page (small: rendered inline). Staff and county staff reach the deputies
    of their township(s); a deputy reaches only their own page."""
    from deputies.selectors import deputies_visible_to, deputy_for_user

    year = _year(year)
    book = BOOKS[JobKind.ARCHIVE_BOOK]
    if request.user.role == Role.DEPUTY and not request.user.is_superuser:
        own = deputy_for_user(request.user)
        if own is None or own.pk != deputy_id:
            raise Http404
        deputy = own
    else:
        deputy = get_object_or_404(deputies_visible_to(request.user), pk=deputy_id)
    register = book.build(deputy.township, year, request.user, {"deputy": deputy.pk})
    if not register.pages:
        raise Http404
    rendered = render_pdf_document(book.template, book_context(book, register, deputy.township, year))
    return pdf_response(rendered.content, _("%(n)s%(y)s年度履职档案.pdf") % {"n": deputy.name, "y": year})


__all__ = ["JobKind"]


# --- documents register and exemplary deeds: list, create, edit (staff write; county reads) -----


@role_required(*REPORT_ROLES)
def documents(request, township_id):
    township = _township(request, township_id)
    year = query_year(request)
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.in_year(selectors.documents_visible_to(request.user).filter(township=township), year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(issuer__icontains=q))
    return render(
        request,
        "reports/documents.html",
        {
            "township": township,
            "page": page_of(request, qs.order_by("-date", "-pk")),
            "year": year,
            "q": q,
            "years": year_choices(request),
            "editable": can_edit_township(request.user, township.pk),
        },
    )


def _record_form(request, township, *, form, kind, obj=None):
    """Show a create/edit form; on POST call the service and go back to the list."""
    back = reverse(f"reports:{kind}s", kwargs={"township_id": township.pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "document":
                copy = data.pop("copy", None)
                services.document_save(township=township, actor=request.user, document=obj, copy=copy, **data)
            else:
                services.deed_save(township=township, actor=request.user, deed=obj, **data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存。"))
            return redirect(back)
    return render(
        request,
        "reports/record_form.html",
        {"township": township, "form": form, "kind": kind, "obj": obj, "back": back},
    )


def _editable_township(request, township_id):
    township = _township(request, township_id)
    if not can_edit_township(request.user, township.pk):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以登记。"))
    return township


@role_required(Role.STAFF)
def document_create(request, township_id):
    township = _editable_township(request, township_id)
    form = DocumentForm(request.POST or None, request.FILES or None)
    return _record_form(request, township, form=form, kind="document")


@role_required(Role.STAFF)
def document_edit(request, pk):
    document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
    township = _editable_township(request, document.township_id)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)
    if request.method == "POST":
        # The form must not write the instance itself: the service does, under a row lock.
        form.instance = selectors.documents_visible_to(request.user).get(pk=document.pk)
    return _record_form(request, township, form=form, kind="document", obj=document)


@role_required(*REPORT_ROLES)
def document_copy(request, pk):
    document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
    return serve_upload(document.copy, name=document.copy.name.rsplit("/", 1)[-1] if document.copy else "")


@role_required(*REPORT_ROLES)
def deeds(request, township_id):
    township = _township(request, township_id)
    year = query_year(request)
    q = request.GET.get("q", "").strip()[:50]
    qs = selectors.in_year(selectors.deeds_visible_to(request.user).filter(township=township), year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(deputy__name__icontains=q))
    return render(
        request,
        "reports/deeds.html",
        {
            "township": township,
            "page": page_of(request, qs.order_by("-date", "-pk")),
            "year": year,
            "q": q,
            "years": year_choices(request),
            "editable": can_edit_township(request.user, township.pk),
        },
    )


@role_required(Role.STAFF)
def deed_create(request, township_id):
    township = _editable_township(request, township_id)
    form = DeedForm(request.POST or None, township=township)
    return _record_form(request, township, form=form, kind="deed")


@role_required(Role.STAFF)
def deed_edit(request, pk):
    deed = get_object_or_404(selectors.deeds_visible_to(request.user), pk=pk)
    township = _editable_township(request, deed.township_id)
    form = DeedForm(request.POST or None, instance=deed, township=township)
    if request.method == "POST":
        form.instance = selectors.deeds_visible_to(request.user).get(pk=deed.pk)
    return _record_form(request, township, form=form, kind="deed", obj=deed)
