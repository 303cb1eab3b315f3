"""A township roster as a real office builds it on its first day, through the deputies services (so
every deputy has a status history), with the usual flaws: deputies without a phone, a family phone
typed for two deputies, a deputy who resigned, a number already used by another login."""

import datetime as dt
from dataclasses import dataclass

import pytest

from deputies import services as deputy_services
from deputies.models import Deputy, Term
from presidium.models import Role
from tests import factories as f


@dataclass
class Roster:
    township: object
    term: object
    staff: object
    deputies: dict  # name → Deputy

    def ids(self, *names):
        return [self.deputies[n].pk for n in names]


def build_roster(township, staff, *, extra=0):
    term = Term.objects.filter(township=township).order_by("-number").first() or deputy_services.term_create(
        township=township, actor=staff, number=10, start_date=dt.date(2021, 12, 28)
    )
    d1 = deputy_services.district_save(township=township, actor=staff, name="城关第一选区", seats=3)
    d2 = deputy_services.district_save(township=township, actor=staff, name="城关第二选区", seats=4)
    people = [
        ("王建华", "13800001111", d1),
        ("李秀兰", "13800002222", d1),
        ("张志明", "", d1),  # no phone on the roster
        ("刘桂英", "13800003333", d2),  # husband and wife: one phone typed twice
        ("陈海涛", "13800003333", d2),
        ("杨丽华", "13800005555", d2),  # resigns below
        ("孙玉梅", "13800004444", d2),  # number already used by a unit officer's login
    ]
    people += [(f"代表{i:03d}", f"137{i:08d}", d2) for i in range(extra)]
    deputies = {}
    for name, phone, district in people:
        deputies[name] = deputy_services.deputy_create(
            township=township,
            term=term,
            actor=staff,
            fields={"name": name, "gender": "F", "phone": phone, "district": district},
            effective_date=dt.date(2021, 12, 28),
        )
    deputy_services.deputy_change_status(
        deputy=deputies["杨丽华"],
        to_status=Deputy.Status.RESIGNED,
        effective_date=dt.date(2024, 3, 1),
        actor=staff,
        document_ref="城关镇人大主席团〔2024〕3号",
        accepted_by_congress=True,
    )
    return Roster(township=township, term=term, staff=staff, deputies=deputies)


@pytest.fixture
def roster(cast):
    unit = f.HandlingUnitFactory(township=cast.township_a, name="甲镇林业站")
    f.UserFactory(role=Role.UNIT, unit=unit, full_name="林业站老周", phone="13800004444")
    return build_roster(cast.township_a, cast.staff_a)


@pytest.fixture
def sms_outbox(settings):
    from notifications import sms

    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
