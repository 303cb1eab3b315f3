"""Every suggestions route, classified for the isolation matrix (tests/isolation.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from suggestions import services
from suggestions.models import Attachment, CoSigner, Status, Suggestion
from tests.isolation import B_NAMES, Listing, Posted, Scoped

from .helpers import make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MARK = "乙镇机密建议XYZ"
MARK_A1 = "甲镇一号代表的建议QQ"  # deputy_a's, handled by unit_a alone: not deputy_a2's, not unit_a2's


def _a1(status):
    return lambda cast: make(cast, status, title=MARK_A1, co_unit=False)


def _a1_marker(cast):
    make(cast, Status.SIGNED, title=MARK_A1, co_unit=False)
    return MARK_A1


A1_PEERS = {"deputy_a2": _a1(Status.SIGNED), "unit_a2": _a1(Status.SIGNED)}
A1_PEER_MARKERS = {"deputy_a2": _a1_marker, "unit_a2": _a1_marker}


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


def _a1_attachment(cast):
    s = make(cast, Status.SUBMITTED, title=MARK_A1)
    services._add_files(
        s,
        [SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")],
        kind=Attachment.Kind.SUBMISSION,
        actor=cast.deputy_a.user,
    )
    return s.attachments.get()


def _pending_history_b(cast, obj):
    """A stale pending register in the user's session that names township B."""
    return {"history_import": {"township": cast.township_b.pk, "kind": "suggestions", "path": "none.xlsx"}}


def _unchanged(cast, obj):
    fresh = Suggestion.objects.get(pk=obj.pk)
    return (fresh.status, fresh.version) == (obj.status, obj.version)


STAFF_COUNTY = ("staff_a", "county_a")

ROUTES = {
    "suggestions:list": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:my": Listing(roles=("deputy_a",), marker=_marker(), peer_markers=A1_PEER_MARKERS),
    "suggestions:new": Listing(
        roles=("deputy_a",),
        # Deputy A's own suggestion, inviting B's deputy to co-sign: nobody of B is invited.
        post_data=lambda c: {
            "title": "邀请外镇代表联名",
            "content": "内容",
            "category": "道路建设",
            "co_deputies": [c.deputy_b.pk],
            "submit": "1",
        },
        post_unchanged=lambda c: not CoSigner.objects.filter(deputy=c.deputy_b).exists(),
    ),
    "suggestions:paper": Listing(roles=("staff_a",), marker=lambda c: [c.deputy_b.name + "乙", *B_NAMES(c)]),
    "suggestions:history_import": Listing(roles=("staff_a",)),
    "suggestions:history_import_confirm": Posted(
        make=lambda c: Suggestion.objects.count(),
        session=_pending_history_b,
        data=lambda c, n: {"action": "commit"},
        unchanged=lambda c, n: Suggestion.objects.count() == n,
    ),
    "suggestions:paper_batch": Listing(roles=("staff_a",), marker=_deputy_b_named),
    "suggestions:unit_inbox": Listing(roles=("unit_a",), marker=_marker(), peer_markers=A1_PEER_MARKERS),
    "suggestions:briefing": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:briefing_pdf": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:stats": Listing(roles=STAFF_COUNTY, marker=lambda c: c.township_b.name),
    "suggestions:batch_assign": Posted(
        make=_b(Status.ACCEPTED),
        data=lambda c, o: {"ids": [o.pk], "unit": c.unit_b.pk},
        unchanged=_unchanged,
    ),
    "suggestions:export_register": Listing(roles=STAFF_COUNTY, marker=_marker()),
    "suggestions:export_summary": Listing(roles=STAFF_COUNTY, marker=lambda c: c.township_b.name),
    "suggestions:detail": Scoped(make=_b(Status.SIGNED), peers=A1_PEERS),
    "suggestions:edit": Scoped(
        make=_b(Status.DRAFT),
        data=lambda c, o: {"title": "篡改的标题", "content": "篡改的内容", "category": "道路建设"},
        peers={"deputy_a2": _a1(Status.DRAFT)},
    ),
    "suggestions:action": Scoped(
        make=_b(Status.SUBMITTED),
        kwargs=lambda obj: {"pk": obj.pk, "action": "accept"},
        method="post",
        data=lambda cast, obj: {"version": obj.version, "category": "道路建设"},
        unchanged=_unchanged,
    ),
    "suggestions:cosign": Scoped(
        make=_b(Status.SUBMITTED),
        method="post",
        data=lambda c, o: {"confirm": "1"},
        unchanged=_unchanged,
        peers={"deputy_a2": _a1(Status.SUBMITTED)},
    ),
    "suggestions:attachment": Scoped(
        make=_attachment_b,
        kwargs=lambda a: {"pk": a.suggestion_id, "file_pk": a.pk},
        peers={"deputy_a2": _a1_attachment},
    ),
    "suggestion-list": Listing(marker=_marker(), peer_markers=A1_PEER_MARKERS),
    "suggestion-detail": Scoped(make=_b(Status.SIGNED), peers=A1_PEERS),
    "suggestion-stats": Listing(roles=STAFF_COUNTY, marker=lambda c: f'"township_id":{c.township_b.pk},'),
}
