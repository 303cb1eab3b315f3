"""Two people acting on the same rectification item at the same moment, on a real database."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from supervision import services
from supervision.models import Rectification, RectificationEvent
from tests import factories as f

from . import factories as sf


@pytest.mark.django_db(transaction=True)
def test_simultaneous_verify_and_reopen_one_wins_the_other_is_told_to_refresh(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    rect = sf.rectification(cast.township_a, cast.unit_a)
    services.rectification_transition(
        rectification=rect, action="complete", actor=cast.unit_officer_a, comment="沉降路段已回填压实"
    )
    rect.refresh_from_db()
    seen = rect.version
    second_staff = f.UserFactory(role="staff", township=cast.township_a)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(action, actor, comment):
        try:
            barrier.wait()
            services.rectification_transition(
                rectification=rect, action=action, actor=actor, comment=comment, expected_version=seen
            )
            outcomes.append(("ok", action))
        except ValidationError as exc:
            outcomes.append(("refused", exc.messages[0]))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("verify", cast.staff_a, "")),
        threading.Thread(target=act, args=("reopen", second_staff, "仍有问题")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(o[0] for o in outcomes) == ["ok", "refused"]
    refused = next(o for o in outcomes if o[0] == "refused")
    assert "已被他人修改" in refused[1]
    rect.refresh_from_db()
    winner = next(o[1] for o in outcomes if o[0] == "ok")
    assert rect.status == services.RECTIFICATION_TRANSITIONS[(Rectification.Status.SUBMITTED, winner)].to
    assert rect.version == seen + 1
    assert RectificationEvent.objects.filter(rectification=rect).count() == 3
    assert Rectification.objects.count() == 1
