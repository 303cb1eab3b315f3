import pytest
from django.core.exceptions import ValidationError

from suggestions.models import CoSigner, SourceKind, Status, Suggestion, SuggestionEvent
from suggestions.services import suggestion_create_from_source


def test_voter_opinion_becomes_a_suggestion_that_keeps_its_origin(cast):
    # Any model instance can be a source; a deputy stands in for a voter-opinion row here.
    origin = cast.deputy_a2
    s = suggestion_create_from_source(
        source=origin,
        township=cast.township_a,
        title="修复村口路灯",
        content="路灯坏了半年",
        actor=cast.staff_a,
        lead_deputy=cast.deputy_a,
        co_deputies=[cast.deputy_a2],
        category="道路建设",
        source_kind=SourceKind.VOTER_OPINION,
    )
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Status.SUBMITTED
    assert s.source == origin
    assert s.source_kind == SourceKind.VOTER_OPINION
    assert s.assign_due is not None and s.due_date == s.assign_due
    assert list(CoSigner.objects.filter(suggestion=s).values_list("deputy_id", flat=True)) == [
        cast.deputy_a2.pk
    ]
    assert SuggestionEvent.objects.filter(suggestion=s, action="create", actor=cast.staff_a).count() == 1


def test_source_kind_is_guessed_from_unknown_models_as_other(cast):
    s = suggestion_create_from_source(
        source=cast.unit_a, township=cast.township_a, title="标题", content="内容", actor=cast.staff_a
    )
    assert s.source_kind == SourceKind.OTHER


def test_create_from_source_refuses_a_deputy_of_another_township(cast):
    with pytest.raises(ValidationError):
        suggestion_create_from_source(
            source=cast.unit_a,
            township=cast.township_a,
            title="标题",
            content="内容",
            actor=cast.staff_a,
            lead_deputy=cast.deputy_b,
        )
    assert not Suggestion.objects.exists()


def test_create_from_source_refuses_an_empty_title(cast):
    with pytest.raises(ValidationError):
        suggestion_create_from_source(
            source=cast.unit_a, township=cast.township_a, title=" ", content="内容", actor=cast.staff_a
        )


def test_detail_page_shows_the_origin_of_a_converted_item(cast):
    s = suggestion_create_from_source(
        source=cast.unit_a,
        township=cast.township_a,
        title="来自议案",
        content="内容",
        actor=cast.staff_a,
        source_kind=SourceKind.MOTION,
    )
    body = cast.client_for(cast.staff_a).get(f"/suggestions/{s.pk}/").content.decode()
    assert "来源记录" in body and cast.unit_a.name in body and "议案转建议" in body
