"""Democratic scoring from paper ballots recorded for named deputies (代录): the same rules as the
deputy's own vote, the voter row says it was recorded and by whom, the choice stays unlinked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from deputies.models import Deputy
from presidium.models import AuditEntry
from supervision import services
from supervision.models import AppraisalTarget, AppraisalVoter
from supervision.selectors import appraisal_results

from . import factories as sf


def _record(cast, appraisal, deputy, choice="satisfied", actor=None):
    return services.appraisal_cast(
        appraisal=appraisal,
        deputy=deputy,
        actor=actor or cast.staff_a,
        choices={t.pk: choice for t in appraisal.targets.all()},
        recorded=True,
    )


def test_staff_record_a_deputys_paper_ballot_and_the_tally_counts_it(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a, cast.unit_a2])
    _record(cast, appraisal, cast.deputy_a2, "basic")
    voter = AppraisalVoter.objects.get(appraisal=appraisal)
    assert (voter.deputy, voter.channel, voter.recorded_by) == (cast.deputy_a2, "paper", cast.staff_a)
    assert list(AppraisalTarget.objects.filter(appraisal=appraisal).values_list("app_basic", flat=True)) == [
        1,
        1,
    ]
    res = appraisal_results(appraisal)
    assert (res["voters"], res["voters_recorded"]) == (0, 1)
    log = AuditEntry.objects.get(action="supervision.appraisal_ballot_recorded")
    # The audit names the deputy and the channel, never the choice.
    assert log.detail == {"deputy": cast.deputy_a2.pk, "channel": "paper"} and log.actor == cast.staff_a


def test_a_recorded_ballot_is_refused_exactly_where_the_deputys_own_vote_would_be(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    services.appraisal_cast(
        appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t.pk: "satisfied"}
    )
    with pytest.raises(ValidationError, match="只能投票一次"):
        _record(cast, appraisal, cast.deputy_a)  # already voted online
    with pytest.raises(ValidationError):
        services.appraisal_cast(
            appraisal=appraisal, deputy=cast.deputy_a2, actor=cast.staff_a, choices={}, recorded=True
        )  # a target left blank
    with pytest.raises(PermissionDenied, match="不是本次测评的投票代表"):
        _record(cast, appraisal, cast.deputy_b)  # not a deputy of the township
    Deputy.objects.filter(pk=cast.deputy_a2.pk).update(status=Deputy.Status.RESIGNED)
    cast.deputy_a2.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _record(cast, appraisal, cast.deputy_a2)  # no longer serving
    assert AppraisalVoter.objects.filter(appraisal=appraisal).count() == 1
    services.appraisal_close(appraisal=appraisal, actor=cast.staff_a)
    fresh = sf.appraisal(cast.township_a, [cast.unit_a2])
    services.appraisal_close(appraisal=fresh, actor=cast.staff_a)
    with pytest.raises(ValidationError, match="已结束"):
        _record(cast, fresh, cast.deputy_a)


@pytest.mark.parametrize("who", ["staff_b", "county_staff_a", "unit_officer_a"])
def test_only_the_townships_staff_may_record_a_ballot(cast, who):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    with pytest.raises(PermissionDenied):
        _record(cast, appraisal, cast.deputy_a, actor=getattr(cast, who))
    with pytest.raises(PermissionDenied):  # and a deputy cannot pose as the office
        _record(cast, appraisal, cast.deputy_a2, actor=cast.deputy_a.user)
    assert not AppraisalVoter.objects.exists()


def test_the_ballot_page_lists_only_deputies_who_have_not_voted_and_records_one(cast):
    appraisal = sf.appraisal(cast.township_a, [cast.unit_a])
    (t,) = appraisal.targets.all()
    services.appraisal_cast(
        appraisal=appraisal, deputy=cast.deputy_a, actor=cast.deputy_a.user, choices={t.pk: "satisfied"}
    )
    url = reverse("supervision:appraisal_record_ballot", args=[appraisal.pk])
    client = cast.client_for(cast.staff_a)
    body = client.get(url).content.decode()
    assert f'value="{cast.deputy_a2.pk}"' in body and f'value="{cast.deputy_a.pk}"' not in body
    client.post(url, {"deputy": cast.deputy_a2.pk, f"t{t.pk}": "unsatisfied"})
    t.refresh_from_db()
    assert t.app_unsatisfied == 1
    assert AppraisalVoter.objects.get(deputy=cast.deputy_a2).channel == "paper"
    detail = client.get(reverse("supervision:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "另有 1 名代表的纸质选票由人大办逐张代录" in detail
