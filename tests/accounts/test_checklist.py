"""The first-day checklist: an empty township sees every step missing with a link to do it; a
township that set up shows them done; the page costs the same number of queries at any size."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.checklist import township_checklist
from deputies import services as deputy_services
from presidium.models import Role
from tests import factories as f
from tests.accounts.conftest import build_roster


def _items(township):
    return {i.key: i for i in township_checklist(township)}


def test_a_new_township_sees_what_is_missing_with_links(db):
    township = f.TownshipFactory(name="新开乡")
    staff = f.UserFactory(role=Role.STAFF, township=township)
    items = _items(township)
    assert not any(i.done for i in items.values())
    assert "还没有承办单位" in items["units"].missing[0]
    assert "还没有当前届次" in items["terms"].missing[0]
    assert "还没有选区" in items["districts"].missing[0]
    assert items["deputies"].url == reverse("deputies:roster_import")
    assert "还没有代表之家或联络站" in items["stations"].missing[0]
    assert not items["rules"].required and "默认值" in items["rules"].status

    client = Client()
    client.force_login(staff)
    html = client.get(reverse("accounts:checklist")).content.decode()
    assert "新开乡开通准备清单" in html and "已完成 0 / 8 项" in html
    for url in (reverse("deputies:terms"), reverse("deputies:districts"), reverse("accounts:unit_officers")):
        assert f'href="{url}"' in html


def test_the_checklist_counts_logins_issued_and_activated_and_roster_problems(cast, client):
    roster = build_roster(cast.township_a, cast.staff_a)
    items = _items(cast.township_a)
    # Serving: the cast's two deputies (with logins) + 6 of the roster (杨丽华 resigned).
    assert items["deputy_logins"].status == "已开通 2 / 8，已登录使用 0"
    assert any("1 名代表没有手机号码" in m for m in items["deputies"].missing)
    assert any("6 名在任代表还没有账号" in m for m in items["deputy_logins"].missing)

    result = services.deputy_logins_issue(
        township=cast.township_a, deputy_ids=roster.ids("王建华", "李秀兰"), actor=cast.staff_a
    )
    wang = next(line for line in result.issued if line.name == "王建华")
    client.post(reverse("login"), {"username": "13800001111", "password": wang.password})
    items = _items(cast.township_a)
    assert items["deputy_logins"].status == "已开通 4 / 8，已登录使用 1"
    assert any("3 名代表已开通账号但从未登录" in m for m in items["deputy_logins"].missing)
    assert items["units"].done and items["terms"].done
    # Every unit of the township has an officer (the cast's), the forestry station none yet.
    f.HandlingUnitFactory(township=cast.township_a, name="甲镇林业站")
    assert not _items(cast.township_a)["unit_logins"].done


def test_districts_over_their_seats_are_flagged(cast):
    district = deputy_services.district_save(
        township=cast.township_a, actor=cast.staff_a, name="东街选区", seats=1
    )
    for name in ("甲", "乙"):
        deputy_services.deputy_create(
            township=cast.township_a,
            term=cast.deputy_a.term,
            actor=cast.staff_a,
            fields={"name": f"东街代表{name}", "gender": "M", "district": district},
            effective_date=dt.date(2022, 1, 1),
        )
    item = _items(cast.township_a)["districts"]
    assert not item.done and any("东街选区" in m for m in item.missing)


def test_the_checklist_page_costs_the_same_queries_with_many_deputies(
    cast, staff_client, django_assert_max_num_queries
):
    build_roster(cast.township_a, cast.staff_a)
    with django_assert_max_num_queries(20) as small:
        assert staff_client.get(reverse("accounts:checklist")).status_code == 200
    next_term = f.TermFactory(township=cast.township_a, number=11, start_date=dt.date(2026, 1, 1))
    for i in range(40):
        f.DeputyFactory(township=cast.township_a, term=next_term, name=f"第十一届代表{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff_client.get(reverse("accounts:checklist")).status_code == 200


def test_county_staff_read_their_townships_checklists_only(cast):
    client = Client()
    client.force_login(cast.county_staff_a)
    html = client.get(reverse("accounts:checklist"), {"township": cast.township_a.pk}).content.decode()
    assert "甲镇开通准备清单" in html
    assert f'href="{reverse("deputies:terms")}?township={cast.township_a.pk}"' in html
    assert reverse("accounts:deputies") not in html  # the office issues logins, not the county
    other = client.get(reverse("accounts:checklist"), {"township": cast.township_b.pk}).content.decode()
    assert "乙镇" not in other and "甲镇开通准备清单" in other


def test_the_workbench_points_new_staff_to_the_checklist(cast, staff_client):
    html = staff_client.get(reverse("dashboards:workbench")).content.decode()
    assert f'href="{reverse("accounts:checklist")}"' in html
