"""Uploaded files: judged by their content, stored under a name that matches it, and served back
only through permission-checked views with a safe content type.

- ``check_upload(upload, allowed=…)`` sniffs the bytes (``filetype`` for binary formats, Pillow to
  verify images, a strict test for plain text), refuses what is not in ``allowed`` (a PE named
  ``photo.jpg``, an SVG named ``.png``, an HTML page …) with a Chinese message, and renames the upload
  to the detected type (a PNG named ``poly.html`` is stored as ``poly.png``).
- ``serve_upload(field, name=…)`` is the one response for a stored file. The view that calls it
  has already fetched the owning object through its selector (same visibility as the object). The
  content type is sniffed again from the stored bytes (files stored before these checks are
  handled too); only images and PDF are shown inline, everything else is an attachment;
  ``X-Content-Type-Options: nosniff`` and a CSP that runs nothing are always set.

``MEDIA_URL`` is never served by the application (see presidium/urls.py).
"""

import os
import re
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str

    @property
    def is_image(self):
        return self.content_type in IMAGE_TYPES


IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
PDF = "application/pdf"
OFFICE_TYPES = {
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-works": "wps",
}
TEXT = "text/plain"
# Shown in the browser; everything else is downloaded.
INLINE_TYPES = {*IMAGE_TYPES, PDF}

# Sets of allowed extensions for the upload points.
IMAGES_AND_PDF = frozenset({*IMAGE_TYPES.values(), "pdf"})
DOCUMENTS = frozenset({*IMAGES_AND_PDF, *OFFICE_TYPES.values(), "txt"})

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_BY_EXTENSION = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "wps": "application/vnd.ms-works",
}
HEAD_BYTES = 8192
_MARKUP_RE = re.compile(rb"<\s*(!doctype|html|svg|script|\?xml|body|iframe|object|a\s)", re.IGNORECASE)
_UNSAFE_NAME_RE = re.compile(r"[\x00-\x1f\x7f\\/:*?\"<>|]+")


def _read_head(fileobj) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    return head or b""


def _declared_extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def sniff(head: bytes, declared_name: str = "") -> Sniffed | None:
    """The real type of a file from its first bytes, or None when it is none of the kinds the
    platform stores (executables, SVG/HTML, archives, scripts …)."""
    if not head:
        return None
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in IMAGE_TYPES:
            return Sniffed(kind.mime, IMAGE_TYPES[kind.mime])
        if kind.mime == PDF:
            return Sniffed(PDF, "pdf")
        if kind.mime in OFFICE_TYPES:
            return Sniffed(kind.mime, OFFICE_TYPES[kind.mime])
    if head.startswith(OLE_MAGIC):
        # Word/Excel 97-2003 and WPS share the OLE container; its directory names the program.
        declared = _declared_extension(declared_name)
        if declared in OLE_BY_EXTENSION:
            return Sniffed(OLE_BY_EXTENSION[declared], declared)
        return Sniffed("application/msword", "doc")
    if kind is None and _is_plain_text(head):
        return Sniffed(TEXT, "txt")
    return None


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head or _MARKUP_RE.search(head[:1024]):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # A multi-byte character may be cut at the end of the head.
            head.decode(encoding) if len(head) < HEAD_BYTES else head[:-4].decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def normalised_name(name: str, extension: str, *, max_length: int = 120) -> str:
    """``poly.html`` holding a PNG → ``poly.png``; path parts and control characters removed."""
    base = os.path.basename((name or "").replace("\\", "/"))
    stem = _UNSAFE_NAME_RE.sub("", os.path.splitext(base)[0]).strip(" .") or _("附件")
    suffix = f".{extension}"
    return stem[: max(1, max_length - len(suffix))] + suffix


def check_upload(
    upload, *, allowed=DOCUMENTS, max_bytes: int = 10 * 1024 * 1024, max_name: int = 120, refused: str = ""
) -> Sniffed:
    """Refuse an upload whose content is not one of ``allowed`` (extensions), or too big or empty;
    rename it to the detected type. Raises ``ValidationError`` with a Chinese message (``refused``,
    with ``%(name)s``, replaces the generic one for a wrong type)."""
    if upload is None:
        raise ValidationError(_("请选择要上传的文件。"))
    name = os.path.basename(getattr(upload, "name", "") or "") or _("附件")
    if not upload.size:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name})
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)s MB，请压缩后再上传。")
            % {"name": name, "mb": max_bytes // (1024 * 1024)}
        )
    sniffed = sniff(_read_head(upload), name)
    if sniffed is None or sniffed.extension not in allowed:
        kinds = "、".join(sorted(e.upper() for e in allowed))
        message = refused or _("文件“%(name)s”的内容不是允许的类型（可上传：%(kinds)s）。")
        raise ValidationError(message % {"name": name, "kinds": kinds})
    if sniffed.is_image:
        from PIL import Image

        try:
            with Image.open(upload) as img:
                img.verify()
        except Exception as exc:  # any decoder error means a broken or disguised file
            raise ValidationError(_("图片“%(name)s”已损坏或无法识别。") % {"name": name}) from exc
        finally:
            upload.seek(0)
    upload.name = normalised_name(name, sniffed.extension, max_length=max_name)
    return sniffed


def serve_upload(field, *, name: str = "", attachment: bool = False) -> FileResponse:
    """The response for a stored file the caller may show (visibility checked by the caller)."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    sniffed = sniff(_read_head(handle), name or field.name)
    content_type = sniffed.content_type if sniffed else "application/octet-stream"
    filename = normalised_name(name or field.name, sniffed.extension if sniffed else "bin")
    response = FileResponse(
        handle,
        as_attachment=attachment or content_type not in INLINE_TYPES,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if content_type != PDF:
        # Nothing in a served file may run, even if a browser ignored the content type.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    return response
