"""Makers for supervision objects (through the services, so tests exercise the real writes)."""

import datetime as dt

from presidium.models import Role
from supervision import services
from supervision.models import ActivityKind, Finding
from tests import factories as f


def staff_of(township):
    from presidium.models import User

    user = User.objects.filter(role=Role.STAFF, township=township).first()
    return user or f.UserFactory(role=Role.STAFF, township=township)


def activity(township, *, kind=ActivityKind.INSPECTION, topic="农村公路建设视察", actor=None, **kw):
    kw.setdefault("start_date", dt.date(2024, 5, 10))
    if kind == ActivityKind.LAW_ENFORCEMENT:
        kw.setdefault("law_checked", "《中华人民共和国土地管理法》")
    return services.activity_create(
        township=township, actor=actor or staff_of(township), kind=kind, topic=topic, **kw
    )


def finding(township, *, kind=Finding.Kind.PROBLEM, content="部分路段路基沉降", actor=None, act=None):
    act = act or activity(township)
    return services.finding_add(activity=act, kind=kind, content=content, actor=actor or staff_of(township))


def rectification(township, unit, *, title="修复沉降路段", actor=None, **kw):
    actor = actor or staff_of(township)
    if "deadline" not in kw and "workdays" not in kw:
        kw["deadline"] = dt.date.today() + dt.timedelta(days=30)
    return services.rectification_create(township=township, unit=unit, title=title, actor=actor, **kw)


def appraisal(township, units, *, threshold=80, actor=None, officials=()):
    act = activity(township, kind=ActivityKind.APPRAISAL, topic="评议站所工作", actor=actor)
    targets = [(u, "", f"{u.name}述职报告") for u in units] + [(None, name, "") for name in officials]
    return services.appraisal_create(
        activity=act, actor=actor or staff_of(township), targets=targets, low_score_threshold=threshold
    )


def petition(township, *, subject="反映村道破损", actor=None, **kw):
    kw.setdefault("received_on", dt.date.today())
    kw.setdefault("channel", "letter")
    kw.setdefault("content", "村道多处破损，雨天积水，群众出行不便。")
    return services.petition_register(
        township=township, actor=actor or staff_of(township), subject=subject, **kw
    )


def image_bytes(fmt="JPEG", color="red") -> bytes:
    """A real (tiny) photo: uploads are judged by their content, so a few magic bytes are not enough."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), color).save(buffer, fmt)
    return buffer.getvalue()


def serving_deputies(township, total: int):
    """Bring the township's serving deputies up to ``total`` (who may cast democratic-scoring ballots)."""
    from deputies.models import Deputy

    have = Deputy.objects.filter(township=township, status=Deputy.Status.SERVING).count()
    if total > have:
        district = f.ElectoralDistrictFactory(township=township)
        f.DeputyFactory.create_batch(total - have, township=township, district=district)
