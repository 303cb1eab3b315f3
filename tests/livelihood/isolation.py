"""Every livelihood route, classified; township B's objects are made with the real services."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from livelihood import services
from livelihood.models import Project
from tests.isolation import Listing, Public, Scoped
from tests.supervision.factories import image_bytes

from .factories import YEAR, small_vote

MARK = "乙镇机密项目XYZ"


def _project_b(cast):
    return services.project_propose(
        township=cast.township_b,
        year=YEAR,
        title=MARK,
        content="乙镇内部",
        unit=cast.unit_b,
        planned_completion=dt.date(YEAR, 11, 30),
        actor=cast.staff_b,
    )


def _ballot_b(cast, count=True):
    return small_vote(cast.township_b, cast.staff_b, unit=cast.unit_b, count=count)


def _chosen_b(cast):
    return Project.objects.get(session=_ballot_b(cast).session, status=Project.Status.CHOSEN)


def _report_b(cast):
    return services.progress_report(
        project=_chosen_b(cast),
        percent=40,
        text="乙镇进展",
        actor=cast.unit_officer_b,
        photo=SimpleUploadedFile("现场.jpg", image_bytes(), content_type="image/jpeg"),
    )


def _marker(cast):
    _project_b(cast)
    return "XYZ"


ROUTES = {
    "livelihood:index": Listing(marker=_marker),
    "livelihood:project_new": Listing(
        roles=("staff_a",),
        # A's own project, but handed to B's unit and proposed by B's deputy: refused.
        post_data=lambda c: {
            "year": YEAR,
            "title": "冒名项目",
            "content": "冒名",
            "unit": c.unit_b.pk,
            "planned_completion": f"{YEAR}-11-30",
            "source": "government",
            "proposers": [c.deputy_b.pk],
        },
        post_unchanged=lambda c: (
            not Project.objects.filter(unit=c.unit_b).exists()
            and not Project.objects.filter(proposers=c.deputy_b).exists()
        ),
    ),
    "livelihood:export": Listing(roles=("staff_a", "county_a", "unit_a"), marker=_marker),
    "livelihood:score_open": Listing(roles=("staff_a",)),
    "livelihood:project_detail": Scoped(make=_project_b),
    "livelihood:report_photo": Scoped(make=_report_b),
    "livelihood:session_vote": Scoped(
        make=lambda c: _ballot_b(c, count=False).session,
        method="post",
        data=lambda c, o: {"action": "count", "issued": 3, "returned": 3, "valid": 3, "invalid": 0},
        unchanged=lambda c, o: not Project.objects.filter(session=o, status=Project.Status.CHOSEN).exists(),
    ),
    "livelihood:session_vote_pdf": Scoped(make=lambda c: _ballot_b(c).session),
    "livelihood:progress_pdf": Scoped(
        make=lambda c: _chosen_b(c).township, kwargs=lambda t: {"township_id": t.pk, "year": YEAR}
    ),
    "livelihood:ballot_vote": Scoped(
        make=lambda c: _ballot_b(c, count=False),
        method="post",
        data=lambda c, o: {
            "project": list(Project.objects.filter(session=o.session).values_list("pk", flat=True)[:1])
        },
        unchanged=lambda c, o: not o.voters.exists(),
    ),
    "livelihood:public": Public(kwargs={"township_id": 999999}),
    "livelihood-project-list": Listing(marker=_marker),
    "livelihood-project-detail": Scoped(make=_project_b),
}
