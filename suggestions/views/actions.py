"""Workflow actions posted from a suggestion's page (own or recorded for someone: 代录), co-signing,
and the batch assignment; each says what happens next."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from presidium.http import safe_next
from presidium.models import Role
from presidium.permissions import role_required
from presidium.viewkit import call_service, show_errors, staff_township

from .. import selectors, services, workflow
from ..models import (
    Channel,
    Status,
    Suggestion,
)
from .common import _date, _int, _visible_or_404

# The actions staff may record for a deputy or a unit (代录), in the order the page offers them.
PROXY_ACTIONS = (
    "sign",
    "return",
    "co_input",
    "contact",
    "request_extension",
    "reply",
    "rate",
    "planned_done",
    "withdraw",
)


def _on_behalf(s: Suggestion, post) -> workflow.OnBehalf | None:
    """The deputy or unit a posted step is recorded for (代录), or None for the user's own action.
    The person must belong to the suggestion's township; the table then checks their role."""
    channel = (post.get("channel") or "").strip()
    deputy_id, unit_id = _int(post.get("on_behalf_deputy")), _int(post.get("on_behalf_unit"))
    if not channel and not deputy_id and not unit_id:
        return None
    deputy = selectors.township_deputy(s.township_id, deputy_id)
    unit = selectors.units_of(s.township_id, [unit_id]).first() if unit_id else None
    if (deputy_id and deputy is None) or (unit_id and unit is None):
        raise ValidationError(_("代录的代表或单位不属于本乡镇。"))
    return workflow.OnBehalf(channel=channel, deputy=deputy, unit=unit)


def _do(action, s, request):
    """Map a posted action to its service call; the services check everything."""
    p, user = request.POST, request.user
    v = _int(p.get("version"))
    common = {"suggestion": s, "actor": user}
    on_behalf = _on_behalf(s, p)
    if on_behalf is not None:
        if action not in PROXY_ACTIONS:
            raise PermissionDenied(_("此操作不能代录。"))
        common["on_behalf"] = on_behalf
    if action == "submit":
        return services.suggestion_submit(**common, expected_version=v)
    if action == "withdraw":
        return services.suggestion_withdraw(**common, reason=p.get("comment", ""), expected_version=v)
    if action == "accept":
        return services.suggestion_accept(
            **common, category=p.get("category", ""), level=p.get("level", ""), expected_version=v
        )
    if action == "not_accept":
        return services.suggestion_not_accept(
            **common, reason=p.get("reason", ""), note=p.get("comment", ""), expected_version=v
        )
    if action == "merge":
        into = selectors.suggestions_visible_to(user).filter(pk=_int(p.get("into")) or 0).first()
        if into is None:
            raise ValidationError(_("请选择要并入的建议。"))
        return services.suggestion_merge(**common, into=into, expected_version=v)
    if action == "assign":
        unit = selectors.units_of(s.township_id, [_int(p.get("unit"))]).first()
        co = list(selectors.units_of(s.township_id, map(_int, p.getlist("co_units"))))
        return services.suggestion_assign(
            **common,
            unit=unit,
            co_units=co,
            responsible_leader=p.get("responsible_leader", ""),
            expected_version=v,
        )
    if action in ("mark_key", "unmark_key"):
        return services.suggestion_set_key(
            **common, key=action == "mark_key", comment=p.get("comment", ""), expected_version=v
        )
    if action == "sign":
        return services.suggestion_sign(**common, expected_version=v)
    if action == "return":
        return services.suggestion_return(**common, reason=p.get("comment", ""), expected_version=v)
    if action == "co_input":
        return services.suggestion_co_input(**common, text=p.get("comment", ""))
    if action == "contact":
        return services.suggestion_record_contact(
            **common,
            contacted_on=_date(p.get("contacted_on")),
            method=p.get("method", ""),
            summary=p.get("comment", ""),
        )
    if action == "request_extension":
        return services.suggestion_request_extension(
            **common, until=_date(p.get("until")), reason=p.get("comment", ""), expected_version=v
        )
    if action in ("approve_extension", "refuse_extension"):
        return services.suggestion_decide_extension(
            **common, approve=action == "approve_extension", comment=p.get("comment", ""), expected_version=v
        )
    if action == "reply":
        from ..forms import MultipleFileField

        files = MultipleFileField().clean(request.FILES.getlist("attachments"))
        return services.suggestion_reply(
            **common,
            outcome_class=p.get("outcome_class", ""),
            text=p.get("comment", ""),
            files=files,
            expected_version=v,
        )
    if action == "rate":
        return services.suggestion_evaluate(
            **common, rating=p.get("rating", ""), comment=p.get("comment", ""), expected_version=v
        )
    if action == "planned_done":
        return services.suggestion_planned_done(**common, comment=p.get("comment", ""), expected_version=v)
    raise Http404


DRAFT_KEY = "suggestion_action_draft"
DRAFT_FIELDS = ("comment", "outcome_class", "until", "contacted_on", "method", "rating", "responsible_leader")

# After each action: what was done and what happens next (never a bare "done").
DONE_MESSAGES = {
    "submit": gettext_lazy("建议已提交，人大办将尽快审查，结果会通知您。"),
    "withdraw": gettext_lazy("建议已撤回，不再办理；已交办的承办单位会收到通知。"),
    "accept": gettext_lazy("已立案并编号，下一步请交办承办单位。"),
    "not_accept": gettext_lazy("已不予立案，代表会收到理由。"),
    "merge": gettext_lazy("已并案，代表会收到通知，其代表已列为联名代表。"),
    "assign": gettext_lazy("已交办，承办单位和代表会收到通知；承办单位须按期签收。"),
    "mark_key": gettext_lazy("已列为重点督办，承办单位会收到通知。"),
    "unmark_key": gettext_lazy("已取消重点督办。"),
    "sign": gettext_lazy("已签收，请与代表沟通后在期限内答复。"),
    "return": gettext_lazy("已退办，人大办会改派其他单位。"),
    "co_input": gettext_lazy("协办意见已送主办单位。"),
    "contact": gettext_lazy("沟通记录已保存，现在可以答复。"),
    "request_extension": gettext_lazy("延期申请已提交，等待人大办审批。"),
    "approve_extension": gettext_lazy("已同意延期，承办单位和代表会收到新的答复期限。"),
    "refuse_extension": gettext_lazy("已不同意延期，答复期限不变，承办单位和代表会收到通知。"),
    "reply": gettext_lazy("答复已提交，等待代表评价。"),
    "planned_done": gettext_lazy("计划事项已标记完成，代表会收到通知。"),
}


# After a step recorded for a deputy or unit (代录): said to the office, not to the person.
RECORDED_NEXT = {
    "sign": gettext_lazy("答复期限照常计算；单位与代表沟通、答复后可继续代录。"),
    "return": gettext_lazy("请改派其他承办单位。"),
    "co_input": gettext_lazy("协办意见已送主办单位。"),
    "contact": gettext_lazy("现在可以代录答复。"),
    "request_extension": gettext_lazy("延期申请待审批。"),
    "reply": gettext_lazy("等待代表评价，也可代录代表的评价。"),
    "planned_done": gettext_lazy("代表会收到通知。"),
    "withdraw": gettext_lazy("建议已撤回，不再办理。"),
}


def _recorded_message(action, s, on_behalf) -> str:
    who = _("代表%(name)s") % {"name": on_behalf.deputy.name} if on_behalf.deputy else on_behalf.unit.name
    done = _("已代 %(who)s 录入（%(channel)s）。") % {"who": who, "channel": Channel(on_behalf.channel).label}
    if action == "rate":
        s.refresh_from_db(fields=["status"])
        if s.status == Status.REHANDLING:
            return done + str(_("代表不满意，承办单位将重新办理并再次答复。"))
        return done + str(_("这条建议已办结，代表登录后可以看到评价记录。"))
    return done + str(RECORDED_NEXT.get(action, ""))


def _done_message(action, s):
    if action == "rate":
        s.refresh_from_db(fields=["status"])
        if s.status == Status.REHANDLING:
            return _("评价已提交，承办单位将重新办理并再次答复您。")
        return _("评价已提交，这条建议已办结。谢谢您的监督。")
    return str(DONE_MESSAGES.get(action, _("已保存。")))


@require_POST
@role_required()
def suggestion_action(request, pk, action):
    s = _visible_or_404(request, pk)
    try:
        with transaction.atomic():
            _do(action, s, request)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权执行此操作。"))
        return (
            redirect("suggestions:detail", pk=s.pk)
            if selectors.suggestion_for(request.user, pk)
            else redirect("home")
        )
    except ValidationError as exc:
        show_errors(request, exc)
        # Keep what was typed (a refused attachment must not cost the unit its whole reply).
        request.session[DRAFT_KEY] = {
            "pk": s.pk,
            "action": action,
            **{k: request.POST.get(k, "")[:20000] for k in DRAFT_FIELDS if k in request.POST},
        }
    else:
        on_behalf = _on_behalf(s, request.POST)
        if on_behalf is not None:
            messages.success(request, _recorded_message(action, s, on_behalf))
        else:
            messages.success(request, _done_message(action, s))
    if selectors.suggestion_for(request.user, pk) is None:
        # e.g. a unit that returned the item no longer sees it
        return redirect("home")
    return redirect("suggestions:detail", pk=s.pk)


@require_POST
@role_required(Role.DEPUTY, Role.STAFF)
def cosign(request, pk):
    s = _visible_or_404(request, pk)
    confirm = request.POST.get("confirm") == "1"
    call_service(
        request,
        lambda: services.cosigner_respond(
            suggestion=s, actor=request.user, confirm=confirm, on_behalf=_on_behalf(s, request.POST)
        ),
        _("已确认联名。") if confirm else _("已谢绝联名。"),
        refused=(ValidationError, PermissionDenied),
    )
    return redirect("suggestions:detail", pk=s.pk)


@require_POST
@role_required(Role.STAFF)
def batch_assign(request):
    """交办会: assign the ticked accepted items to one unit at once (all or nothing)."""
    township = staff_township(request)
    ids = [i for i in map(_int, request.POST.getlist("ids")) if i]
    items = list(selectors.suggestions_visible_to(request.user).filter(pk__in=ids, township=township))
    unit = selectors.units_of(township.pk, [_int(request.POST.get("unit"))]).first()
    if not items:
        messages.error(request, _("请勾选要交办的建议。"))
    else:
        done = call_service(
            request,
            lambda: services.suggestion_assign_batch(
                suggestions=items,
                actor=request.user,
                unit=unit,
                responsible_leader=request.POST.get("responsible_leader", ""),
            ),
            refused=(ValidationError, PermissionDenied),
        )
        if done:
            messages.success(request, _("已交办 %(n)s 条建议。") % {"n": done.value})
    return redirect(safe_next(request, "suggestions:list"))
