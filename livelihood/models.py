"""Livelihood projects chosen by the deputies' vote (民生实事项目人大代表票决制).

- ``Project``: a candidate put forward by the government, a deputy's suggestion or a voter
  opinion (linked through a generic FK), vetted by the presidium onto a session's candidate list,
  voted on, then carried out by its responsible unit and scored at year end.
- ``ProjectBallot``: the vote of one session on its candidate list, counted like an election
  (ballots issued / returned / valid / invalid; the same rule functions as congress elections).
  On the phone each deputy votes once: ``BallotVoter`` says who voted, never for what; the
  approvals only increase ``Project.votes_app``.
- ``Milestone`` and ``ProgressReport`` (by the responsible unit) while the project is carried out.
- The year-end score is a democratic appraisal (``supervision.Appraisal``): each project is one
  ``AppraisalTarget``, so paper/phone ballots, secrecy and rectification are those of supervision.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.models import HandlingUnit, StatusEvent, Township


class Project(models.Model):
    class Source(models.TextChoices):
        GOVERNMENT = "government", _("政府提出")
        SUGGESTION = "suggestion", _("代表建议")
        VOTER_OPINION = "voter_opinion", _("选民意见")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("征集中")
        CANDIDATE = "candidate", _("候选项目")
        DROPPED = "dropped", _("未列入候选")
        CHOSEN = "chosen", _("票决确定")
        NOT_CHOSEN = "not_chosen", _("未票决通过")
        IN_PROGRESS = "in_progress", _("实施中")
        COMPLETED = "completed", _("已完成")

    CARRIED = (Status.CHOSEN, Status.IN_PROGRESS, Status.COMPLETED)

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="livelihood_projects", verbose_name=_("乡镇")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    session = models.ForeignKey(
        "congress.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="livelihood_projects",
        verbose_name=_("票决会议"),
    )
    title = models.CharField(_("项目名称"), max_length=120)
    content = models.TextField(_("建设内容"))
    location = models.CharField(_("实施地点"), max_length=120, blank=True)
    estimated_cost = models.DecimalField(
        _("估算投资(万元)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.PROTECT, related_name="livelihood_projects", verbose_name=_("责任单位")
    )
    leader = models.CharField(_("责任领导"), max_length=40, blank=True)
    planned_completion = models.DateField(_("计划完成日期"))
    source = models.CharField(_("来源"), max_length=14, choices=Source.choices, default=Source.GOVERNMENT)
    origin_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    proposers = models.ManyToManyField(
        "deputies.Deputy", blank=True, related_name="proposed_livelihood_projects", verbose_name=_("提出代表")
    )
    supervisors = models.ManyToManyField(
        "deputies.Deputy",
        blank=True,
        related_name="supervised_livelihood_projects",
        verbose_name=_("监督小组代表"),
    )
    activities = models.ManyToManyField(
        "supervision.SupervisionActivity",
        blank=True,
        related_name="livelihood_projects",
        verbose_name=_("视察监督活动"),
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    order = models.PositiveSmallIntegerField(
        _("候选序号"), null=True, blank=True, help_text=_("项目在本次会议候选项目名单和选票上的排列序号。")
    )
    # The count: paper votes (entered by the office) plus the phone approvals (tallies only).
    votes_paper = models.PositiveIntegerField(
        _("纸质票赞成"), default=0, help_text=_("纸质选票上的赞成票数，由人大办计票后录入。")
    )
    votes_app = models.PositiveIntegerField(
        _("线上赞成"), default=0, help_text=_("代表在手机上投出的赞成票数；只记票数，不记谁投了哪一项。")
    )
    progress = models.PositiveSmallIntegerField(
        _("完成进度(%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    appraisal_target = models.OneToOneField(
        "supervision.AppraisalTarget",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="livelihood_project",
        verbose_name=_("年终测评"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["year", "order", "pk"]
        indexes = [
            models.Index(fields=["township", "year", "status"]),
            models.Index(fields=["session", "status"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self):
        return self.title

    @property
    def votes(self) -> int:
        return self.votes_paper + self.votes_app

    @property
    def on_time(self) -> bool | None:
        if self.completed_on is None:
            return None
        return self.completed_on <= self.planned_completion


class ProjectEvent(StatusEvent):
    subject_field = "project"
    status_enum = Project.Status

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")


class ProjectBallot(models.Model):
    """票决: the session's vote on its candidate list. The numbers that decide (how many to choose,
    how many approvals a ballot may carry) are frozen from the county's rules when the vote opens."""

    class Status(models.TextChoices):
        OPEN = "open", _("投票中")
        COUNTED = "counted", _("已计票")

    session = models.OneToOneField(
        "congress.Session", on_delete=models.PROTECT, related_name="livelihood_ballot", verbose_name=_("会议")
    )
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="+")
    to_choose = models.PositiveSmallIntegerField(
        _("票决项目数"),
        help_text=_("本次票决应确定的项目数（项），取自县级规则设置的“民生实事项目每年票决数”。"),
    )
    max_approvals = models.PositiveSmallIntegerField(
        _("每票最多赞成数"), help_text=_("每张选票最多可以赞成的项目数，超过的选票作废。")
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    total_deputies = models.PositiveSmallIntegerField(
        _("全体代表人数"),
        null=True,
        blank=True,
        help_text=_("票决时在任的乡镇人大代表总数（冻结），是当选所需票数的基数。"),
    )
    present = models.PositiveSmallIntegerField(_("出席代表人数"), null=True, blank=True)
    majority = models.PositiveSmallIntegerField(
        _("当选所需票数"),
        null=True,
        blank=True,
        help_text=_(
            "项目入选须获得的最少赞成票数，按全体代表人数和县级规则设置的通过比例（默认过半数）计算。"
        ),
    )
    ballots_issued = models.PositiveSmallIntegerField(_("发出选票"), null=True, blank=True)
    ballots_returned = models.PositiveSmallIntegerField(_("收回选票"), null=True, blank=True)
    ballots_valid = models.PositiveSmallIntegerField(_("有效票"), null=True, blank=True)
    ballots_invalid = models.PositiveSmallIntegerField(_("无效票"), null=True, blank=True)
    void = models.BooleanField(
        _("票决无效"), default=False, help_text=_("收回选票多于发出选票，本次票决无效，须重新投票。")
    )
    # Candidates tied on the last place: none of them chosen, the congress must vote again on them.
    tied = models.JSONField(
        _("末位同票项目"),
        default=list,
        blank=True,
        help_text=_("末位得票相同、超过应选数的项目：均不入选，须对它们再次票决。"),
    )
    resolution = models.OneToOneField(
        "congress.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="livelihood_ballot",
        verbose_name=_("大会决议"),
    )
    opened_at = models.DateTimeField(default=timezone.now)
    counted_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("民生实事项目票决")
        verbose_name_plural = _("民生实事项目票决")
        indexes = [models.Index(fields=["township", "status"])]

    def __str__(self):
        return str(_("%(session)s民生实事项目票决") % {"session": self.session})


class BallotVoter(models.Model):
    """Who voted on the phone (not how): one row per deputy per ballot."""

    ballot = models.ForeignKey(ProjectBallot, on_delete=models.CASCADE, related_name="voters")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "deputy"], name="one_livelihood_ballot_per_deputy")
        ]

    def __str__(self):
        return f"{self.deputy} @ {self.ballot_id}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due_date = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("实施节点")
        verbose_name_plural = _("实施节点")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["done_on", "due_date"])]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None):
        return self.done_on is None and self.due_date < (today or timezone.localdate())


def photo_path(instance, filename):
    return f"livelihood/{instance.project.township_id}/{instance.project_id}/{filename}"


class ProgressReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("进展情况"))
    photo = models.FileField(_("现场照片"), upload_to=photo_path, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["project", "reported_at"])]

    def __str__(self):
        return f"{self.project} {self.percent}%"
