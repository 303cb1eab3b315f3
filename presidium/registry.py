"""Extension points that let each app plug into the shared machinery without editing core files.

- API routers: an app's ``api.py`` defines ``register(router)``; ``presidium.api.urls`` calls it.
- Demo data: an app's ``demo.py`` defines ``seed(ctx)`` and optional ``ORDER``; ``seed_demo`` runs
  them in order with a shared context dict (county, townships, units, users, rng, scale …).
- Performance archive: an app registers ``fn(deputy_ids, year) -> {deputy_id: {metric: number}}``
  with :func:`register_archive_source`; the deputies app's archive merges every source.
- Reminders (``<app>/reminders.py`` ``PROVIDERS``), deadline recomputation (``<app>/deadlines.py``)
  and the years with data (``data_year_queries`` in an app's selectors) are found the same way.
- Township figures are not discovered: their providers are named in ``presidium.figures``.
See docs/DEVELOPING.md, "Plug-ins and explicit dependencies".
"""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

DOMAIN_APPS = [
    "presidium",
    "deputies",
    "congress",
    "suggestions",
    "supervision",
    "livelihood",
    "notifications",
    "reports",
    "dashboards",
]

_archive_sources: dict[str, object] = {}


def register_archive_source(name: str, fn):
    _archive_sources[name] = fn


def archive_sources():
    list(app_modules("archive"))  # importing each app's archive module registers its sources
    return dict(_archive_sources)


def app_modules(suffix: str):
    """Yield (label, module) for every domain app that has a ``<app>.<suffix>`` module — Django's own
    autodiscovery (``module_has_submodule``, as the admin finds ``admin.py``): an app without the
    module simply does not plug in, while a module that fails to import raises."""
    for label in DOMAIN_APPS:
        config = apps.get_app_config(label)
        if module_has_submodule(config.module, suffix):
            yield label, import_module(f"{config.name}.{suffix}")
