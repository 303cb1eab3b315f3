"""History import: past years' registers (建议登记簿, 信访登记簿), previewed then confirmed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import show_errors, staff_township

HISTORY_SESSION_KEY = "history_import"


def _history_kinds():
    from supervision import history as petitions_history

    from .. import history as suggestions_history

    return {
        "suggestions": (suggestions_history, _("代表建议登记簿")),
        "petitions": (petitions_history, _("人民来信来访登记簿")),
    }


def _history_mappings(post, module) -> dict:
    mappings = {}
    for name, target in post.items():
        if name.startswith("map_target_") and target:
            suffix = name.removeprefix("map_target_")
            key, source = post.get(f"map_field_{suffix}", ""), post.get(f"map_source_{suffix}", "")
            if key in module.MAPPED and source:
                mappings[(key, source)] = target
    return mappings


def _history_page(request, context):
    context.setdefault("kinds", [(k, label) for k, (_m, label) in _history_kinds().items()])
    return render(request, "suggestions/history_import.html", context)


@role_required(Role.STAFF)
def history_import(request):
    """Upload a past year's register, check it row by row and preview it (nothing is written)."""
    from deputies.importing import read_upload

    township = staff_township(request)
    if township is None or not request.user.township_id:
        raise PermissionDenied
    kinds = _history_kinds()
    kind = request.POST.get("kind") or request.GET.get("kind") or "suggestions"
    if kind not in kinds:
        kind = "suggestions"
    context = {"kind": kind}
    if request.method != "POST":
        return _history_page(request, context)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的登记簿文件。"))
        return _history_page(request, context)
    module, _label = kinds[kind]
    try:
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(
                _("文件过大（%(mb).1f MB），导入文件不能超过 5 MB。") % {"mb": upload.size / 1048576}
            )
        data = upload.read()
        sheet = read_upload(name=upload.name, data=data)
        report = module.history_import(township=township, sheet=sheet, actor=request.user, commit=False)
    except ValidationError as exc:
        show_errors(request, exc)
        return _history_page(request, context)
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from presidium.sheet_reader import dump_sheet

    # The parsed rows wait for the confirmation, so the file is not parsed twice.
    path = default_storage.save(
        f"imports/history/{timezone.now():%Y%m%d%H%M%S%f}.json", ContentFile(dump_sheet(sheet))
    )
    request.session[HISTORY_SESSION_KEY] = {
        "path": path,
        "name": upload.name,
        "kind": kind,
        "township": township.pk,
    }
    if report.errors:
        messages.error(
            request,
            _("文件中有 %(n)s 处错误，未导入任何数据。请修改后重新上传。") % {"n": len(report.errors)},
        )
    return _history_page(request, {**context, "report": report, "unknown": _unknown_rows(report, {})})


def _unknown_rows(report, mappings):
    return [
        (i, key, label, source, rows, choices, mappings.get((key, source), ""))
        for i, (key, label, source, rows, choices) in enumerate(report.unknown_list)
    ]


@require_POST
@role_required(Role.STAFF)
def history_import_confirm(request):
    """Re-check the pending register with the mappings chosen; on "确认导入" write every row or none."""
    from django.core.files.storage import default_storage

    from presidium.sheet_reader import load_sheet

    township = staff_township(request)
    pending = request.session.get(HISTORY_SESSION_KEY)
    if not pending or township is None or pending.get("township") != township.pk:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("suggestions:history_import")
    module, _label = _history_kinds()[pending["kind"]]
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            data = fh.read()
    except OSError:
        request.session.pop(HISTORY_SESSION_KEY, None)
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("suggestions:history_import")
    commit = request.POST.get("action", "commit") == "commit"
    mappings = _history_mappings(request.POST, module)
    try:
        sheet = load_sheet(data)
        report = module.history_import(
            township=township, sheet=sheet, actor=request.user, commit=commit, mappings=mappings
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("suggestions:history_import")
    if commit and report.ok:
        request.session.pop(HISTORY_SESSION_KEY, None)
        default_storage.delete(pending["path"])
        messages.success(
            request, _("已导入 %(n)s 条历史记录（均为已办结，保留原编号）。") % {"n": report.created}
        )
        return redirect("supervision:petitions" if pending["kind"] == "petitions" else "suggestions:list")
    if commit:
        messages.error(request, _("尚有问题未解决，未导入任何数据。"))
    return _history_page(
        request, {"kind": pending["kind"], "report": report, "unknown": _unknown_rows(report, mappings)}
    )
