""" "在任代表" and the congress's quorum count different people, and every page says which."""

import datetime as dt

import pytest
from django.urls import reverse

from congress.models import Session
from congress.selectors import session_quorum
from deputies.models import Deputy
from deputies.selectors import STATS_LABELS, township_stats
from tests import factories as f
from tests.congress import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def township_with_a_county_deputy(cast):
    """Township A: its two cast deputies plus one more township deputy, and one county-level
    deputy organised in the township (编入本镇的县人大代表)."""
    term = cf.term_for(cast.township_a)
    f.DeputyFactory(township=cast.township_a, term=term, name="赵乡代")
    f.DeputyFactory(township=cast.township_a, term=term, name="钱县代", level=Deputy.Level.COUNTY)
    return cast.township_a


def test_township_figures_split_serving_deputies_by_level_and_say_which_counts_for_quorum(
    township_with_a_county_deputy,
):
    t = township_with_a_county_deputy
    today = dt.date.today()
    figures = township_stats(township_ids=[t.pk], start=today.replace(month=1, day=1), end=today)[t.pk]
    township_level = Deputy.objects.filter(township=t, level=Deputy.Level.TOWNSHIP).count()
    assert figures["deputies_serving"] == township_level + 1
    assert figures["deputies_serving_township"] == township_level
    assert figures["deputies_serving_higher"] == 1
    assert "县级以上" in str(STATS_LABELS["deputies_serving"])
    assert "法定人数" in str(STATS_LABELS["deputies_serving_township"])


def test_the_session_quorum_counts_township_deputies_only_and_says_so(township_with_a_county_deputy, cast):
    t = township_with_a_county_deputy
    session = cf.session(t, status=Session.Status.IN_SESSION, start_date=dt.date.today())
    township_level = Deputy.objects.filter(township=t, level=Deputy.Level.TOWNSHIP).count()
    assert session_quorum(session)["total"] == township_level
    page = cast.client_for(cast.staff_a).get(reverse("congress:session_detail", args=[session.pk]))
    html = page.content.decode()
    assert f"应到 {township_level}" in html and "县级以上人大代表不计入" in html


def test_the_composition_page_names_both_counts(township_with_a_county_deputy, cast):
    html = cast.client_for(cast.staff_a).get(reverse("deputies:composition")).content.decode()
    township_level = Deputy.objects.filter(
        township=township_with_a_county_deputy, level=Deputy.Level.TOWNSHIP
    ).count()
    assert f"在任代表 {township_level + 1} 名：乡镇人大代表 {township_level} 名" in html
    assert "编入本镇的县级以上人大代表 1 名" in html
