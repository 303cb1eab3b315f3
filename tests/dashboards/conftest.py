"""Fixtures for the dashboards: a stand-in ``township_stats`` source per app, so the framework
(periods, sections, ranking, totals, scoping) is tested on known numbers. The stand-in declares the
apps' real rate rules (a county total recomputes them), never a rule of its own."""

import types

import pytest

from dashboards import selectors
from presidium.models import Township
from suggestions.selectors import STATS_RATES as SUGGESTION_RATES


class FakeSource(types.SimpleNamespace):
    """Behaves like an app's selectors module: one grouped query, then values from ``table``."""

    def township_stats(self, *, township_ids, start, end):
        self.calls.append((tuple(township_ids), start, end))
        ids = list(Township.objects.filter(pk__in=township_ids).values_list("pk", flat=True))
        return {tid: dict(self.table.get(tid, {})) for tid in ids}


def make_source(labels, rates=None):
    return FakeSource(STATS_LABELS=labels, STATS_RATES=rates or {}, table={}, calls=[])


@pytest.fixture
def fake_sources(monkeypatch):
    """Every stats app replaced by a fake: {app_label: FakeSource}."""
    sources = {
        "suggestions": make_source(
            {
                "received": "收到建议",
                "assigned": "已交办",
                "replied": "已答复",
                "completion_rate": "办结率(%)",
            },
            {"completion_rate": SUGGESTION_RATES["completion_rate"]},
        ),
        "deputies": make_source({"serving": "在任代表", "dormant": "无履职记录代表"}),
        "congress": make_source({"sessions_held": "召开人代会", "presidium_meetings_held": "召开主席团会议"}),
        "supervision": make_source({"activities": "监督活动", "petitions_received": "受理信访"}),
    }
    monkeypatch.setattr(selectors, "stats_sources", lambda: dict(sources))
    return sources


def fill(sources, township, **sections):
    """fill(fake_sources, township, suggestions={"received": 3}, ...)"""
    for app, values in sections.items():
        sources[app].table.setdefault(township.pk, {}).update(values)
