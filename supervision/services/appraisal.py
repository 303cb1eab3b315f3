"""Appraisal and democratic scoring (民主测评): paper tallies, secret in-app ballots, closing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from presidium.models import AuditAction, Role
from presidium.selectors import principal_role
from presidium.services import audit

from ..models import (
    ActivityKind,
    Appraisal,
    AppraisalTarget,
    AppraisalVoter,
    Rectification,
)
from ._common import _require_staff, _same_township
from .rectification import rectification_create

# --- appraisal and democratic scoring (民主测评) ------------------------------------------------

CHOICES = ("satisfied", "basic", "unsatisfied")


@transaction.atomic
def appraisal_create(
    *, activity, actor, targets, low_score_threshold: int = 80, rectification_workdays: int = 20
) -> Appraisal:
    """Open democratic scoring on an appraisal activity. ``targets``: [(unit | None, official_name, report)]."""
    _require_staff(actor, activity.township_id)
    if activity.kind != ActivityKind.APPRAISAL:
        raise ValidationError(_("只有评议活动可以组织民主测评。"))
    if Appraisal.objects.filter(activity=activity).exists():
        raise ValidationError(_("该评议活动已有民主测评。"))
    if not 0 < int(low_score_threshold) <= 100:
        raise ValidationError(_("整改线须在 1 到 100 之间。"))
    targets = [(u, (name or "").strip(), report or "") for u, name, report in targets]
    if not targets:
        raise ValidationError(_("请至少添加一个测评对象。"))
    if any(u is None and not name for u, name, _r in targets):
        raise ValidationError(_("测评对象须选择单位或填写人员姓名。"))
    _same_township([u for u, _n, _r in targets], activity.township_id, _("测评对象单位不属于本乡镇。"))
    appraisal = Appraisal.objects.create(
        activity=activity,
        township_id=activity.township_id,
        low_score_threshold=low_score_threshold,
        rectification_workdays=rectification_workdays,
    )
    AppraisalTarget.objects.bulk_create(
        [
            AppraisalTarget(appraisal=appraisal, unit=u, official_name=name[:40], report=report)
            for u, name, report in targets
        ]
    )
    audit(actor=actor, action=AuditAction.APPRAISAL_CREATE, township=activity.township, obj=appraisal)
    return appraisal


@transaction.atomic
def appraisal_target_report(*, target: AppraisalTarget, report: str, actor) -> AppraisalTarget:
    """Record the unit's (or official's) report (述职) heard before the scoring."""
    appraisal = target.appraisal
    _require_staff(actor, appraisal.township_id)
    _lock_open_appraisal(appraisal)
    AppraisalTarget.objects.filter(pk=target.pk).update(report=(report or "").strip())
    target.report = (report or "").strip()
    audit(actor=actor, action=AuditAction.APPRAISAL_REPORT, township=appraisal.township, obj=target)
    return target


def _lock_open_appraisal(appraisal) -> Appraisal:
    locked = Appraisal.objects.select_for_update(of=("self",)).get(pk=appraisal.pk)
    if locked.status != Appraisal.Status.OPEN:
        raise ValidationError(_("本次民主测评已结束。"))
    return locked


def entitled_voters(appraisal) -> int:
    """Deputies entitled to score: the township's serving deputies (the same who may vote in the
    app). Each casts one ballot, on paper or in the app, so a target never gets more ballots."""
    return Deputy.objects.filter(township_id=appraisal.township_id, status=Deputy.Status.SERVING).count()


@transaction.atomic
def appraisal_enter_paper(*, appraisal, counts: dict, actor) -> Appraisal:
    """Enter the paper ballots' counts in bulk: ``{target_id: (satisfied, basic, unsatisfied)}``.
    All rows are validated before any is written; the entered counts replace earlier paper counts."""
    _require_staff(actor, appraisal.township_id)
    appraisal = _lock_open_appraisal(appraisal)
    targets = {
        t.pk: t for t in AppraisalTarget.objects.select_for_update(of=("self",)).filter(appraisal=appraisal)
    }
    clean = {}
    for target_id, triple in counts.items():
        if int(target_id) not in targets:
            raise ValidationError(_("测评对象不属于本次测评。"))
        try:
            values = [int(v) for v in triple]
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("票数须为整数。")) from exc
        if len(values) != 3 or any(v < 0 for v in values):
            raise ValidationError(_("票数不能为负数。"))
        clean[int(target_id)] = values
    entitled = entitled_voters(appraisal)
    online = appraisal.voters.count()
    for target_id, values in clean.items():
        if sum(values) + online > entitled:
            raise ValidationError(
                _(
                    "“%(target)s”的纸质票合计 %(n)s 张，加上已在平台投票的 %(online)s 名代表，"
                    "超过了有权参加测评的在任代表 %(entitled)s 名。"
                )
                % {
                    "target": targets[target_id].label,
                    "n": sum(values),
                    "online": online,
                    "entitled": entitled,
                }
            )
    for target_id, (s, b, u) in clean.items():
        t = targets[target_id]
        t.paper_satisfied, t.paper_basic, t.paper_unsatisfied = s, b, u
    AppraisalTarget.objects.bulk_update(
        [targets[i] for i in clean], ["paper_satisfied", "paper_basic", "paper_unsatisfied"]
    )
    audit(
        actor=actor,
        action=AuditAction.APPRAISAL_PAPER,
        township=appraisal.township,
        obj=appraisal,
        counts={str(k): v for k, v in clean.items()},
    )
    return appraisal


@transaction.atomic
def appraisal_cast(*, appraisal, deputy: Deputy, choices: dict, actor, recorded: bool = False) -> None:
    """A deputy casts one secret ballot covering every target. Who voted is recorded in
    ``AppraisalVoter``; the choices only increase the targets' tallies, so no row links the two.

    ``recorded`` (代录): the township's staff enter the deputy's paper ballot for them, under the
    same rules (a serving deputy of the township, once per appraisal, every target answered); the
    voter row says it was recorded from paper and by whom."""
    if recorded:
        _require_staff(actor, appraisal.township_id)
        if deputy.township_id != appraisal.township_id or not deputy.is_serving:
            raise PermissionDenied(_("%(name)s不是本次测评的投票代表。") % {"name": deputy.name})
    else:
        if principal_role(actor) != Role.DEPUTY or deputy.user_id != actor.pk:
            raise PermissionDenied(_("只有代表本人可以投票。"))
        if deputy.township_id != appraisal.township_id or not deputy.is_serving:
            raise PermissionDenied(_("您不是本次测评的投票代表。"))
    appraisal = _lock_open_appraisal(appraisal)
    target_ids = set(AppraisalTarget.objects.filter(appraisal=appraisal).values_list("pk", flat=True))
    clean = {}
    for key, choice in choices.items():
        try:
            key = int(key)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("测评对象不属于本次测评。")) from exc
        if key not in target_ids:
            raise ValidationError(_("测评对象不属于本次测评。"))
        if choice not in CHOICES:
            raise ValidationError(_("请为每个测评对象选择满意、基本满意或不满意。"))
        clean[key] = choice
    if set(clean) != target_ids:
        raise ValidationError(_("请为每个测评对象选择满意、基本满意或不满意。"))
    entitled = entitled_voters(appraisal)
    paper = max(
        (t.paper_satisfied + t.paper_basic + t.paper_unsatisfied for t in appraisal.targets.all()), default=0
    )
    if paper + appraisal.voters.count() + 1 > entitled:
        raise ValidationError(
            _("本次测评的票数已达到有权参加测评的代表人数（%(n)s 名），请联系人大主席团核对纸质票数。")
            % {"n": entitled}
        )
    try:
        with transaction.atomic():
            AppraisalVoter.objects.create(
                appraisal=appraisal,
                deputy=deputy,
                channel=AppraisalVoter.Channel.PAPER if recorded else AppraisalVoter.Channel.ONLINE,
                recorded_by=actor if recorded else None,
            )
    except IntegrityError as exc:
        if recorded:
            raise ValidationError(
                _("%(name)s已参加过本次民主测评，每位代表只能投票一次。") % {"name": deputy.name}
            ) from exc
        raise ValidationError(_("您已参加过本次民主测评，每位代表只能投票一次。")) from exc
    if recorded:
        # Who recorded whose ballot is audited; the choices are not (the ballot stays secret).
        audit(
            actor=actor,
            action=AuditAction.APPRAISAL_BALLOT_RECORDED,
            township=appraisal.township,
            obj=appraisal,
            deputy=deputy.pk,
            channel=AppraisalVoter.Channel.PAPER,
        )
    for choice in CHOICES:
        ids = [k for k, v in clean.items() if v == choice]
        if ids:
            AppraisalTarget.objects.filter(pk__in=ids).update(**{f"app_{choice}": F(f"app_{choice}") + 1})


@transaction.atomic
def appraisal_close(*, appraisal, actor) -> list[Rectification]:
    """End the scoring; every unit whose satisfaction rate is below the appraisal's threshold gets a
    rectification item due in ``rectification_workdays`` working days. Returns the items created."""
    _require_staff(actor, appraisal.township_id)
    appraisal = _lock_open_appraisal(appraisal)
    appraisal.status = Appraisal.Status.CLOSED
    appraisal.closed_at = timezone.now()
    appraisal.save(update_fields=["status", "closed_at"])
    created = []
    township = appraisal.township
    topic = appraisal.activity.topic
    # The items date from the appraisal itself (so they count in its year), never from the future.
    activity = appraisal.activity
    assigned_on = min(activity.end_date or activity.start_date, timezone.localdate())
    for target in AppraisalTarget.objects.filter(appraisal=appraisal).select_related("unit"):
        rate = target.satisfaction_rate
        if target.unit_id is None or rate is None or rate >= appraisal.low_score_threshold:
            continue
        created.append(
            rectification_create(
                township=township,
                unit=target.unit,
                actor=actor,
                appraisal_target=target,
                title=_("%(topic)s：民主测评满意率 %(rate)s%%，低于 %(line)s%%")
                % {"topic": topic, "rate": rate, "line": appraisal.low_score_threshold},
                requirement=_("请针对代表评议意见制定整改措施，限期整改并报告结果。"),
                workdays=appraisal.rectification_workdays,
                assigned_on=assigned_on,
            )
        )
    audit(
        actor=actor,
        action=AuditAction.APPRAISAL_CLOSE,
        township=township,
        obj=appraisal,
        rectifications=[r.pk for r in created],
    )
    return created
