"""Who is told of each workflow action (in-app plus their channels), and of a step recorded for them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import workflow
from ..models import (
    Channel,
    Status,
    Suggestion,
)

# action → [(who is told, title), …]. Messages are in-app plus each user's channels (notifications
# app). Titles are whole sentences (translated when the message is written); placeholders:
# {title} {number} {unit} {due} {into}. The acting user is never told of their own action.
NOTIFY = {
    "submit": [("cosigners", gettext_lazy("邀请您联名建议：{title}"))],
    "not_accept": [("deputy", gettext_lazy("您的建议未予立案：{title}"))],
    "accept": [("deputy", gettext_lazy("您的建议已立案（{number}）：{title}"))],
    "merge": [("deputy", gettext_lazy("您的建议已并入“{into}”一并办理：{title}"))],
    "assign": [
        ("unit", gettext_lazy("新交办建议，请签收：{title}")),
        ("deputy", gettext_lazy("您的建议已交办{unit}办理，答复期限{due}：{title}")),
    ],
    "return": [("staff", gettext_lazy("承办单位退办，请改派：{title}"))],
    "co_input": [("lead_unit_only", gettext_lazy("协办单位已提交意见：{title}"))],
    "request_extension": [("staff", gettext_lazy("承办单位申请延期：{title}"))],
    "approve_extension": [
        ("unit", gettext_lazy("延期申请已同意，答复期限改为{due}：{title}")),
        ("deputy", gettext_lazy("您的建议延期办理，新的答复期限为{due}：{title}")),
    ],
    "refuse_extension": [
        ("unit", gettext_lazy("延期申请未同意，答复期限仍为{due}：{title}")),
        ("deputy", gettext_lazy("承办单位的延期申请未获同意，答复期限仍为{due}：{title}")),
    ],
    "reply": [("deputy", gettext_lazy("您的建议已答复，请评价：{title}"))],
    "rate_unsatisfied": [
        ("unit", gettext_lazy("代表不满意，请重新办理：{title}")),
        ("staff", gettext_lazy("代表对答复不满意，已退回重新办理：{title}")),
    ],
    "rate_unsatisfied_final": [
        ("staff", gettext_lazy("代表对重新办理的答复仍不满意：{title}")),
        ("deputy", gettext_lazy("您的建议已办结：{title}")),
    ],
    "rate_satisfied": [("deputy", gettext_lazy("您的建议已办结：{title}"))],
    "rate_basic": [("deputy", gettext_lazy("您的建议已办结：{title}"))],
    "planned_done": [("deputy", gettext_lazy("您的建议中的计划事项已完成：{title}"))],
    "withdraw": [("handling_units", gettext_lazy("代表已撤回建议，无需继续办理：{title}"))],
    "mark_key": [("handling_units", gettext_lazy("建议已列为重点督办，请加快办理：{title}"))],
}


def _audience(s: Suggestion, who: str, action: str):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    active = User.objects.filter(is_active=True)
    if who == "deputy":
        return active.filter(deputy=s.lead_deputy_id) if s.lead_deputy_id else User.objects.none()
    if who == "cosigners":
        return active.filter(deputy__cosigned_suggestions__suggestion=s)
    if who == "unit":
        unit_ids = (
            [s.lead_unit_id, *s.co_units.values_list("unit_id", flat=True)]
            if action == "assign"
            else [s.lead_unit_id]
        )
        return active.filter(role="unit", unit_id__in=[u for u in unit_ids if u])
    if who == "handling_units":
        # The units that are working on it right now (lead and co-units), if any.
        if s.status not in (*IN_HANDLING_OR_DONE, Status.WITHDRAWN) or not s.lead_unit_id:
            return User.objects.none()
        unit_ids = [s.lead_unit_id, *s.co_units.values_list("unit_id", flat=True)]
        return active.filter(role="unit", unit_id__in=unit_ids)
    if who == "lead_unit_only":
        return active.filter(role="unit", unit_id=s.lead_unit_id)
    return active.filter(role="staff", township_id=s.township_id)


# A unit hears of a withdrawal or a key-item mark only while it holds the item.
IN_HANDLING_OR_DONE = (Status.ASSIGNED, Status.SIGNED, Status.REHANDLING, Status.REPLIED)


def _notify(s: Suggestion, action: str, comment: str = "", *, actor=None, from_status: str = ""):
    from django.urls import reverse

    from notifications.services import notify

    specs = NOTIFY.get(action)
    if not specs:
        return
    if action == "withdraw" and from_status not in (Status.ASSIGNED, Status.SIGNED):
        return
    if action == "merge" and s.merged_into_id:
        into = Suggestion.objects.filter(pk=s.merged_into_id).values_list("number", "title").first()
        into_label = (into[0] or into[1]) if into else ""
    else:
        into_label = ""
    values = {
        "title": s.title,
        "number": s.number,
        "unit": s.lead_unit.name if s.lead_unit_id else "",
        "due": s.reply_due.isoformat() if s.reply_due else "",
        "into": into_label,
    }
    for who, title in specs:
        users = _audience(s, who, action)
        if actor is not None and getattr(actor, "pk", None):
            users = users.exclude(pk=actor.pk)
        notify(
            recipients=list(users),
            verb=f"suggestion.{action}",
            title=str(title).format(**values),
            body=comment[:500],
            obj=s,
            url=reverse("suggestions:detail", args=[s.pk]),
            dedupe_key=f"suggestion:{s.pk}:{action}:{s.version}:{who}",
        )


def _notify_recorded(s: Suggestion, on_behalf: workflow.OnBehalf, label: str):
    """The deputy or unit a step was recorded for finds it in their inbox when they next log in."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from notifications.services import notify

    User = get_user_model()
    if on_behalf.deputy is not None:
        users = User.objects.filter(deputy=on_behalf.deputy.pk, is_active=True)
    else:
        users = User.objects.filter(role="unit", unit_id=on_behalf.unit.pk, is_active=True)
    notify(
        recipients=list(users),
        verb="suggestion.recorded",
        title=_("人大办已代您录入“%(label)s”（%(channel)s）：%(title)s")
        % {
            "label": label,
            "channel": dict(Channel.choices)[on_behalf.channel],
            "title": s.title,
        },
        obj=s,
        url=reverse("suggestions:detail", args=[s.pk]),
        dedupe_key=f"suggestion:{s.pk}:recorded:{s.version}:{label}",
        channels=[],
    )
