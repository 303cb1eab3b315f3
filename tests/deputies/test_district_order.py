"""Districts sort the way people count (第1选区, 第2选区 … 第10选区) on pages, filters and books."""

import pytest
from django.urls import reverse

from deputies.models import Deputy, ElectoralDistrict, natural_sort_key
from deputies.services import district_save
from reports.books import build_roster
from tests import factories as f

pytestmark = pytest.mark.django_db

# Entered in the order an office typically types them, which is also their text order.
TYPED = [
    "第10选区（柳林村）",
    "第11选区（东山村）",
    "第1选区（集镇）",
    "第2选区（河西村）",
    "第9选区（南岗村）",
]
COUNTED = [
    "第1选区（集镇）",
    "第2选区（河西村）",
    "第9选区（南岗村）",
    "第10选区（柳林村）",
    "第11选区（东山村）",
]


@pytest.fixture
def districts(cast):
    out = {}
    for name in TYPED:
        out[name] = district_save(township=cast.township_a, actor=cast.staff_a, name=name, seats=3)
    return out


def test_the_natural_key_counts_digits_full_width_digits_and_chinese_numerals():
    names = ["第十二选区", "第2选区", "第１０选区", "第一选区", "第二选区", "东山村选区", "第3选区"]
    assert sorted(names, key=natural_sort_key) == [
        "东山村选区",  # a name without a number keeps its text place
        "第一选区",
        "第2选区",
        "第二选区",
        "第3选区",
        "第１０选区",
        "第十二选区",
    ]


def test_a_renamed_district_moves_to_its_counted_place(cast, districts):
    d = districts["第9选区（南岗村）"]
    district_save(
        township=cast.township_a, actor=cast.staff_a, name="第12选区（南岗村）", seats=3, district=d
    )
    names = list(
        ElectoralDistrict.objects.filter(township=cast.township_a, name__contains="（").values_list(
            "name", flat=True
        )
    )
    assert names == [*COUNTED[:2], *COUNTED[3:], "第12选区（南岗村）"]


def test_the_districts_page_lists_districts_in_counted_order(cast, districts, staff_client):
    html = staff_client.get(reverse("deputies:districts")).content.decode()
    positions = [html.index(name) for name in COUNTED]
    assert positions == sorted(positions)


def test_the_roster_filter_offers_districts_in_counted_order(cast, districts, staff_client):
    html = staff_client.get(reverse("deputies:roster")).content.decode()
    positions = [html.index(f">{name}<") for name in COUNTED]
    assert positions == sorted(positions)


def test_the_roster_book_groups_deputies_by_district_in_counted_order(cast, districts):
    Deputy.objects.filter(township=cast.township_a).delete()
    for name in TYPED:
        f.DeputyFactory(township=cast.township_a, district=districts[name], name=name[:3] + "代表")
    register = build_roster(cast.township_a, 2025, cast.staff_a, {})
    district_column = register.headers.index("选区")
    assert [row[district_column] for row in register.rows] == COUNTED
