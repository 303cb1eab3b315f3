"""Every suggestions route, classified for the isolation matrix (tests/isolation.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from suggestions import services
from suggestions.models import Attachment, Status, Suggestion
from tests.isolation import Listing, Scoped, Static

from .helpers import make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MARK = "乙镇机密建议XYZ"


def _b(status):
    return lambda cast: make(cast, status, side="b", title=MARK)


def _marker(status=Status.SIGNED):
    def make_marker(cast):
        make(cast, status, side="b", title=MARK)
        return MARK

    return make_marker


def _attachment_b(cast):
    s = make(cast, Status.SUBMITTED, side="b", title=MARK)
    services._add_files(
        s,
        [SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")],
        kind=Attachment.Kind.SUBMISSION,
        actor=cast.deputy_b.user,
    )
    return s.attachments.get()


def _deputy_b_named(cast):
    """Township B's deputy gets a name the batch page's name picker must never offer."""
    type(cast.deputy_b).objects.filter(pk=cast.deputy_b.pk).update(name="乙镇欧阳代表")
    return "乙镇欧阳代表"


def _unchanged(cast, obj):
    fresh = Suggestion.objects.get(pk=obj.pk)
    return (fresh.status, fresh.version) == (obj.status, obj.version)


STAFF_COUNTY = ("staff_a", "county_a")

ROUTES = {
    "suggestions:list": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:my": Listing(roles=("deputy_a",), marker=_marker()),
    "suggestions:new": Listing(roles=("deputy_a",)),
    "suggestions:paper": Listing(roles=("staff_a",), marker=lambda c: c.deputy_b.name + "乙"),
    "suggestions:history_import": Listing(roles=("staff_a",)),
    "suggestions:history_import_confirm": Static(roles=("staff_a",), method="post"),
    "suggestions:paper_batch": Listing(roles=("staff_a",), marker=_deputy_b_named),
    "suggestions:unit_inbox": Listing(roles=("unit_a",), marker=_marker()),
    "suggestions:briefing": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:briefing_pdf": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:stats": Listing(roles=STAFF_COUNTY, marker=lambda c: c.township_b.name),
    "suggestions:batch_assign": Static(roles=("staff_a",), method="post"),
    "suggestions:export_register": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:export_summary": Listing(roles=STAFF_COUNTY, marker=lambda c: c.township_b.name),
    "suggestions:detail": Scoped(make=_b(Status.SIGNED)),
    "suggestions:edit": Scoped(make=_b(Status.DRAFT)),
    "suggestions:action": Scoped(
        make=_b(Status.SUBMITTED),
        kwargs=lambda obj: {"pk": obj.pk, "action": "accept"},
        method="post",
        data=lambda cast, obj: {"version": obj.version, "category": "道路建设"},
        unchanged=_unchanged,
    ),
    "suggestions:cosign": Scoped(
        make=_b(Status.SUBMITTED), method="post", data=lambda c, o: {"confirm": "1"}, unchanged=_unchanged
    ),
    "suggestions:attachment": Scoped(
        make=_attachment_b, kwargs=lambda a: {"pk": a.suggestion_id, "file_pk": a.pk}
    ),
    "suggestion-list": Listing(marker=_marker()),
    "suggestion-detail": Scoped(make=_b(Status.SIGNED)),
    "suggestion-stats": Listing(roles=STAFF_COUNTY, marker=lambda c: f'"township_id":{c.township_b.pk},'),
}
