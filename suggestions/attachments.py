"""Attachment checks: images and PDF only, judged by the file's content (not its name), with a size
limit; the shared sniffing and renaming live in ``presidium.uploads``."""

from django.utils.translation import gettext as _

from presidium.uploads import IMAGES_AND_PDF, check_upload

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9


def validate_upload(upload) -> str:
    """Return the real content type of ``upload`` (renamed to match it) or raise a ValidationError
    with a Chinese message."""
    return check_upload(
        upload,
        allowed=IMAGES_AND_PDF,
        max_bytes=MAX_BYTES,
        max_name=120,
        refused=_("附件“%(name)s”不是图片或 PDF 文件，只能上传 JPG、PNG、GIF、WEBP 图片或 PDF。"),
    ).content_type
