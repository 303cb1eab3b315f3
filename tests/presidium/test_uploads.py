"""Uploaded files: judged by content, renamed to it, and served only through the view of the object
they belong to — never as a raw /media/ URL, whatever the settings mode."""

import importlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse
from PIL import Image

from congress.models import AgendaItem
from presidium.uploads import check_upload, serve_upload
from reports.models import JobKind, JobStatus, ReportJob
from suggestions import services as suggestion_services
from suggestions.models import Attachment
from supervision import services as supervision_services
from supervision.models import RectificationEvidence
from tests.congress import factories as cf
from tests.supervision import factories as sf

PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 200
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png():
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", PE),
        ("图.png", SVG),
        ("说明.txt", HTML),
        ("报告.pdf", b"MZ" + PE),
        ("坏图.jpg", b"\xff\xd8\xff0"),
    ],
    ids=["pe-named-jpg", "svg-named-png", "html-named-txt", "pe-named-pdf", "broken-jpeg"],
)
def test_a_file_whose_content_is_not_an_allowed_type_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile(name, content))


def test_a_png_named_html_is_accepted_as_the_png_it_is():
    upload = SimpleUploadedFile("poly.html", png(), content_type="text/html")
    sniffed = check_upload(upload)
    assert (sniffed.content_type, upload.name) == ("image/png", "poly.png")


def test_activity_attachments_and_rectification_evidence_are_judged_by_content(cast):
    activity = sf.activity(cast.township_a)
    with pytest.raises(ValidationError):
        supervision_services.attachment_add(
            activity=activity, upload=SimpleUploadedFile("photo.jpg", PE), actor=cast.staff_a
        )
    rect = sf.rectification(cast.township_a, cast.unit_a)
    with pytest.raises(ValidationError):
        supervision_services.rectification_transition(
            rectification=rect,
            action="complete",
            actor=cast.unit_officer_a,
            comment="已完成",
            files=[SimpleUploadedFile("现场.png", SVG)],
        )
    assert not activity.attachments.exists() and not RectificationEvidence.objects.exists()


def test_a_png_named_poly_html_is_stored_and_served_as_an_image_never_as_html(cast):
    s = suggestion_services.suggestion_create_by_deputy(
        deputy=cast.deputy_a,
        actor=cast.deputy_a.user,
        title="村口路灯不亮",
        content="晚上漆黑一片。",
        files=[
            SimpleUploadedFile("poly.html", png() + b"<script>alert(1)</script>", content_type="text/html")
        ],
    )
    att = s.attachments.get()
    assert att.name == "poly.png" and att.file.name.endswith(".png")
    response = cast.client_for(cast.deputy_a.user).get(reverse("suggestions:attachment", args=[s.pk, att.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"].startswith("inline") and "poly.png" in response["Content-Disposition"]
    )


def test_a_file_stored_before_the_checks_is_served_as_a_download_never_as_a_page(cast, tmp_path):
    item = cf.agenda_item(cf.session(cast.township_a))
    item.document.save("poly.html", ContentFile(HTML))
    response = serve_upload(item.document, name="poly.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "poly.bin" in response["Content-Disposition"]
    )
    assert (
        response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    )


def _uploaded_files(cast):
    """One stored file of every kind the platform keeps, in township A, with the users who must
    not get it: (label, raw media URL, download URL, wrong users)."""
    draft = suggestion_services.suggestion_create_by_deputy(
        deputy=cast.deputy_a,
        actor=cast.deputy_a.user,
        title="草稿：集镇排水",
        content="雨天积水。",
        files=[SimpleUploadedFile("私人草稿.pdf", PDF)],
    )
    draft_att = draft.attachments.get()
    activity = sf.activity(cast.township_a)
    act_att = supervision_services.attachment_add(
        activity=activity, upload=SimpleUploadedFile("视察报告.pdf", PDF), actor=cast.staff_a
    )
    rect = sf.rectification(cast.township_a, cast.unit_a)
    supervision_services.rectification_transition(
        rectification=rect,
        action="complete",
        actor=cast.unit_officer_a,
        comment="已完成",
        files=[SimpleUploadedFile("现场.jpg", sf.image_bytes())],
    )
    evidence = RectificationEvidence.objects.get(rectification=rect)
    item = cf.agenda_item(cf.session(cast.township_a))
    item.document.save("政府工作报告.pdf", ContentFile(PDF))
    job = ReportJob.objects.create(
        township=cast.township_a, kind=JobKind.ANNUAL_REPORT, year=2024, status=JobStatus.DONE
    )
    job.file.save("annual.pdf", ContentFile(PDF))
    outsiders = [cast.staff_b, cast.county_staff_b, cast.unit_officer_b, cast.deputy_b.user]
    return [
        (
            "draft suggestion attachment",
            draft_att.file.url,
            reverse("suggestions:attachment", args=[draft.pk, draft_att.pk]),
            [cast.deputy_a2.user, cast.unit_officer_a, *outsiders],
        ),
        (
            "activity attachment",
            act_att.file.url,
            reverse("supervision:attachment_download", args=[act_att.pk]),
            [cast.deputy_a2.user, *outsiders],
        ),
        (
            "rectification evidence",
            evidence.file.url,
            reverse("supervision:evidence_download", args=[evidence.pk]),
            [cast.unit_officer_a2, *outsiders],
        ),
        (
            "agenda document",
            item.document.url,
            reverse("congress:agenda_document", args=[item.pk]),
            outsiders,
        ),
        ("report file", job.file.url, reverse("reports:job_download", args=[job.pk]), outsiders),
    ]


@pytest.fixture
def default_settings_urls(settings):
    """The URLconf as the embedded default builds it (DEBUG on), rebuilt afterwards."""
    import presidium.urls

    settings.DEBUG = True
    importlib.reload(presidium.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(presidium.urls)
    clear_url_caches()


def test_no_uploaded_file_is_reachable_by_its_raw_media_url_on_the_default_settings(
    cast, default_settings_urls
):
    files = _uploaded_files(cast)
    assert Attachment.objects.count() == 1 and AgendaItem.objects.exclude(document="").count() == 1
    for label, media_url, _download, _wrong in files:
        assert media_url.startswith("/media/")
        for user in (None, cast.staff_a):
            response = cast.client_for(user).get(media_url)
            assert response.status_code == 404, f"{label} served raw at {media_url}"


def test_every_uploaded_file_is_refused_through_its_view_to_the_wrong_users(cast):
    for label, _media, download, wrong_users in _uploaded_files(cast):
        anonymous = cast.client_for(None).get(download)
        assert anonymous.status_code == 302 and "login" in anonymous["Location"], label
        for user in wrong_users:
            response = cast.client_for(user).get(download)
            assert response.status_code in (403, 404), f"{user} got the {label}: {response.status_code}"


def test_the_owner_gets_each_file_with_a_safe_content_type(cast):
    owners = {
        "draft suggestion attachment": cast.deputy_a.user,
        "activity attachment": cast.staff_a,
        "rectification evidence": cast.unit_officer_a,
        "agenda document": cast.staff_a,
        "report file": cast.staff_a,
    }
    for label, _media, download, _wrong in _uploaded_files(cast):
        response = cast.client_for(owners[label]).get(download)
        assert response.status_code == 200, label
        assert response["Content-Type"] in ("application/pdf", "image/jpeg"), label
        assert response["X-Content-Type-Options"] == "nosniff"
