"""The isolation matrix framework.

Every URL pattern of the project is discovered from the resolver. Each must be classified in a
``ROUTES`` dict in some ``tests/<app>/isolation.py`` (keyed by the pattern's full name, or by its
route string for unnamed patterns). ``tests/test_isolation.py`` then checks, for every route and
every role of township A (staff, deputy, unit officer, county staff) plus an anonymous visitor,
that B's objects are refused (403/404) or absent, and that anonymous visitors are sent to login
or get 401/403.

Kinds of spec:
- ``Public()``: anonymous allowed (login page, health check, voter message page …).
- ``Listing(roles, marker=None)``: a page/API list without object kwargs. Roles outside ``roles``
  are refused. ``marker(cast) -> str`` creates data in township B and returns a text that must not
  appear in any A user's response.
- ``Scoped(make, kwargs=…, method="get")``: an object route; ``make(cast)`` creates the object in
  township B (or for another deputy/unit); every A role must get 403/404 (302 to login for
  anonymous), and for POST routes nothing may change (checked by ``unchanged(cast, obj)``).
- ``Static(kwargs, roles)``: kwargs that are not objects (e.g. a year); role check only.
- ``Skip(reason)``: framework routes with no data (e.g. the admin, which only superusers reach).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("staff_a", "deputy_a", "unit_a", "county_a")
ALL = ROLES


@dataclass
class Public:
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    # Status codes ≥ 500 this route may answer by design (e.g. /healthz: 503 when a service is down).
    expected_errors: tuple = ()


@dataclass
class Listing:
    roles: tuple = ALL
    marker: Callable | None = None
    kwargs: dict = field(default_factory=dict)
    method: str = "get"


@dataclass
class Scoped:
    make: Callable
    kwargs: Callable = lambda obj: {"pk": obj.pk}
    method: str = "get"
    data: Callable | None = None  # POST body builder: data(cast, obj) -> dict
    unchanged: Callable | None = None  # unchanged(cast, obj) -> bool, checked after forbidden POSTs
    # Roles of township A that may legitimately reach B's object (e.g. nobody); by default none.
    allowed: tuple = ()


@dataclass
class Static:
    kwargs: dict = field(default_factory=dict)
    roles: tuple = ALL
    method: str = "get"


@dataclass
class Skip:
    reason: str


IGNORED_PREFIXES = ("admin/", "static/", "media/", "__debug__/")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = p.name
            full = f"{namespace}:{name}" if (namespace and name) else name
            yield full, route, p


def discover_routes():
    """(key, route) for every project URL pattern; key is the full name or the route string."""
    seen = {}
    for full, route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(IGNORED_PREFIXES):
            continue
        # DRF's format-suffix duplicates (…\.(?P<format>[a-z0-9]+)/?$) share the name: classify once.
        if "(?P<format>" in route or "<drf_format_suffix" in route:
            continue
        key = full or route
        seen.setdefault(key, route)
    return seen


def load_specs() -> dict[str, Any]:
    specs: dict[str, Any] = {}
    tests_dir = Path(__file__).parent
    for path in sorted(tests_dir.glob("*/isolation.py")):
        module = import_module(f"tests.{path.parent.name}.isolation")
        for key, spec in getattr(module, "ROUTES", {}).items():
            assert key not in specs, f"route {key} classified twice"
            specs[key] = spec
    return specs
