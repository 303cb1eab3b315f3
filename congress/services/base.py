"""Writes of the congress app. Keyword-only, atomic, with the acting user; every workflow transition
writes an event row; rows two people may change at once are locked with
``select_for_update(of=("self",))`` and the loser is told ``presidium.workflow.STALE_MESSAGE``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from notifications.services import notify
from presidium.selectors import can_edit_township
from presidium.workflow import STALE_MESSAGE, TransitionTable

from ..models import (
    Motion,
    PresidiumMeeting,
    Session,
)

# ---------------------------------------------------------------- transition tables

# The steps of these workflows are "move to status X" (the action is the target status), taken by
# the township office: ``presidium.workflow.TransitionTable.moves``.
_STAFF = ("staff",)
SESSION_TRANSITIONS = TransitionTable.moves(
    {
        Session.Status.PLANNED: (Session.Status.PREPARING, Session.Status.CANCELLED),
        Session.Status.PREPARING: (
            Session.Status.IN_SESSION,
            Session.Status.PLANNED,
            Session.Status.CANCELLED,
        ),
        Session.Status.IN_SESSION: (Session.Status.CLOSED,),
    },
    roles=_STAFF,
)

# Motion workflow (议案): the presidium decides; withdrawal is possible until the vote; a rejected
# motion may still be handled as a suggestion. ADOPTED/REJECTED are reached only by recording the vote.
MOTION_TRANSITIONS = TransitionTable.moves(
    {
        Motion.Status.SUBMITTED: (
            Motion.Status.ON_AGENDA,
            Motion.Status.AS_SUGGESTION,
            Motion.Status.WITHDRAWN,
        ),
        Motion.Status.ON_AGENDA: (Motion.Status.WITHDRAWN, Motion.Status.ADOPTED, Motion.Status.REJECTED),
        Motion.Status.REJECTED: (Motion.Status.AS_SUGGESTION,),
    },
    roles=_STAFF,
)

MEETING_TRANSITIONS = TransitionTable.moves(
    {PresidiumMeeting.Status.PLANNED: (PresidiumMeeting.Status.HELD, PresidiumMeeting.Status.CANCELLED)},
    roles=_STAFF,
)

MARKABLE_SESSION = (Session.Status.PREPARING, Session.Status.IN_SESSION)
OPEN_SESSION = (Session.Status.PLANNED, Session.Status.PREPARING, Session.Status.IN_SESSION)


def _check_staff(actor, township_id: int):
    if not can_edit_township(actor, township_id):
        raise PermissionDenied(_("您无权修改该乡镇的数据。"))


def _lock(model, pk):
    obj = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if obj is None:
        raise ValidationError(STALE_MESSAGE)
    return obj


def _expect(obj, expected_status):
    if expected_status is not None and obj.status != expected_status:
        raise ValidationError(STALE_MESSAGE)


# ---------------------------------------------------------------- side effects behind small functions


def send_notice(
    *,
    recipients,
    verb: str,
    title: str,
    body: str = "",
    obj=None,
    url: str = "",
    dedupe_key: str | None = None,
) -> None:
    """Hand a notice to the notifications app (in-app inbox always, plus the users' channels; the app
    itself sends after commit)."""
    recipients = [u for u in recipients if u is not None]
    if recipients:
        notify(
            recipients=recipients, verb=verb, title=title, body=body, obj=obj, url=url, dedupe_key=dedupe_key
        )


def _check_tally(votes_for, votes_against, abstentions, present):
    for v in (votes_for, votes_against, abstentions):
        if v is None or v < 0:
            raise ValidationError(_("票数必须是不小于0的整数。"))
    if votes_for + votes_against + abstentions > present:
        raise ValidationError(
            _("赞成、反对、弃权票合计(%(sum)s)超过出席人数(%(present)s)。")
            % {"sum": votes_for + votes_against + abstentions, "present": present}
        )
