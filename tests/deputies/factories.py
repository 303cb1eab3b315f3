"""Makers for the deputies app's objects (the roster factories are in tests/factories.py)."""

import datetime as dt

from deputies.models import (
    Activity,
    DeputyGroup,
    DutyReport,
    ElectoralDistrict,
    ReceptionDay,
    Station,
    Training,
    VoterContact,
    VoterOpinion,
)
from tests import factories as f


def district(township, name="第1选区", seats=3):
    return ElectoralDistrict.objects.get_or_create(township=township, name=name, defaults={"seats": seats})[0]


def group(township, name="第一代表小组", **kwargs):
    return DeputyGroup.objects.create(township=township, name=name, **kwargs)


def station(township, name="东岭村代表联络站", deputies=(), **kwargs):
    s = Station.objects.create(township=township, name=name, **kwargs)
    s.deputies.set(deputies)
    return s


def reception_day(station_, date=None, deputies=(), status=ReceptionDay.Status.PLANNED):
    day = ReceptionDay.objects.create(
        township_id=station_.township_id, station=station_, date=date or dt.date.today(), status=status
    )
    day.deputies.set(deputies)
    return day


def opinion(township, content="村道坑洼需要修", **kwargs):
    kwargs.setdefault("received_on", dt.date.today())
    return VoterOpinion.objects.create(township=township, content=content, **kwargs)


def contact(deputy, voter_name="王选民", date=None, way="visit", content=""):
    return VoterContact.objects.create(
        township_id=deputy.township_id,
        deputy=deputy,
        voter_name=voter_name,
        date=date or dt.date.today(),
        way=way,
        content=content,
    )


def training(township, topic="代表法学习", date=None, attendees=()):
    t = Training.objects.create(township=township, topic=topic, date=date or dt.date.today(), hours=2)
    t.attendees.set(attendees)
    return t


def activity(township, kind="group_activity", title="小组活动", date=None, deputies=()):
    a = Activity.objects.create(township=township, kind=kind, title=title, date=date or dt.date.today())
    a.deputies.set(deputies)
    return a


def duty_report(deputy, date=None, **kwargs):
    return DutyReport.objects.create(
        township_id=deputy.township_id, deputy=deputy, date=date or dt.date.today(), **kwargs
    )


def deputy(township, name="赵测试", **kwargs):
    return f.DeputyFactory(township=township, name=name, **kwargs)
