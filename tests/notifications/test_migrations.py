"""Moving DeliveryEvent onto the shared event base renames its time column (``at`` → ``created_at``):
the rows written before the migration keep their times, and the migration can be undone."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("notifications", "0001_initial")
AFTER = ("notifications", "0002_events_on_status_event_base")
WHEN = dt.datetime(2025, 3, 12, 2, 0, tzinfo=dt.UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_delivery_events_keep_their_time_when_the_column_is_renamed():
    old = _migrate(BEFORE)
    user = old.get_model("presidium", "User").objects.create(username="mig-user")
    notification = old.get_model("notifications", "Notification").objects.create(
        recipient=user, verb="test", title="t", key="k"
    )
    delivery = old.get_model("notifications", "Delivery").objects.create(
        notification=notification, channel="sms", status="sent"
    )
    old.get_model("notifications", "DeliveryEvent").objects.create(
        delivery=delivery, from_status="sending", to_status="sent", at=WHEN, comment="ok"
    )

    new = _migrate(AFTER)
    event = new.get_model("notifications", "DeliveryEvent").objects.get()
    assert (event.created_at, event.from_status, event.to_status, event.comment) == (
        WHEN,
        "sending",
        "sent",
        "ok",
    )
    assert (event.action, event.extra) == ("", {})

    back = _migrate(BEFORE)
    assert back.get_model("notifications", "DeliveryEvent").objects.get().at == WHEN


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
