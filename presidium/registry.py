"""Extension points that let each app plug into the shared machinery without editing core files.

- API routers: an app's ``api.py`` defines ``register(router)``; ``presidium.api.urls`` calls it.
- Demo data: an app's ``demo.py`` defines ``seed(ctx)`` and optional ``ORDER``; ``seed_demo`` runs
  them in order with a shared context dict (county, townships, units, users, rng, scale …).
- Performance archive: an app registers ``fn(deputy_ids, year) -> {deputy_id: {metric: number}}``
  with :func:`register_archive_source`; the deputies app's archive merges every source.
- Annual report sections and dashboards read each app's ``selectors.py`` directly.
"""

from importlib import import_module

from django.apps import apps

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
    # Import every app's archive module so its sources are registered before use.
    for label in DOMAIN_APPS:
        _optional_import(f"{label}.archive")
    return dict(_archive_sources)


def _optional_import(module_name):
    try:
        return import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None


def app_modules(suffix: str):
    """Yield (label, module) for every domain app that has ``<app>.<suffix>``."""
    for label in DOMAIN_APPS:
        if not apps.is_installed(label):
            continue
        mod = _optional_import(f"{label}.{suffix}")
        if mod is not None:
            yield label, mod
