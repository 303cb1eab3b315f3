"""Writes of the livelihood projects (民生实事项目票决制).

One transition table (``TRANSITIONS``) for a project's life; an event row per move. The vote reuses
the congress rules: quorum and the majority of ALL deputies (``congress.selectors.session_quorum``),
the Election Law arithmetic on the ballots (``congress.services.presidium.check_ballots``) and the
"best first up to the places, a tie on the last place chooses none of the tied" rule
(``_elected``). The year-end score is a supervision appraisal (secret ballots, rectification)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import AgendaItem, Attendance, Session
from congress.selectors import passes_majority, session_quorum
from congress.services.presidium import _elected, check_ballots
from congress.services.sessions import agenda_item_add
from presidium.models import AuditAction, Role
from presidium.selectors import can_edit_township, principal_role
from presidium.services import audit
from presidium.uploads import IMAGES_AND_PDF, check_upload
from presidium.workflow import STALE_MESSAGE, TransitionTable

from . import events
from .models import BallotVoter, Milestone, ProgressReport, Project, ProjectBallot

S = Project.Status

# A project's life: vetted onto the candidate list (or not), chosen by the vote (or not), carried
# out (a first progress report), completed (100%). CHOSEN/NOT_CHOSEN only by counting the ballot.
# The action is the target status (``presidium.workflow.TransitionTable.moves``).
TRANSITIONS = TransitionTable.moves(
    {
        S.PROPOSED: (S.CANDIDATE, S.DROPPED),
        S.CANDIDATE: (S.PROPOSED, S.CHOSEN, S.NOT_CHOSEN),
        S.DROPPED: (S.PROPOSED,),
        S.CHOSEN: (S.IN_PROGRESS, S.COMPLETED),
        S.IN_PROGRESS: (S.COMPLETED,),
    }
)


def _check_staff(actor, township_id):
    if not can_edit_township(actor, township_id):
        raise PermissionDenied(_("只有本乡镇人大办工作人员可以执行此操作。"))


def _move(project: Project, to_status: str, actor, comment: str = "") -> None:
    if to_status not in TRANSITIONS.targets(project.status):
        raise ValidationError(
            _("项目当前状态为“%(s)s”，不能执行此操作。") % {"s": project.get_status_display()}
        )
    events.transition(
        project=project, actor=actor, from_status=project.status, to_status=to_status, comment=comment[:300]
    )
    project.status = to_status


def _lock(model, pk):
    obj = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise ValidationError(STALE_MESSAGE)
    return obj


# ---------------------------------------------------------------- collecting candidates


def _clean_cost(value):
    if value in (None, ""):
        return None
    try:
        cost = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"estimated_cost": _("估算投资须为数字（万元）。")}) from exc
    if not cost.is_finite() or cost < 0 or cost >= Decimal("100000000"):
        raise ValidationError({"estimated_cost": _("估算投资须在 0 至 99999999.99 万元之间。")})
    return cost.quantize(Decimal("0.01"))


@transaction.atomic
def project_propose(
    *,
    township,
    year: int,
    title: str,
    content: str,
    unit,
    planned_completion: dt.date,
    actor,
    location: str = "",
    estimated_cost=None,
    leader: str = "",
    source: str = Project.Source.GOVERNMENT,
    origin=None,
    proposers=(),
) -> Project:
    """Register a candidate put forward by the government, or taken from a deputy's suggestion or a
    voter opinion (``origin``, linked). The deputies who proposed it are told when it progresses."""
    _check_staff(actor, township.pk)
    title, content = (title or "").strip(), (content or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写项目名称。")
    if not content:
        errors["content"] = _("请填写建设内容。")
    if unit is None:
        errors["unit"] = _("请选择责任单位。")
    if planned_completion is None:
        errors["planned_completion"] = _("请填写计划完成日期。")
    if source not in Project.Source.values:
        errors["source"] = _("请选择项目来源。")
    if errors:
        raise ValidationError(errors)
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("年度须为 2000 年至明年之间。")})
    if planned_completion.year < int(year):
        raise ValidationError({"planned_completion": _("计划完成日期不能早于项目年度。")})
    if unit.township_id != township.pk:
        raise ValidationError({"unit": _("责任单位不属于本乡镇。")})
    if origin is not None and getattr(origin, "township_id", None) != township.pk:
        raise ValidationError(_("关联的建议或选民意见不属于本乡镇。"))
    proposers = list(proposers)
    if any(d.township_id != township.pk for d in proposers):
        raise ValidationError(_("提出代表不属于本乡镇。"))
    project = Project.objects.create(
        township=township,
        year=int(year),
        title=title[:120],
        content=content,
        location=(location or "").strip()[:120],
        estimated_cost=_clean_cost(estimated_cost),
        unit=unit,
        leader=(leader or "").strip()[:40],
        planned_completion=planned_completion,
        source=source,
        origin_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        origin_id=origin.pk if origin is not None else None,
        created_by=actor,
    )
    if proposers:
        project.proposers.set(proposers)
    events.proposed(project=project, actor=actor)
    audit(actor=actor, action=AuditAction.LIVELIHOOD_PROPOSE, township=township, obj=project)
    return project


def _open_session_without_vote(session: Session):
    if session.status not in (Session.Status.PLANNED, Session.Status.PREPARING, Session.Status.IN_SESSION):
        raise ValidationError(_("会议已闭会或取消，不能再调整候选项目。"))
    if ProjectBallot.objects.filter(session=session).exists():
        raise ValidationError(_("本次会议已开始票决，候选项目不能再调整。"))


@transaction.atomic
def project_vet(
    *, project: Project, accept: bool, actor, session: Session | None = None, comment: str = ""
) -> Project:
    """The presidium's vetting (审查): onto the session's candidate list, or not (with the reason)."""
    _check_staff(actor, project.township_id)
    project = _lock(Project, project.pk)
    if accept:
        if session is None or session.township_id != project.township_id:
            raise ValidationError({"session": _("请选择本乡镇的人代会。")})
        _open_session_without_vote(session)
        last = Project.objects.filter(session=session, status=S.CANDIDATE).order_by("-order").first()
        _move(project, S.CANDIDATE, actor, comment)
        project.session, project.order = session, ((last.order or 0) + 1 if last else 1)
    else:
        if not (comment or "").strip():
            raise ValidationError({"comment": _("请填写未列入候选的理由。")})
        _move(project, S.DROPPED, actor, comment)
    project.save(update_fields=["status", "session", "order"])
    return project


@transaction.atomic
def project_unvet(*, project: Project, actor) -> Project:
    """Take a project back off the candidate list (before the vote opens)."""
    _check_staff(actor, project.township_id)
    project = _lock(Project, project.pk)
    if project.session_id:
        _open_session_without_vote(project.session)
    _move(project, S.PROPOSED, actor)
    project.session, project.order = None, None
    project.save(update_fields=["status", "session", "order"])
    return project


def candidate_rule(session: Session) -> dict:
    rules = session.township.rules
    return {
        "to_choose": rules.livelihood_projects_to_choose,
        "max_approvals": rules.livelihood_max_approvals,
        "min_candidates": rules.livelihood_projects_to_choose + max(rules.livelihood_extra_candidates, 1),
    }


# ---------------------------------------------------------------- the vote


@transaction.atomic
def ballot_open(*, session: Session, actor) -> ProjectBallot:
    """Open the vote on the candidate list: the session is sitting, with a quorum, and the list has
    more candidates than places (the county's rule)."""
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    if session.status != Session.Status.IN_SESSION:
        raise ValidationError(_("只有会议进行中才能票决。"))
    if ProjectBallot.objects.filter(session=session).exists():
        raise ValidationError(_("本次会议已开始票决。"))
    rule = candidate_rule(session)
    n = Project.objects.filter(session=session, status=S.CANDIDATE).count()
    if n < rule["min_candidates"]:
        raise ValidationError(
            _("候选项目 %(n)s 个，须不少于 %(m)s 个（多于票决数 %(c)s 个，差额票决）。")
            % {"n": n, "m": rule["min_candidates"], "c": rule["to_choose"]}
        )
    quorum = session_quorum(session)
    if not quorum["has_quorum"]:
        raise ValidationError(_("出席代表 %(present)s 人，未达到法定人数 %(needed)s 人，不能票决。") % quorum)
    ballot = ProjectBallot.objects.create(
        session=session,
        township_id=session.township_id,
        to_choose=rule["to_choose"],
        max_approvals=min(rule["max_approvals"], n),
    )
    audit(actor=actor, action=AuditAction.LIVELIHOOD_BALLOT_OPEN, township=session.township, obj=ballot)
    return ballot


def _lock_open_ballot(ballot) -> ProjectBallot:
    ballot = _lock(ProjectBallot, ballot.pk)
    if ballot.status != ProjectBallot.Status.OPEN:
        raise ValidationError(_("本次票决已计票。"))
    return ballot


@transaction.atomic
def ballot_cast(*, ballot: ProjectBallot, deputy, project_ids, actor) -> None:
    """A deputy present at the session votes once on their phone, approving up to N candidates. Who
    voted is kept in ``BallotVoter``; the approvals only increase the projects' tallies."""
    if principal_role(actor) != Role.DEPUTY or deputy.user_id != actor.pk:
        raise PermissionDenied(_("只有代表本人可以投票。"))
    ballot = _lock_open_ballot(ballot)
    if not Attendance.objects.filter(
        session_id=ballot.session_id, deputy=deputy, status=Attendance.Status.PRESENT
    ).exists():
        raise PermissionDenied(_("您未登记出席本次会议，不能投票。"))
    try:
        ids = {int(i) for i in project_ids}
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("所选项目不在候选名单中。")) from exc
    candidates = set(
        Project.objects.filter(session_id=ballot.session_id, status=S.CANDIDATE).values_list("pk", flat=True)
    )
    if not ids <= candidates:
        raise ValidationError(_("所选项目不在候选名单中。"))
    if len(ids) > ballot.max_approvals:
        raise ValidationError(
            _("每张选票最多赞成 %(n)s 个项目，您选了 %(m)s 个。") % {"n": ballot.max_approvals, "m": len(ids)}
        )
    if ballot.ballots_issued is not None:
        raise ValidationError(_("本次票决已录入纸质票，不能再网上投票。"))
    try:
        with transaction.atomic():
            BallotVoter.objects.create(ballot=ballot, deputy=deputy)
    except IntegrityError as exc:
        raise ValidationError(_("您已投过票，每位代表只能投票一次。")) from exc
    if ids:
        Project.objects.filter(pk__in=ids).update(votes_app=F("votes_app") + 1)


@transaction.atomic
def ballot_count(
    *, ballot: ProjectBallot, actor, ballots: dict | None = None, votes: dict | None = None
) -> ProjectBallot:
    """Count the vote. On paper: ``ballots`` (issued/returned/valid/invalid) and ``votes``
    {project id: approvals}; on the phone (deputies voted in the app): the totals are those of the
    app (issued = present, returned = valid = deputies who voted). Every impossible total is refused
    (the Election Law arithmetic, with N approvals per ballot as the seats); more ballots returned
    than issued voids the vote. Chosen: more than half of ALL deputies, best first up to the places;
    candidates tied on the last place are reported and none of them chosen. The chosen list becomes
    a resolution (决定) on the session's agenda."""
    session = ballot.session
    _check_staff(actor, session.township_id)
    session = _lock(Session, session.pk)
    ballot = _lock_open_ballot(ballot)
    if session.status != Session.Status.IN_SESSION:
        raise ValidationError(_("只有会议进行中才能计票。"))
    quorum = session_quorum(session)
    if not quorum["has_quorum"]:
        raise ValidationError(_("出席代表 %(present)s 人，未达到法定人数 %(needed)s 人，不能计票。") % quorum)
    projects = {
        p.pk: p
        for p in Project.objects.select_for_update(of=("self",)).filter(session=session, status=S.CANDIDATE)
    }
    online = ballot.voters.count()
    if online:
        if ballots or votes:
            raise ValidationError(_("代表已在平台投票，不能再录入纸质票数。"))
        ballots = {"issued": quorum["present"], "returned": online, "valid": online, "invalid": 0}
        counted = {pk: p.votes_app for pk, p in projects.items()}
    else:
        try:
            counted = {int(k): (None if v in (None, "") else int(v)) for k, v in (votes or {}).items()}
            ballots = {k: (None if v in (None, "") else int(v)) for k, v in (ballots or {}).items()}
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("票数须为整数。")) from exc
        if set(counted) != set(projects) or any(v is None for v in counted.values()):
            raise ValidationError(_("请为每个候选项目填写赞成票数。"))
    void = check_ballots(
        ballots=ballots, votes=counted, seats=ballot.max_approvals, present=quorum["present"]
    )
    chosen, tied = set(), []
    if not void:
        rules, total = session.township.rules, quorum["total"]
        chosen = _elected(counted, ballot.to_choose, total=total, rules=rules)
        if len(chosen) < ballot.to_choose:
            # Who stands at the cut with the same count as others, all above the majority.
            left = sorted(
                (v for pk, v in counted.items() if pk not in chosen and passes_majority(v, total, rules)),
                reverse=True,
            )
            if left:
                cutoff = left[0]
                tied = [pk for pk, v in counted.items() if pk not in chosen and v == cutoff]
                if len(tied) < 2:
                    tied = []
    for pk, p in projects.items():
        if not online:
            p.votes_paper = 0 if void else counted[pk]
        if not void and pk not in tied:
            _move(p, S.CHOSEN if pk in chosen else S.NOT_CHOSEN, actor, _("得票 %(n)s") % {"n": counted[pk]})
    Project.objects.bulk_update(projects.values(), ["status", "votes_paper"])
    ballot.status = ProjectBallot.Status.OPEN if void else ProjectBallot.Status.COUNTED
    ballot.total_deputies, ballot.present, ballot.majority = (
        quorum["total"],
        quorum["present"],
        quorum["majority"],
    )
    ballot.ballots_issued, ballot.ballots_returned = ballots["issued"], ballots["returned"]
    ballot.ballots_valid, ballot.ballots_invalid = ballots["valid"], ballots["invalid"]
    ballot.void, ballot.tied = void, sorted(tied)
    ballot.counted_at, ballot.counted_by = timezone.now(), actor
    if not void and chosen:
        ballot.resolution = agenda_item_add(
            session=session,
            kind=AgendaItem.Kind.RESOLUTION,
            title=_("关于票决产生%(year)s年民生实事项目的决定（%(n)s项）")
            % {"year": session.start_date.year, "n": len(chosen)},
            actor=actor,
        )
    ballot.save()
    audit(
        actor=actor,
        action=AuditAction.LIVELIHOOD_BALLOT_COUNT,
        township=session.township,
        obj=ballot,
        ballots=dict(ballots),
        chosen=sorted(chosen),
        tied=sorted(tied),
        void=void,
    )
    return ballot


@transaction.atomic
def ballot_reset_void(*, ballot: ProjectBallot, actor) -> ProjectBallot:
    """After a void count (more ballots returned than issued) the congress votes again: the totals are
    cleared so the new count can be entered."""
    _check_staff(actor, ballot.township_id)
    ballot = _lock_open_ballot(ballot)
    if not ballot.void:
        raise ValidationError(_("本次票决未被宣布无效。"))
    ballot.void = False
    ballot.ballots_issued = ballot.ballots_returned = ballot.ballots_valid = ballot.ballots_invalid = None
    ballot.save()
    audit(
        actor=actor, action=AuditAction.LIVELIHOOD_BALLOT_REVOTE, township=ballot.session.township, obj=ballot
    )
    return ballot


# ---------------------------------------------------------------- carrying them out


def _check_unit_or_staff(actor, project: Project):
    if can_edit_township(actor, project.township_id):
        return
    if principal_role(actor) == Role.UNIT and actor.unit_id == project.unit_id:
        return
    raise PermissionDenied(_("只有责任单位或本乡镇人大办可以执行此操作。"))


def _carried(project: Project):
    if project.status not in Project.CARRIED:
        raise ValidationError(_("只有票决确定的项目才能安排实施。"))


@transaction.atomic
def milestone_add(*, project: Project, title: str, due_date: dt.date, actor) -> Milestone:
    _check_unit_or_staff(actor, project)
    _carried(project)
    title = (title or "").strip()
    if not title or due_date is None:
        raise ValidationError(_("请填写节点名称和计划完成日期。"))
    if due_date.year > project.year + 5:
        raise ValidationError({"due_date": _("计划完成日期不合理。")})
    m = Milestone.objects.create(project=project, title=title[:120], due_date=due_date)
    audit(actor=actor, action=AuditAction.LIVELIHOOD_MILESTONE_ADD, township=project.township, obj=m)
    return m


@transaction.atomic
def milestone_done(*, milestone: Milestone, done_on: dt.date, actor) -> Milestone:
    _check_unit_or_staff(actor, milestone.project)
    milestone = _lock(Milestone, milestone.pk)
    if done_on is None or done_on > timezone.localdate():
        raise ValidationError(_("完成日期不能晚于今天。"))
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit(
        actor=actor,
        action=AuditAction.LIVELIHOOD_MILESTONE_DONE,
        township=milestone.project.township,
        obj=milestone,
    )
    return milestone


def _watchers(project: Project):
    """The deputies who proposed or supervise the project, with an active login."""
    from presidium.models import User

    deputy_ids = set(project.proposers.values_list("pk", flat=True)) | set(
        project.supervisors.values_list("pk", flat=True)
    )
    return list(User.objects.filter(is_active=True, deputy__pk__in=deputy_ids))


@transaction.atomic
def progress_report(*, project: Project, percent: int, text: str, actor, photo=None) -> ProgressReport:
    """The responsible unit reports progress (percentage, text, a photo). The first report starts the
    project, 100% completes it. When the percentage changes, the deputies who proposed or supervise
    the project are told once (the report's id is the notice's dedupe key)."""
    _check_unit_or_staff(actor, project)
    project = _lock(Project, project.pk)
    _carried(project)
    if project.status == S.COMPLETED:
        raise ValidationError(_("项目已完成，不能再报告进展。"))
    try:
        percent = int(percent)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"percent": _("完成进度须为 0 至 100 的整数。")}) from exc
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("完成进度须为 0 至 100 的整数。")})
    if percent < project.progress:
        raise ValidationError(
            {"percent": _("完成进度不能低于上次报告的 %(p)s%%。") % {"p": project.progress}}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写进展情况。")})
    if photo is not None:
        check_upload(photo, allowed=IMAGES_AND_PDF, max_bytes=10 * 1024 * 1024, max_name=100)
    previous = project.progress
    report = ProgressReport.objects.create(
        project=project, percent=percent, text=text, photo=photo or "", reported_by=actor
    )
    if project.status == S.CHOSEN:
        _move(project, S.IN_PROGRESS, actor)
    if percent == 100:
        _move(project, S.COMPLETED, actor)
        project.completed_on = timezone.localdate()
    project.progress = percent
    project.save(update_fields=["status", "progress", "completed_on"])
    if percent != previous:
        recipients = _watchers(project)
        if recipients:
            from notifications.services import notify

            notify(
                recipients=recipients,
                verb="livelihood_progress",
                title=_("民生实事项目“%(t)s”进度更新为 %(p)s%%") % {"t": project.title, "p": percent},
                body=text[:200],
                obj=project,
                url=reverse("livelihood:project_detail", args=[project.pk]),
                dedupe_key=f"livelihood.progress:{report.pk}",
            )
    return report


@transaction.atomic
def supervisors_set(*, project: Project, deputies, actor) -> None:
    """Assign the deputies' supervision group of a project."""
    _check_staff(actor, project.township_id)
    _carried(project)
    deputies = list(deputies)
    if any(d.township_id != project.township_id or not d.is_serving for d in deputies):
        raise ValidationError(_("监督小组成员须为本乡镇在任代表。"))
    project.supervisors.set(deputies)
    audit(
        actor=actor,
        action=AuditAction.LIVELIHOOD_SUPERVISORS,
        township=project.township,
        obj=project,
        deputies=[d.pk for d in deputies],
    )


@transaction.atomic
def activity_link(*, project: Project, activity, actor) -> None:
    """Link an inspection (a supervision activity of the township) to the project."""
    _check_staff(actor, project.township_id)
    if activity is None or activity.township_id != project.township_id:
        raise ValidationError(_("监督活动不属于本乡镇。"))
    project.activities.add(activity)
    audit(
        actor=actor,
        action=AuditAction.LIVELIHOOD_ACTIVITY_LINK,
        township=project.township,
        obj=project,
        activity=activity.pk,
    )


# ---------------------------------------------------------------- the year-end score


@transaction.atomic
def score_open(*, township, year: int, actor, start_date: dt.date | None = None):
    """Open the year-end democratic scoring of the year's chosen projects: an appraisal activity of
    the township, one target per project (its responsible unit), the county's satisfaction line."""
    from supervision.models import ActivityKind
    from supervision.services import activity_create, appraisal_create

    _check_staff(actor, township.pk)
    projects = list(
        Project.objects.select_for_update(of=("self",))
        .filter(township=township, year=year, status__in=Project.CARRIED)
        .order_by("order", "pk")
    )
    if not projects:
        raise ValidationError(_("%(y)s年没有票决确定的民生实事项目。") % {"y": year})
    if any(p.appraisal_target_id for p in projects):
        raise ValidationError(_("%(y)s年民生实事项目已组织测评。") % {"y": year})
    rules = township.rules
    activity = activity_create(
        township=township,
        actor=actor,
        kind=ActivityKind.APPRAISAL,
        topic=_("%(y)s年民生实事项目满意度测评") % {"y": year},
        start_date=start_date or timezone.localdate(),
        target_units=list({p.unit for p in projects}),
    )
    appraisal = appraisal_create(
        activity=activity,
        actor=actor,
        targets=[(p.unit, p.title[:40], "") for p in projects],
        low_score_threshold=rules.livelihood_satisfaction_line,
        rectification_workdays=rules.livelihood_rectification_workdays,
    )
    for p, target in zip(projects, appraisal.targets.order_by("pk"), strict=True):
        p.appraisal_target = target
    Project.objects.bulk_update(projects, ["appraisal_target"])
    events.appraisal_opened(project=projects[0], actor=actor)
    return appraisal
