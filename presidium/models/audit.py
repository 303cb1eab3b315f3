"""The audit log: its actions and entries."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .places import County, Township
from .users import User


class AuditAction(models.TextChoices):
    """What an audit row records. The stored values are the dotted names the log always used (old
    rows keep reading the same); ``presidium.services.audit`` refuses any other action."""

    # Logins and accounts (accounts, presidium)
    USER_CREATE = "user.create", _("创建登录账号")
    USER_BULK_CREATE = "user.bulk_create", _("批量创建代表登录账号")
    USER_RELINK = "user.relink", _("沿用原登录账号")
    USER_ACTIVATE = "user.activate", _("启用登录账号")
    USER_DEACTIVATE = "user.deactivate", _("停用登录账号")
    USER_PASSWORD_RESET = "user.password_reset", _("重置密码")
    USER_PASSWORD_CHANGE = "user.password_change", _("修改密码")
    USER_PASSWORD_SMS = "user.password_sms", _("短信发送初始密码")
    USER_PASSWORD_SMS_FAILED = "user.password_sms_failed", _("初始密码短信发送失败")
    UNIT_CREATE = "unit.create", _("新增承办单位")
    APIKEY_CREATE = "apikey.create", _("创建 API 密钥")
    APIKEY_REVOKE = "apikey.revoke", _("吊销 API 密钥")
    # Settings (presidium)
    COUNTY_RULES_CHANGE = "county.rules_change", _("修改县级规则设置")
    HOLIDAYS_LOAD = "presidium.holidays_load", _("载入节假日安排")
    HOLIDAYS_EDIT = "presidium.holidays_edit", _("修改节假日安排")
    # Congress sessions and the presidium (congress)
    SESSION_UPDATE = "congress.session.update", _("修改人代会会议信息")
    SESSION_CHECKLIST = "congress.session.checklist", _("勾选会前准备事项")
    SESSION_NOTICE = "congress.session.notice", _("发送人代会会议通知")
    AGENDA_ADD = "congress.agenda.add", _("添加会议议程")
    AGENDA_SENT = "congress.agenda.sent", _("登记会议文件送达")
    OBSERVER_ADD = "congress.observer.add", _("登记列席人员")
    ELECTION_CREATE = "congress.election.create", _("新建主席团选举")
    ELECTION_RECORD = "congress.election.record", _("登记选举计票结果")
    ELECTION_NEXT_ROUND = "congress.election.next_round", _("登记另行选举")
    PRESIDIUM_ADD = "congress.presidium.add", _("录入主席团成员")
    PRESIDIUM_END = "congress.presidium.end", _("主席团成员任职终止")
    MEETING_TOPIC = "congress.meeting.topic", _("添加主席团会议议题")
    MEETING_VOTE = "congress.meeting.vote", _("登记主席团会议表决")
    MEETING_MINUTES = "congress.meeting.minutes", _("保存主席团会议纪要")
    MEETING_NOTICE = "congress.meeting.notice", _("发送主席团会议通知")
    # Deputies, terms and their records (deputies)
    DEPUTY_CREATE = "deputy.create", _("新增代表")
    DEPUTY_BY_ELECTION = "deputy.by_election", _("补选代表")
    DEPUTY_UPDATE = "deputy.update", _("修改代表信息")
    DEPUTY_IMPORT = "deputy.import", _("导入代表名册")
    TERM_CREATE = "term.create", _("新建届次")
    TERM_CLOSE = "term.close", _("届满")
    TERM_CHANGE = "term.change", _("换届")
    DISTRICT_SAVE = "district.save", _("保存选区")
    GROUP_SAVE = "group.save", _("保存代表小组")
    STATION_SAVE = "station.save", _("保存代表联络站")
    RECEPTION_DAY_PLAN = "reception_day.plan", _("安排接待选民日")
    RECEPTION_DAY_HOLD = "reception_day.hold", _("接待选民日已接待")
    RECEPTION_DAY_CANCEL = "reception_day.cancel", _("取消接待选民日")
    DUTY_REPORT_RECORD = "duty_report.record", _("登记代表述职")
    TRAINING_RECORD = "training.record", _("登记学习培训")
    ACTIVITY_RECORD = "activity.record", _("登记代表活动")
    # record_delete stores the model's name: "votercontact", "dutyreport".
    VOTER_CONTACT_DELETE = "votercontact.delete", _("删除联系选民记录")
    TRAINING_DELETE = "training.delete", _("删除学习培训记录")
    ACTIVITY_DELETE = "activity.delete", _("删除代表活动记录")
    DUTY_REPORT_DELETE = "dutyreport.delete", _("删除代表述职记录")
    # Past registers (suggestions, supervision)
    SUGGESTION_HISTORY_IMPORT = "suggestion.history_import", _("导入历年建议")
    PETITION_HISTORY_IMPORT = "petition.history_import", _("导入历年信访")
    # Supervision (supervision)
    SUPERVISION_ACTIVITY_CREATE = "supervision.activity_create", _("新建监督活动")
    SUPERVISION_ACTIVITY_UPDATE = "supervision.activity_update", _("修改监督活动")
    SUPERVISION_PARTICIPANTS_ADD = "supervision.participants_add", _("添加监督活动参加代表")
    SUPERVISION_PARTICIPANT_REMOVE = "supervision.participant_remove", _("移除监督活动参加代表")
    SUPERVISION_ATTACHMENT_ADD = "supervision.attachment_add", _("上传监督活动附件")
    SUPERVISION_FINDING_DELETE = "supervision.finding_delete", _("删除问题与意见")
    SUPERVISION_FINDING_FORWARD = "supervision.finding_forward", _("转交问题与意见")
    SUPERVISION_COMMITMENT_MID_CHECKED = "supervision.commitment_mid_checked", _("承诺/实事事项年中查账")
    SUPERVISION_COMMITMENT_DELIVERED = "supervision.commitment_delivered", _("承诺/实事事项年底交账")
    APPRAISAL_CREATE = "supervision.appraisal_create", _("开始民主测评")
    APPRAISAL_REPORT = "supervision.appraisal_report", _("登记测评对象述职")
    APPRAISAL_PAPER = "supervision.appraisal_paper", _("录入纸质测评票数")
    APPRAISAL_BALLOT_RECORDED = "supervision.appraisal_ballot_recorded", _("代表提交测评票")
    APPRAISAL_CLOSE = "supervision.appraisal_close", _("结束民主测评")
    # Livelihood projects (livelihood)
    LIVELIHOOD_PROPOSE = "livelihood.propose", _("提出民生实事候选项目")
    LIVELIHOOD_BALLOT_OPEN = "livelihood.ballot_open", _("开始民生实事票决")
    LIVELIHOOD_BALLOT_COUNT = "livelihood.ballot_count", _("民生实事票决计票")
    LIVELIHOOD_BALLOT_REVOTE = "livelihood.ballot_revote", _("民生实事重新票决")
    LIVELIHOOD_MILESTONE_ADD = "livelihood.milestone_add", _("添加民生实事实施节点")
    LIVELIHOOD_MILESTONE_DONE = "livelihood.milestone_done", _("民生实事实施节点完成")
    LIVELIHOOD_SUPERVISORS = "livelihood.supervisors", _("指定民生实事监督小组")
    LIVELIHOOD_ACTIVITY_LINK = "livelihood.activity_link", _("关联民生实事视察活动")
    # Notifications and reports
    NOTIFICATION_RESEND = "notification.resend", _("重新发送通知")
    NOTIFICATION_PREFERENCES = "notification.preferences", _("修改通知渠道")
    REPORT_NARRATIVE_SAVE = "report.narrative_save", _("保存报告正文")
    REPORT_DOCUMENT_SAVE = "report.document_save", _("登记收发文件")
    REPORT_DEED_SAVE = "report.deed_save", _("保存代表先进事迹")


class AuditEntry(models.Model):
    """Audit trail for administrative writes that are not workflow transitions (those have their own
    event tables): password resets, API keys, imports, settings changes."""

    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("操作人")
    )
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    action = models.CharField(_("操作"), max_length=60, db_index=True, choices=AuditAction.choices)
    object_repr = models.CharField(
        _("对象"),
        max_length=200,
        blank=True,
        help_text=_("操作对象在操作时的名称（对象以后改名或删除也不变）。"),
    )
    detail = models.JSONField(
        _("详情"),
        default=dict,
        blank=True,
        help_text=_("操作涉及的具体内容，例如规则修改前后的值（before 为原值，changed 为新值）。"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["township", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
