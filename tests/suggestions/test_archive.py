import datetime as dt

from suggestions import services
from suggestions.archive import suggestions_made
from suggestions.models import Status

from .helpers import make


def test_archive_counts_led_joint_accepted_and_resolved_suggestions(cast, django_assert_max_num_queries):
    make(cast, Status.CLOSED, outcome="A")  # led, accepted, resolved
    make(cast, Status.CLOSED, outcome="C")  # led, accepted, not resolved
    make(cast, Status.NOT_ACCEPTED)  # led only
    make(cast, Status.DRAFT)  # a draft is not "made"
    joint = services.suggestion_create_by_deputy(
        deputy=cast.deputy_a2,
        actor=cast.deputy_a2.user,
        title="联名",
        content="内容",
        co_deputies=[cast.deputy_a],
        submit=True,
    )
    services.cosigner_respond(suggestion=joint, actor=cast.deputy_a.user, confirm=True)
    today = dt.date.today()
    cast.county_b.rules  # noqa: B018 - created with defaults on first use; count steady-state queries
    with django_assert_max_num_queries(4):
        out = suggestions_made(
            [cast.deputy_a.pk, cast.deputy_a2.pk, cast.deputy_b.pk],
            dt.date(today.year, 1, 1),
            dt.date(today.year, 12, 31),
        )
    assert out[cast.deputy_a.pk] == {
        "suggestion": 4,
        "suggestion_accepted": 2,
        "suggestion_resolved": 1,
        "suggestion_joint": 1,
    }
    assert out[cast.deputy_a2.pk]["suggestion"] == 1
    assert cast.deputy_b.pk not in out


def test_archive_source_is_registered():
    from presidium.registry import archive_sources

    assert "suggestions.made" in archive_sources()
