"""Attachment checks: images and PDF only, judged by the file's content (not its name), with a size limit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9

# Leading bytes → content type.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]


def sniff(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_upload(upload) -> str:
    """Return the real content type of ``upload`` or raise a ValidationError with a Chinese message."""
    name = getattr(upload, "name", "") or _("附件")
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("附件“%(name)s”超过 %(mb)s MB，请压缩后再上传。")
            % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("附件“%(name)s”是空文件。") % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(
            _("附件“%(name)s”不是图片或 PDF 文件，只能上传 JPG、PNG、GIF、WEBP 图片或 PDF。") % {"name": name}
        )
    if content_type.startswith("image/"):
        from PIL import Image

        try:
            with Image.open(upload) as img:
                img.verify()
        except Exception as exc:  # any decoder error means a broken or disguised file
            raise ValidationError(_("图片“%(name)s”已损坏或无法识别。") % {"name": name}) from exc
        finally:
            upload.seek(0)
    return content_type
