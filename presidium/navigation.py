"""Per-role navigation. Each app registers its entries in its AppConfig.ready(), so no shared
template needs editing when an app adds a section."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: tuple = ()
    icon: str = "circle"
    order: int = 100
    kwargs: dict = field(default_factory=dict)


_ITEMS: list[NavItem] = []


def register(*items: NavItem):
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)


def items_for(user):
    if not getattr(user, "is_authenticated", False):
        return []
    role = Role.ADMIN if user.is_superuser else user.role
    out = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        # The administrator sees the office's and the county's menus, not a deputy's or a unit's
        # personal pages (they need a deputy record or a unit to mean anything).
        admin_sees = role == Role.ADMIN and {Role.STAFF, Role.COUNTY} & set(item.roles)
        if item.roles and role not in item.roles and not admin_sees:
            continue
        try:
            out.append(
                {
                    "url": reverse(item.url_name, kwargs=item.kwargs or None),
                    "label": item.label,
                    "icon": item.icon,
                    "url_name": item.url_name,
                }
            )
        except NoReverseMatch:
            continue
    return out


def register_core():
    register(
        NavItem("home", _("工作台"), (), "house", 0),
        NavItem("presidium:users", _("用户与密码"), (Role.STAFF, Role.COUNTY), "people", 900),
        NavItem("presidium:apikeys", _("API 密钥"), (Role.STAFF, Role.COUNTY), "key", 910),
        NavItem("presidium:rules", _("县级规则设置"), (Role.STAFF, Role.COUNTY), "sliders", 930),
        NavItem("presidium:audit", _("操作日志"), (Role.STAFF, Role.COUNTY), "journal-text", 920),
    )
