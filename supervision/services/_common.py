"""Shared guards and upload checks of the supervision workflows."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from presidium.selectors import can_edit_township
from presidium.uploads import DOCUMENTS, check_upload
from presidium.workflow import STALE_MESSAGE

ALLOWED_UPLOAD_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
    ".wps",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


# --- guards ------------------------------------------------------------------------------


def _require_staff(actor, township_id):
    if not can_edit_township(actor, township_id):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以执行此操作。"))


def _step(table, obj, action: str, expected_version):
    """The move ``action`` makes from the locked row's status: refused when someone else saved the
    row since the form was shown, or when the table has no such move from this status."""
    if expected_version is not None and int(expected_version) != obj.version:
        raise ValidationError(STALE_MESSAGE)
    return table.step(
        obj.status,
        action,
        refused=_("当前状态为“%(status)s”，不能%(action)s。")
        % {"status": obj.get_status_display(), "action": table.label(action)},
    )


def validate_upload(upload):
    """Type (judged by the content, the name then follows it) and size check for attachments and
    evidence; raises ValidationError in Chinese."""
    check_upload(
        upload,
        allowed=DOCUMENTS,
        max_bytes=MAX_UPLOAD_BYTES,
        max_name=200,
        refused=_("不支持的文件类型：“%(name)s”的内容不是 PDF、Word、Excel、WPS、图片或文本文件。"),
    )


def _same_township(objs, township_id, message):
    for obj in objs:
        if obj is not None and obj.township_id != township_id:
            raise ValidationError(message)
