"""Every supervision route, classified; township B's objects are made with the real services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from supervision import services
from supervision.models import (
    ActivityAttachment,
    ActivityKind,
    ActivityParticipant,
    Appraisal,
    AppraisalTarget,
    CommitmentItem,
    Finding,
    Petition,
    Rectification,
    RectificationEvidence,
    SupervisionActivity,
)
from tests.isolation import Listing, Scoped

from . import factories as sf

READERS = ("staff_a", "county_a")


def _activity_b(cast, **kw):
    return sf.activity(cast.township_b, actor=cast.staff_b, topic="乙镇机密视察XYZ", **kw)


def _participant_b(cast):
    act = _activity_b(cast)
    services.activity_add_participants(activity=act, deputies=[cast.deputy_b], actor=cast.staff_b)
    return ActivityParticipant.objects.get(activity=act)


def _attachment_b(cast):
    return services.attachment_add(
        activity=_activity_b(cast),
        actor=cast.staff_b,
        upload=SimpleUploadedFile("乙镇报告.pdf", b"%PDF-1.4 b", content_type="application/pdf"),
    )


def _finding_b(cast):
    return sf.finding(cast.township_b, actor=cast.staff_b, act=_activity_b(cast), content="乙镇机密问题XYZ")


def _commitment_b(cast):
    act = _activity_b(cast, kind=ActivityKind.THREE_ACCOUNTS)
    return services.commitment_add(activity=act, title="乙镇承诺XYZ", unit=cast.unit_b, actor=cast.staff_b)


def _appraisal_b(cast):
    return sf.appraisal(cast.township_b, [cast.unit_b], actor=cast.staff_b)


def _rect_b(cast):
    return sf.rectification(cast.township_b, cast.unit_b, title="乙镇机密整改XYZ", actor=cast.staff_b)


def _evidence_b(cast):
    rect = _rect_b(cast)
    officer = cast.unit_officer_b
    services.rectification_transition(
        rectification=rect,
        action="complete",
        actor=officer,
        comment="沉降路段已回填压实",
        files=[SimpleUploadedFile("乙镇佐证.jpg", sf.image_bytes(), content_type="image/jpeg")],
    )
    return RectificationEvidence.objects.get(rectification=rect)


def _petition_b(cast):
    return sf.petition(cast.township_b, actor=cast.staff_b, subject="乙镇机密信访XYZ")


def _rect_a1(cast):
    """Township A's rectification handed to unit A1 (unit A2's officer must not reach it)."""
    return sf.rectification(cast.township_a, cast.unit_a, title="甲镇一号单位整改QQ", actor=cast.staff_a)


def _participation_a1(cast):
    """An activity of A's in which deputy A1 alone took part (deputy A2's own list must not show it)."""
    act = sf.activity(cast.township_a, actor=cast.staff_a, topic="甲镇一号代表参加的视察QQ")
    services.activity_add_participants(activity=act, deputies=[cast.deputy_a], actor=cast.staff_a)
    return act.topic


RECT_PEERS = {"unit_a2": _rect_a1}


def _count(model, **kw):
    return lambda cast, obj: model.objects.filter(**kw).count()


def _marker(make):
    def marker(cast):
        make(cast)
        return "XYZ"

    return marker


ROUTES = {
    "supervision:activities": Listing(roles=READERS, marker=_marker(_activity_b)),
    "supervision:activity_create": Listing(roles=("staff_a",)),
    "supervision:activity_detail": Scoped(make=_activity_b),
    "supervision:activity_edit": Scoped(
        make=_activity_b,
        method="post",
        data=lambda c, o: {"kind": "research", "topic": "改", "start_date": "2024-01-01"},
        unchanged=lambda c, o: SupervisionActivity.objects.get(pk=o.pk).topic == o.topic,
    ),
    "supervision:participants_add": Scoped(
        make=_activity_b,
        method="post",
        data=lambda c, o: {"deputies": [c.deputy_b.pk]},
        unchanged=lambda c, o: not o.participants.exists(),
    ),
    "supervision:participant_remove": Scoped(
        make=_participant_b,
        method="post",
        unchanged=lambda c, o: ActivityParticipant.objects.filter(pk=o.pk).exists(),
    ),
    "supervision:attachment_add": Scoped(
        make=_activity_b,
        method="post",
        unchanged=lambda c, o: not ActivityAttachment.objects.filter(activity=o).exists(),
    ),
    "supervision:attachment_download": Scoped(make=_attachment_b),
    "supervision:finding_add": Scoped(
        make=_activity_b,
        method="post",
        data=lambda c, o: {"kind": "problem", "content": "注入"},
        unchanged=lambda c, o: not Finding.objects.filter(activity=o).exists(),
    ),
    "supervision:finding_forward": Scoped(
        make=_finding_b,
        method="post",
        data=lambda c, o: {"unit": c.unit_b.pk},
        unchanged=lambda c, o: Finding.objects.get(pk=o.pk).forwarded_unit_id is None,
    ),
    "supervision:rectification_create": Scoped(
        make=_finding_b,
        method="post",
        data=lambda c, o: {"title": "注入", "unit": c.unit_b.pk, "deadline": "2099-01-01"},
        unchanged=lambda c, o: not Rectification.objects.filter(finding=o).exists(),
    ),
    "supervision:commitment_add": Scoped(
        make=lambda c: _activity_b(c, kind=ActivityKind.THREE_ACCOUNTS),
        method="post",
        data=lambda c, o: {"title": "注入", "unit": c.unit_b.pk},
        unchanged=lambda c, o: not CommitmentItem.objects.filter(activity=o).exists(),
    ),
    "supervision:commitment_check": Scoped(
        make=_commitment_b,
        method="post",
        data=lambda c, o: {"stage": "delivered", "result": "done", "note": "x"},
        unchanged=lambda c, o: CommitmentItem.objects.get(pk=o.pk).stage == "set",
    ),
    "supervision:appraisal_create": Scoped(
        make=lambda c: _activity_b(c, kind=ActivityKind.APPRAISAL),
        method="post",
        data=lambda c, o: {"units": [c.unit_b.pk], "low_score_threshold": 80, "rectification_workdays": 20},
        unchanged=lambda c, o: not Appraisal.objects.filter(activity=o).exists(),
    ),
    "supervision:appraisal_detail": Scoped(make=_appraisal_b),
    "supervision:appraisal_paper": Scoped(
        make=_appraisal_b,
        method="post",
        data=lambda c, o: {
            f"t{t.pk}_{k}": 9 for t in o.targets.all() for k in ("satisfied", "basic", "unsatisfied")
        },
        unchanged=lambda c, o: (
            not AppraisalTarget.objects.filter(appraisal=o, paper_satisfied__gt=0).exists()
        ),
    ),
    "supervision:appraisal_close": Scoped(
        make=_appraisal_b,
        method="post",
        unchanged=lambda c, o: Appraisal.objects.get(pk=o.pk).status == "open",
    ),
    "supervision:appraisal_vote": Scoped(
        make=_appraisal_b,
        method="post",
        data=lambda c, o: {f"t{t.pk}": "unsatisfied" for t in o.targets.all()},
        unchanged=lambda c, o: (
            not AppraisalTarget.objects.filter(appraisal=o, app_unsatisfied__gt=0).exists()
        ),
    ),
    "supervision:appraisal_record_ballot": Scoped(
        make=_appraisal_b,
        method="post",
        data=lambda c, o: {"deputy": c.deputy_b.pk, **{f"t{t.pk}": "unsatisfied" for t in o.targets.all()}},
        unchanged=lambda c, o: not o.voters.exists(),
    ),
    "supervision:my": Listing(
        roles=("deputy_a",), marker=_marker(_participant_b), peer_markers={"deputy_a2": _participation_a1}
    ),
    "supervision:rectifications": Listing(
        roles=("staff_a", "county_a", "unit_a"),
        marker=_marker(_rect_b),
        peer_markers={"unit_a2": lambda c: _rect_a1(c).title},
    ),
    "supervision:rectification_detail": Scoped(make=_rect_b, peers=RECT_PEERS),
    "supervision:rectification_act": Scoped(
        make=_rect_b,
        method="post",
        data=lambda c, o: {"action": "complete", "version": o.version, "comment": "注入"},
        unchanged=lambda c, o: Rectification.objects.get(pk=o.pk).status == "assigned",
        peers=RECT_PEERS,
    ),
    "supervision:evidence_download": Scoped(make=_evidence_b),
    "supervision:petitions": Listing(roles=(*READERS, "unit_a"), marker=_marker(_petition_b)),
    "supervision:petition_create": Listing(
        roles=("staff_a",),
        # A's own register, but naming B's deputy as the source: nothing may be recorded for them.
        post_data=lambda c: {
            "received_on": "2024-05-10",
            "channel": "visit",
            "source_kind": "deputy",
            "deputy": c.deputy_b.pk,
            "person_name": "冒名",
            "subject": "冒名信访",
            "content": "冒名信访",
        },
        post_unchanged=lambda c: not Petition.objects.filter(deputy=c.deputy_b).exists(),
    ),
    "supervision:petition_detail": Scoped(make=_petition_b),
    "supervision:petition_act": Scoped(
        make=_petition_b,
        method="post",
        data=lambda c, o: {"action": "close", "version": o.version, "result": "注入"},
        unchanged=lambda c, o: Petition.objects.get(pk=o.pk).status == "registered",
    ),
}

ROUTES.update(
    {
        "supervision-activity-list": Listing(marker=_marker(_activity_b)),
        "supervision-activity-detail": Scoped(make=_activity_b),
        "supervision-rectification-list": Listing(
            marker=_marker(_rect_b), peer_markers={"unit_a2": lambda c: _rect_a1(c).title}
        ),
        "supervision-rectification-detail": Scoped(make=_rect_b, peers=RECT_PEERS),
    }
)

ROUTES.update(
    {
        "supervision:rectification_export": Listing(
            roles=("staff_a", "county_a", "unit_a"), marker=_marker(_rect_b)
        ),
        "supervision:appraisal_target_report": Scoped(
            make=lambda c: _appraisal_b(c).targets.get(),
            method="post",
            data=lambda c, o: {"report": "注入"},
            unchanged=lambda c, o: AppraisalTarget.objects.get(pk=o.pk).report == o.report,
        ),
    }
)

ROUTES.update(
    {
        "supervision:finding_delete": Scoped(
            make=_finding_b, method="post", unchanged=lambda c, o: Finding.objects.filter(pk=o.pk).exists()
        ),
    }
)

ROUTES.update({"supervision:activity_pdf": Scoped(make=_activity_b)})
