"""County totals of the democratic-scoring satisfaction rate: recomputed from the summed ballots."""

import datetime as dt

import pytest
from django.urls import reverse

from supervision import services
from tests import factories as f
from tests.supervision import factories as sf

pytestmark = pytest.mark.django_db


def _scored(township, counts):
    sf.serving_deputies(township, 30)
    unit = f.HandlingUnitFactory(township=township, name=f"{township.name}财政所")
    appraisal = sf.appraisal(township, [unit])
    appraisal.activity.start_date = dt.date.today()
    appraisal.activity.save()
    (target,) = appraisal.targets.all()
    services.appraisal_enter_paper(
        appraisal=appraisal, actor=sf.staff_of(township), counts={target.pk: counts}
    )


def test_the_county_total_of_the_satisfaction_rate_is_the_rate_of_all_ballots(cast):
    other = f.TownshipFactory(county=cast.county_a, name="丙镇")
    _scored(cast.township_a, (8, 1, 1))  # 9 of 10 = 90 %
    _scored(other, (10, 5, 15))  # 15 of 30 = 50 %
    response = cast.client_for(cast.county_staff_a).get(
        reverse("dashboards:county"), {"section": "supervision", "sort": "appraisal_satisfaction_rate"}
    )
    keys = [c["key"] for c in response.context["columns"]]
    rates = [r["cells"][keys.index("appraisal_satisfaction_rate")] for r in response.context["rows"]]
    total = response.context["total_cells"][keys.index("appraisal_satisfaction_rate")]
    assert rates == ["90.0", "50.0"]
    # (9 + 15) / (10 + 30) ballots — not the average of the two rates (70.0), and never empty.
    assert total == "60.0"


def test_every_rate_an_app_reports_declares_the_counts_its_county_total_is_computed_from():
    from dashboards import selectors

    for section in selectors.available_sections():
        labels = selectors.section_labels(section)
        declared = selectors.rate_definitions(section)
        for key in labels:
            if selectors.is_rate(key):
                assert key in declared, (section, key)
                numerator, denominator = declared[key]
                assert numerator in labels and denominator in labels, (section, key)


def test_the_county_total_of_the_six_ones_rate_is_recomputed_from_the_counts():
    from dashboards import selectors

    rows = {
        1: {"deputies": {"deputies_serving": 10, "six_ones_complete": 9, "six_ones_rate": 90.0}},
        2: {"deputies": {"deputies_serving": 30, "six_ones_complete": 15, "six_ones_rate": 50.0}},
    }
    assert selectors.totals(rows)["deputies"]["six_ones_rate"] == 60.0
