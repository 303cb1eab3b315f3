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


# Menu sections: entries are grouped by the app (URL namespace) that owns them; a section with a
# single entry for the user shows as a plain link, a larger one as a dropdown.
SECTIONS = [
    ("dashboards", _("统计"), "bar-chart"),
    ("deputies", _("代表"), "people"),
    ("congress", _("会议"), "building"),
    ("suggestions", _("建议"), "chat-square-text"),
    ("supervision", _("监督"), "binoculars"),
    ("reports", _("报告"), "file-earmark-text"),
    ("notifications", _("系统"), "gear"),
    ("presidium", _("系统"), "gear"),
    ("accounts", _("系统"), "gear"),
]


def groups_for(user):
    """The user's menu as sections: [{"label", "icon", "items": [...], "active_names": [...]}]."""
    items = items_for(user)
    groups: dict[str, dict] = {}
    order: list[str] = []
    section_of = {ns: (label, icon) for ns, label, icon in SECTIONS}
    for item in items:
        ns = item["url_name"].split(":", 1)[0] if ":" in item["url_name"] else ""
        label, icon = section_of.get(ns, (None, None))
        key = str(label) if label else item["url_name"]
        if key not in groups:
            groups[key] = {"label": label or item["label"], "icon": icon or item["icon"], "items": []}
            order.append(key)
        groups[key]["items"].append(item)
    out = []
    for key in order:
        group = groups[key]
        group["url_names"] = [i["url_name"] for i in group["items"]]
        out.append(group)
    return out


def register_core():
    register(
        NavItem("home", _("工作台"), (), "house", 0),
        NavItem("presidium:apikeys", _("API 密钥"), (Role.STAFF, Role.COUNTY), "key", 910),
        NavItem("presidium:rules", _("县级规则设置"), (Role.STAFF, Role.COUNTY), "sliders", 930),
        NavItem("presidium:audit", _("操作日志"), (Role.STAFF, Role.COUNTY), "journal-text", 920),
    )
