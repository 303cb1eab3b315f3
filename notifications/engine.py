"""The reminder sweep: providers find what is due with set-based queries and yield candidates; the
sweep inserts them exactly once and enqueues delivery tasks for the rows actually inserted.

Provider protocol: a callable ``provider(ctx: SweepContext) -> Iterable[Candidate]``. Each app's
``<app>/reminders.py`` lists its providers in ``PROVIDERS``; the sweep imports them through
:func:`presidium.registry.app_modules`. A provider runs a fixed number of queries (one per distinct
rule value, never one per object) and yields one candidate per (object, rule, due date, recipient).
"""

import dataclasses
import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from presidium.models import Township

from . import rules as rules_mod
from . import services

logger = logging.getLogger("notifications.sweep")


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One reminder for one recipient. (rule, model, object_id, due_date, recipient_id) is its key."""

    rule: str
    model: type
    object_id: int
    due_date: dt.date
    recipient_id: int
    township_id: int | None
    title: str
    body: str = ""
    url: str = ""

    @property
    def key(self) -> str:
        return f"r:{self.rule}|{self.model._meta.label_lower}:{self.object_id}|{self.due_date.isoformat()}"


class SweepContext:
    """What a provider needs: the clock, and the rules of every county grouped by value so that a
    provider runs one query per distinct setting rather than one per county."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.today = timezone.localdate(now)
        self.rules = rules_mod.rules_by_county()
        self._township_county = None
        self._county_ids = None

    def rules_for(self, county_id) -> dict:
        return self.rules.get(county_id) or rules_mod.defaults()

    def all_county_ids(self) -> list[int]:
        from presidium.models import County

        if self._county_ids is None:
            self._county_ids = sorted(County.objects.values_list("id", flat=True))
        return self._county_ids

    def group(self, key: str, normalise: Callable = lambda v: v) -> list[tuple[object, list[int]]]:
        """[(rule value, [county ids having it])] — counties without a rules row get the default."""
        groups: dict = defaultdict(list)
        for county_id in self.all_county_ids():
            value = normalise(self.rules_for(county_id).get(key))
            groups[_hashable(value)].append(county_id)
        return list(groups.items())

    def county_of_township(self, township_id) -> int | None:
        if self._township_county is None:
            self._township_county = dict(Township.objects.values_list("id", "county_id"))
        return self._township_county.get(township_id)


def _hashable(value):
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


def discover_providers() -> list[Callable]:
    from presidium.registry import app_modules

    found = []
    for _label, module in app_modules("reminders"):
        found.extend(module.PROVIDERS)
    return found


def run_sweep(*, now: dt.datetime | None = None, providers: Iterable[Callable] | None = None) -> dict:
    """One sweep: recover rows stuck in "sending", insert due reminders exactly once, enqueue the new
    deliveries and any pending row whose time has come. Safe to run concurrently and repeatedly."""
    started = time.monotonic()
    now = now or timezone.now()
    recovered = services.recover_stuck_deliveries(now=now)
    ctx = SweepContext(now)
    providers = list(providers) if providers is not None else discover_providers()
    content_types: dict[type, int] = {}
    messages = []
    errors = 0
    for provider in providers:
        try:
            candidates = list(provider(ctx))
        except Exception:  # one broken provider must not stop the others' reminders
            logger.exception("reminder provider %r failed", provider)
            errors += 1
            continue
        for c in candidates:
            if c.model not in content_types:
                content_types[c.model] = ContentType.objects.get_for_model(c.model).pk
            messages.append(
                services.Message(
                    recipient_id=c.recipient_id,
                    key=c.key,
                    verb=f"reminder.{c.rule}",
                    title=c.title,
                    body=c.body,
                    url=c.url,
                    rule=c.rule,
                    target_type_id=content_types[c.model],
                    target_id=c.object_id,
                    due_date=c.due_date,
                    township_id=c.township_id,
                    county_id=ctx.county_of_township(c.township_id),
                )
            )
    found = time.monotonic()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The sweep is idempotent: if the server crashed before this commit reached the disk,
            # the next sweep inserts the same reminders again, so the commit need not wait for fsync.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        counts = services.insert_messages(messages, now=now)
        inserted = time.monotonic()
    committed_and_enqueued = time.monotonic()
    retried = services.enqueue_due_pending(now=now)
    result = {
        "candidates": len(messages),
        **counts,
        "requeued": retried,
        "recovered": recovered,
        "provider_errors": errors,
        "seconds": round(time.monotonic() - started, 3),
        "timings": {
            "find": round(found - started, 3),
            "insert": round(inserted - found, 3),
            "commit_and_enqueue": round(committed_and_enqueued - inserted, 3),
        },
    }
    logger.info("reminder sweep: %s", result)
    return result
