"""The suggestion workflow: ONE transition table, readable at a glance.

(from status, action) → Transition(to status, roles allowed, guard), in the one shape of
``presidium.workflow``. ``suggestions.services`` checks every action against this table before it
touches a row; the tests are parametrized from it. Guards take (suggestion, user) and return ""
when the action is allowed or a Chinese reason.

Roles: "author" = the deputy who leads the suggestion (领衔代表) — deputies act only on their own
items; "staff" = the township's presidium office; "lead_unit" / "co_unit" = officers of the unit
assigned as lead or co-unit. County staff and API keys read only.

Recording on behalf (代录): many units and deputies never log in, so the township's staff record a
step for them from paper, a phone call or in person. The step is checked with the roles of the
person it belongs to (an :class:`OnBehalf`), not the staff member's own: exactly the same table,
guards and refusals as if that person had acted. Only the township's own staff may record.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from presidium.workflow import Transition, TransitionTable

from .models import RECORDED_CHANNELS, ExtensionStatus, Rating, Status

S = Status


def _return_in_time(s, user):
    from django.utils import timezone

    if s.return_due and timezone.localdate() > s.return_due:
        return _("已超过退办期限（交办后%(n)s个工作日内），请与人大办联系。") % {
            "n": s.township.rules.return_within_workdays
        }
    return ""


def _no_pending_extension(s, user):
    if s.extension_status == ExtensionStatus.PENDING:
        return _("已有待审批的延期申请。")
    return ""


def _pending_extension(s, user):
    if s.extension_status != ExtensionStatus.PENDING:
        return _("没有待审批的延期申请。")
    return ""


def _contact_recorded(s, user):
    if not s.contacts.filter(round=s.round).exists():
        return _("答复前须先填写与代表的沟通记录。")
    return ""


def _first_round(s, user):
    return "" if s.round == 1 else _("重新办理后的测评不再退回办理。")


def _second_round(s, user):
    return "" if s.round >= 2 else _("首次测评不满意应退回重新办理。")


def _planned_pending(s, user):
    return "" if s.is_planned_pending else _("该建议没有未完成的计划事项。")


def _not_key(s, user):
    return "" if not s.is_key else _("已是重点督办建议。")


def _is_key(s, user):
    return "" if s.is_key else _("该建议不是重点督办建议。")


_OPEN = (S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.SIGNED, S.RETURNED, S.REPLIED, S.REHANDLING)

_STEPS: dict[tuple[str, str], Transition] = {
    # Deputy: draft, submit, withdraw before a reply
    (S.DRAFT, "submit"): Transition(S.SUBMITTED, ("author",), label=_("提交")),
    (S.SUBMITTED, "withdraw"): Transition(S.WITHDRAWN, ("author",), label=_("撤回")),
    (S.ACCEPTED, "withdraw"): Transition(S.WITHDRAWN, ("author",), label=_("撤回")),
    (S.ASSIGNED, "withdraw"): Transition(S.WITHDRAWN, ("author",), label=_("撤回")),
    (S.SIGNED, "withdraw"): Transition(S.WITHDRAWN, ("author",), label=_("撤回")),
    (S.RETURNED, "withdraw"): Transition(S.WITHDRAWN, ("author",), label=_("撤回")),
    # Office intake
    (S.SUBMITTED, "accept"): Transition(S.ACCEPTED, ("staff",), label=_("立案")),
    (S.SUBMITTED, "not_accept"): Transition(S.NOT_ACCEPTED, ("staff",), label=_("不予立案")),
    (S.SUBMITTED, "merge"): Transition(S.MERGED, ("staff",), label=_("并案")),
    (S.ACCEPTED, "merge"): Transition(S.MERGED, ("staff",), label=_("并案")),
    # Assignment (交办) and re-assignment after a return (改派)
    (S.ACCEPTED, "assign"): Transition(S.ASSIGNED, ("staff",), label=_("交办")),
    (S.RETURNED, "assign"): Transition(S.ASSIGNED, ("staff",), label=_("改派")),
    # Unit portal
    (S.ASSIGNED, "sign"): Transition(S.SIGNED, ("lead_unit",), label=_("签收")),
    (S.ASSIGNED, "return"): Transition(S.RETURNED, ("lead_unit",), _return_in_time, _("退办")),
    (S.SIGNED, "return"): Transition(S.RETURNED, ("lead_unit",), _return_in_time, _("退办")),
    (S.ASSIGNED, "co_input"): Transition(S.ASSIGNED, ("co_unit",), label=_("协办意见")),
    (S.SIGNED, "co_input"): Transition(S.SIGNED, ("co_unit",), label=_("协办意见")),
    (S.REHANDLING, "co_input"): Transition(S.REHANDLING, ("co_unit",), label=_("协办意见")),
    (S.SIGNED, "contact"): Transition(S.SIGNED, ("lead_unit",), label=_("沟通记录")),
    (S.REHANDLING, "contact"): Transition(S.REHANDLING, ("lead_unit",), label=_("沟通记录")),
    (S.SIGNED, "request_extension"): Transition(
        S.SIGNED, ("lead_unit",), _no_pending_extension, _("申请延期")
    ),
    (S.SIGNED, "approve_extension"): Transition(S.SIGNED, ("staff",), _pending_extension, _("同意延期")),
    (S.SIGNED, "refuse_extension"): Transition(S.SIGNED, ("staff",), _pending_extension, _("不同意延期")),
    (S.SIGNED, "reply"): Transition(S.REPLIED, ("lead_unit",), _contact_recorded, _("答复")),
    (S.REHANDLING, "reply"): Transition(S.REPLIED, ("lead_unit",), _contact_recorded, _("再次答复")),
    # Deputy evaluation (满意度测评)
    (S.REPLIED, "rate_satisfied"): Transition(S.CLOSED, ("author",), label=_("满意")),
    (S.REPLIED, "rate_basic"): Transition(S.CLOSED, ("author",), label=_("基本满意")),
    (S.REPLIED, "rate_unsatisfied"): Transition(
        S.REHANDLING, ("author",), _first_round, _("不满意，重新办理")
    ),
    (S.REPLIED, "rate_unsatisfied_final"): Transition(
        S.CLOSED, ("author",), _second_round, _("不满意（重新办理后）")
    ),
    # Supervision (督办)
    (S.CLOSED, "planned_done"): Transition(
        S.CLOSED, ("staff", "lead_unit"), _planned_pending, _("计划事项已完成")
    ),
    **{(st, "mark_key"): Transition(st, ("staff",), _not_key, _("列为重点督办")) for st in _OPEN},
    **{(st, "unmark_key"): Transition(st, ("staff",), _is_key, _("取消重点督办")) for st in _OPEN},
}
TRANSITIONS = TransitionTable(_STEPS)

RATING_ACTIONS = {
    Rating.SATISFIED: "rate_satisfied",
    Rating.BASIC: "rate_basic",
}

ACTIONS = sorted(TRANSITIONS.actions)
ACTION_LABELS: dict[str, str] = {}
for (_s, _a), _t in TRANSITIONS.items():
    ACTION_LABELS.setdefault(_a, _t.label)
ACTION_LABELS.update(
    {
        "create": _("提出"),
        "cosign": _("确认联名"),
        "cosign_decline": _("谢绝联名"),
        "merged_in": _("并入重复建议"),
    }
)
# Roles that may ever do an action (in some status): anyone else is refused outright.
ACTION_ROLES: dict[str, set[str]] = {action: TRANSITIONS.roles_for(action) for action in ACTIONS}


@dataclass(frozen=True)
class OnBehalf:
    """The deputy or unit a staff member records a step for (代录), and how it came in."""

    channel: str
    deputy: object = None
    unit: object = None

    def __post_init__(self):
        from django.core.exceptions import ValidationError

        if self.channel not in RECORDED_CHANNELS:
            raise ValidationError(_("请选择代录渠道（纸质、电话或当面）。"))
        if (self.deputy is None) == (self.unit is None):
            raise ValidationError(_("请选择代录的代表或单位。"))

    def event_fields(self) -> dict:
        return {
            "on_behalf_deputy": self.deputy,
            "on_behalf_unit": self.unit,
            "channel": self.channel,
        }

    @property
    def name(self) -> str:
        return self.deputy.name if self.deputy is not None else self.unit.name


def is_staff_of(user, township_id) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or (user.role == "staff" and user.township_id == township_id))
    )


def roles_on_behalf(suggestion, on_behalf: OnBehalf) -> set[str]:
    """The roles the represented deputy or unit holds on ``suggestion`` (what they could do themselves)."""
    roles = set()
    deputy, unit = on_behalf.deputy, on_behalf.unit
    if deputy is not None and deputy.pk == suggestion.lead_deputy_id:
        roles.add("author")
    if unit is not None and unit.township_id == suggestion.township_id:
        if suggestion.lead_unit_id == unit.pk:
            roles.add("lead_unit")
        if suggestion.co_units.filter(unit_id=unit.pk).exists():
            roles.add("co_unit")
    return roles


# Roles that staff may stand in for when recording on someone's behalf; the office's own actions
# ("staff") are never "recorded for" anyone.
PROXY_ROLES = {"author", "lead_unit", "co_unit"}


def roles_of(suggestion, user, on_behalf: OnBehalf | None = None) -> set[str]:
    """The workflow roles ``user`` holds on ``suggestion`` (an empty set for outsiders). With
    ``on_behalf``, the roles of the represented person — provided ``user`` is the township's staff."""
    roles = set()
    if user is None or not user.is_authenticated:
        return roles
    if on_behalf is not None:
        if not is_staff_of(user, suggestion.township_id):
            return roles
        return roles_on_behalf(suggestion, on_behalf) & PROXY_ROLES
    if is_staff_of(user, suggestion.township_id):
        roles.add("staff")
    if (
        user.role == "deputy"
        and suggestion.lead_deputy_id
        and getattr(suggestion.lead_deputy, "user_id", None) == user.pk
    ):
        roles.add("author")
    if user.role == "unit" and user.unit_id:
        if suggestion.lead_unit_id == user.unit_id:
            roles.add("lead_unit")
        if suggestion.co_units.filter(unit_id=user.unit_id).exists():
            roles.add("co_unit")
    return roles


FORBIDDEN, WRONG_STATE, GUARD = "forbidden", "wrong_state", "guard"


def check(
    suggestion, action: str, user, on_behalf: OnBehalf | None = None
) -> tuple[Transition | None, str, str]:
    """(transition, "", "") when ``user`` may do ``action`` now, else (None, reason, kind)."""
    transition = TRANSITIONS.get((suggestion.status, action))
    roles = roles_of(suggestion, user, on_behalf)
    if on_behalf is not None and not is_staff_of(user, suggestion.township_id):
        return None, _("只有本乡镇人大办可以代录。"), FORBIDDEN
    if not roles & ACTION_ROLES.get(action, set()):
        if on_behalf is not None:
            return None, _("%(name)s无权执行此操作。") % {"name": on_behalf.name}, FORBIDDEN
        return None, _("您无权执行此操作。"), FORBIDDEN
    if transition is None:
        return (
            None,
            _("当前状态（%(status)s）不能执行此操作。") % {"status": suggestion.get_status_display()},
            WRONG_STATE,
        )
    if not roles & set(transition.roles):
        if on_behalf is not None:
            return None, _("%(name)s无权执行此操作。") % {"name": on_behalf.name}, FORBIDDEN
        return None, _("您无权执行此操作。"), FORBIDDEN
    reason = transition.guard(suggestion, user)
    if reason:
        return None, str(reason), GUARD
    return transition, "", ""


def available_actions(suggestion, user, on_behalf: OnBehalf | None = None) -> list[str]:
    return [
        action
        for (status, action) in TRANSITIONS
        if status == suggestion.status and check(suggestion, action, user, on_behalf)[0] is not None
    ]
