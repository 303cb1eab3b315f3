"""Importing the roster from a spreadsheet: upload, preview with mappings and corrections, confirm."""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium import sheet_reader
from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import show_errors, staff_township

from .. import forms, importing, selectors

IMPORT_SESSION_KEY = "deputies_roster_import"


def _import_choices(user, township):
    """Options of the mapping step and of the "待确认" corrections, per field."""
    choices = {
        key: [(str(code), str(label)) for code, label in opts]
        for key, opts in importing.MAPPING_CHOICES.items()
    }
    for key, names in selectors.place_names(user, township=township).items():
        choices[key] = [(name, name) for name in names]
    choices["is_reelected"] = [("1", _("是")), ("0", _("否"))]
    return choices


def _import_choices_from_post(post) -> tuple[dict, dict]:
    """The preview's answers: mappings {(field, value): target} and corrections {(row, field): value}."""
    mappings, overrides = {}, {}
    for name, target in post.items():
        if name.startswith("map_source_"):
            continue
        if name.startswith("map_target_") and target:
            suffix = name.removeprefix("map_target_")
            key, source = post.get(f"map_field_{suffix}", ""), post.get(f"map_source_{suffix}", "")
            if key in importing.MAPPABLE and source:
                mappings[(key, source)] = target
        elif name.startswith("fix-") and target:
            _prefix, row, key = [*name.split("-", 2), "", ""][:3]
            if row.isdigit() and key in importing.FIELD_LABELS:
                overrides[(int(row), key)] = target
    return mappings, overrides


def _import_preview(request, township, outcome, pending, *, post=None):
    post = post or {}
    mappings, overrides = _import_choices_from_post(post)
    choices = _import_choices(request.user, township)
    unknown = [
        (i, key, label, source, rows, choices.get(key, []), mappings.get((key, source), ""))
        for i, (key, label, source, rows, _opts) in enumerate(outcome.unknown_list)
    ]
    # Districts and groups come from the township's own set-up: on a first day there may be none
    # yet, and an empty list would leave the secretary with nothing to choose from.
    missing_places = {
        key: [source for _i, k, _label, source, _rows, _opts, _sel in unknown if k == key]
        for key in ("district", "group")
    }
    to_confirm = [
        (
            row,
            [
                (
                    key,
                    importing.FIELD_LABELS[key],
                    row.display(key),
                    reason,
                    choices.get(key, []),
                    overrides.get((row.excel_row, key), ""),
                )
                for key, reason in row.pending.items()
            ],
        )
        for row in outcome.pending_rows
    ]
    return render(
        request,
        "deputies/import.html",
        {
            "outcome": outcome,
            "pending": pending,
            "unknown": unknown,
            "unknown_districts": missing_places["district"],
            "unknown_groups": missing_places["group"],
            "to_confirm": to_confirm,
            "accept_inferred": post.get("accept_inferred") == "1",
            "by_election_ref": post.get("by_election_ref", ""),
            "updates": [r for r in outcome.rows if r.action == "update"],
            "preview_rows": [
                (r, [r.display(k) for k, _label in _PREVIEW_COLUMNS]) for r in outcome.rows[:20]
            ],
            "preview_labels": [label for _k, label in _PREVIEW_COLUMNS],
            "headers": [c.label for c in importing.COLUMNS],
        },
    )


_PREVIEW_COLUMNS = [(k, importing.FIELD_LABELS[k]) for k in importing.FIELD_LABELS if k != "remarks"]


@role_required(Role.STAFF)
def roster_import(request):
    township = staff_township(request)
    form = forms.RosterImportForm(request.POST or None, request.FILES or None, township=township)
    context = {"form": form, "headers": [c.label for c in importing.COLUMNS]}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        term = form.cleaned_data["term"]
        mode = form.cleaned_data["mode"] or "add"
        start_date = form.cleaned_data["start_date"]
        try:
            if upload.size > importing.MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("文件过大（%(mb).1f MB），导入文件不能超过 5 MB。") % {"mb": upload.size / 1048576}
                )
            data = upload.read()
            sheet = importing.read_upload(name=upload.name, data=data)
            outcome = importing.roster_import(
                township=township,
                term=term,
                sheet=sheet,
                actor=request.user,
                commit=False,
                mode=mode,
                start_date=start_date,
            )
        except ValidationError as exc:
            show_errors(request, exc)
            return render(request, "deputies/import.html", context)
        token = uuid.uuid4().hex
        # The parsed rows wait for the confirmation, so the file is not parsed twice.
        path = default_storage.save(
            f"imports/deputies/{token}.json", ContentFile(sheet_reader.dump_sheet(sheet))
        )
        pending = {
            "path": path,
            "term": term.pk,
            "township": township.pk,
            "name": upload.name,
            "mode": mode,
            "start_date": outcome.start_date.isoformat(),
        }
        request.session[IMPORT_SESSION_KEY] = pending
        if outcome.errors:
            messages.error(
                request,
                _("文件中有 %(n)s 处错误，未导入任何数据。请修改后重新上传。") % {"n": len(outcome.errors)},
            )
        return _import_preview(request, township, outcome, pending)
    return render(request, "deputies/import.html", context)


@require_POST
@role_required(Role.STAFF)
def roster_import_confirm(request):
    """Re-check the pending file with the preview's answers (mappings, corrections, confirmations);
    on "确认导入" and nothing blocking, write it all."""
    township = staff_township(request)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("township") != township.pk:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        return redirect("deputies:roster_import")
    term = selectors.terms_visible_to(request.user).filter(pk=pending["term"], township=township).first()
    try:
        with default_storage.open(pending["path"], "rb") as fh:
            data = fh.read()
    except OSError:
        messages.error(request, _("导入已失效，请重新上传文件。"))
        request.session.pop(IMPORT_SESSION_KEY, None)
        return redirect("deputies:roster_import")
    commit = request.POST.get("action", "commit") == "commit"
    mappings, overrides = _import_choices_from_post(request.POST)
    try:
        if term is None:
            raise ValidationError(_("届次不存在。"))
        sheet = sheet_reader.load_sheet(data)
        outcome = importing.roster_import(
            township=township,
            term=term,
            sheet=sheet,
            actor=request.user,
            commit=commit,
            mode=pending.get("mode", "add"),
            start_date=dt.date.fromisoformat(pending["start_date"]) if pending.get("start_date") else None,
            mappings=mappings,
            overrides=overrides,
            accept_inferred=request.POST.get("accept_inferred") == "1",
            by_election_ref=request.POST.get("by_election_ref", "")[:120],
        )
    except ValidationError as exc:
        request.session.pop(IMPORT_SESSION_KEY, None)
        default_storage.delete(pending["path"])
        show_errors(request, exc)
        return redirect("deputies:roster_import")
    if commit and outcome.ok:
        request.session.pop(IMPORT_SESSION_KEY, None)
        default_storage.delete(pending["path"])
        messages.success(
            request,
            _("已导入：新增 %(c)s 名代表，更新 %(u)s 名代表。")
            % {"c": outcome.created, "u": outcome.updated},
        )
        return redirect("deputies:roster")
    if commit:
        messages.error(request, _("尚有问题未解决，未导入任何数据。"))
    return _import_preview(request, township, outcome, pending, post=request.POST)
