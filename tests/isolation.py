"""The isolation matrix framework.

Every URL pattern of the project is discovered from the resolver. Each must be classified in a
``ROUTES`` dict in some ``tests/<app>/isolation.py`` (keyed by the pattern's full name, or by its
route string for unnamed patterns). ``tests/test_isolation.py`` then checks, for every route and
every principal of the cast (``PRINCIPALS``), that B's objects are refused (403/404) or absent,
that anonymous visitors are sent to login or get 401/403, and that no response, whatever its
status, shows township B's marker text.

The principals: township A's staff, deputy, unit officer and county staff; a second deputy and a
second unit's officer of the same township (``PEERS``: they must not reach the first deputy's or
unit's private items either); a read-only API key of township A and one of county A (``API``:
they run on the API routes; on pages a key is nobody).

Kinds of spec:
- ``Public()``: anonymous allowed (login page, health check, voter message page …).
- ``Listing(roles, marker=B_NAMES, peer_markers={})``: a page/API list without object kwargs.
  Roles outside ``roles`` are refused. ``marker(cast) -> str | list[str]`` creates data in
  township B and returns text that must not appear in any A principal's response (the default,
  ``B_NAMES``, names B's people, unit, township and county: what a form's pickers would offer).
  ``peer_markers[role](cast)`` creates the first deputy's (``deputy_a2``) or first unit's
  (``unit_a2``) private item and returns text that peer must not see.
  A page that also takes its own form's POST names ``post_data(cast)`` (a body naming B's
  objects) and ``post_unchanged(cast)``: every principal's POST leaves B's data as it was.
- ``Scoped(make, kwargs=…, method="get", peers={})``: an object route; ``make(cast)`` creates the
  object in township B; every A principal must get 403/404 (302 to login for anonymous); for POST
  routes nothing may change (``unchanged(cast, obj)``, and the object's row itself). A GET route is
  POSTed too (``data`` if given, the edit form's body): whatever it does with a POST, it must refuse
  it and change nothing. ``peers[role](cast)`` makes the same-township object that peer must not
  reach (the first deputy's suggestion, the first unit's rectification …).
- ``Posted(make, data, unchanged, roles)``: a POST without object kwargs whose body (or the
  user's session, ``session``) names township B's objects; those may only stay unchanged.
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
# The second deputy and the second unit's officer of township A, and whose gate they pass.
PEERS = {"deputy_a2": "deputy_a", "unit_a2": "unit_a"}
# Read-only API keys: of township A, of county A.
API = ("api_a", "api_county_a")
PRINCIPALS = (*ROLES, *PEERS, *API)


def B_NAMES(cast) -> list[str]:
    """Township B's people, unit, township and county, renamed to text found nowhere in A: a form's
    pickers and a page's headings would show them if the township filter were lost."""
    cast.deputy_b.__class__.objects.filter(pk=cast.deputy_b.pk).update(name="乙镇代表钱多多")
    cast.staff_b.__class__.objects.filter(pk=cast.staff_b.pk).update(full_name="乙镇人大秘书孙")
    cast.unit_b.__class__.objects.filter(pk=cast.unit_b.pk).update(name="乙镇财政所QX")
    return ["乙镇代表钱多多", "乙镇人大秘书孙", "乙镇财政所QX", cast.township_b.name, cast.county_b.name]


@dataclass
class Public:
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    # Status codes ≥ 500 this route may answer by design (e.g. /healthz: 503 when a service is down).
    expected_errors: tuple = ()


@dataclass
class Listing:
    roles: tuple = ALL
    marker: Callable = B_NAMES
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    peer_markers: dict = field(default_factory=dict)
    # The page's own form (GET+POST): a body naming B's objects, and what must then still hold.
    post_data: Callable | None = None  # post_data(cast) -> dict
    post_unchanged: Callable | None = None  # post_unchanged(cast) -> bool


@dataclass
class Scoped:
    make: Callable
    kwargs: Callable = lambda obj: {"pk": obj.pk}
    method: str = "get"
    data: Callable | None = None  # POST body builder: data(cast, obj) -> dict
    unchanged: Callable | None = None  # unchanged(cast, obj) -> bool, checked after forbidden POSTs
    # Roles of township A that may legitimately reach B's object (e.g. nobody); by default none.
    allowed: tuple = ()
    peers: dict = field(default_factory=dict)


@dataclass
class Posted:
    make: Callable
    data: Callable
    unchanged: Callable
    roles: tuple = ("staff_a",)
    kwargs: dict = field(default_factory=dict)
    session: Callable | None = None  # session(cast, obj) -> dict put in the client's session first


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
