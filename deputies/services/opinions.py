"""Voter opinions: registered at a reception day, left through a station's QR code or a deputy's
code (代表码), and their workflow (forward, close, convert to a suggestion, reply, answer, hand over)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from presidium.models import AuditAction, HandlingUnit, Role, User
from presidium.services import audit
from presidium.workflow import STALE_MESSAGE, Transition, TransitionTable
from suggestions.services import suggestion_create_from_source

from .. import events
from ..models import (
    OPINION_ACTION_LABELS,  # noqa: F401  (re-exported; its home is the event table)
    Deputy,
    ReceptionDay,
    Station,
    VoterOpinion,
)
from .base import _require_editor

# Voter opinion workflow. Roles: "staff" = the township office, "unit" = the unit the opinion was
# forwarded to, "deputy" = the deputy a message was left for.
OS = VoterOpinion.Status
_STAFF, _UNIT, _DEPUTY = ("staff",), ("unit",), ("deputy",)
OPINION_TRANSITIONS = TransitionTable(
    {
        (OS.OPEN, "forward"): Transition(OS.FORWARDED, _STAFF),
        (OS.OPEN, "close"): Transition(OS.CLOSED, _STAFF),
        (OS.OPEN, "convert"): Transition(OS.CONVERTED, _STAFF),
        (OS.FORWARDED, "reply"): Transition(OS.CLOSED, _UNIT),
        (OS.FORWARDED, "close"): Transition(OS.CLOSED, _STAFF),
        (OS.FORWARDED, "convert"): Transition(OS.CONVERTED, _STAFF),
        # A message left through a deputy's own code (代表码): the deputy answers it, or hands it to
        # the office (it stays open for staff to forward, close or turn into a suggestion).
        (OS.OPEN, "answer"): Transition(OS.CLOSED, _DEPUTY),
        (OS.OPEN, "hand_over"): Transition(OS.OPEN, _DEPUTY),
    }
)
# Actions only the deputy a message is addressed to may take.
DEPUTY_OPINION_ACTIONS = tuple(
    a for a in OPINION_TRANSITIONS.actions if OPINION_TRANSITIONS.roles_for(a) == {"deputy"}
)


def _register(source, township_id, content: str, voter_name: str, voter_phone: str, *, actor=None, **fields):
    """Validate and save a new voter opinion (received today unless ``received_on`` says otherwise)
    and log its registration."""
    fields.setdefault("received_on", timezone.localdate())
    opinion = VoterOpinion(
        source=source,
        township_id=township_id,
        voter_name=voter_name.strip(),
        voter_phone=voter_phone.strip(),
        content=content.strip(),
        **fields,
    )
    opinion.full_clean()
    opinion.save()
    events.opinion_registered(opinion=opinion, actor=actor)
    return opinion


@transaction.atomic
def visitor_register(
    *,
    day: ReceptionDay,
    actor,
    content: str,
    voter_name: str = "",
    voter_phone: str = "",
    voter_address: str = "",
) -> VoterOpinion:
    """Register a visitor's issue on a reception day (选民意见转办卡): it becomes a voter opinion."""
    _require_editor(actor, day.township_id)
    if day.status == ReceptionDay.Status.CANCELLED:
        raise ValidationError(_("该接待日已取消，不能登记来访选民。"))
    opinion = _register(
        VoterOpinion.Source.RECEPTION,
        day.township_id,
        content,
        voter_name,
        voter_phone,
        actor=actor,
        station=day.station,
        reception_day=day,
        voter_address=voter_address.strip(),
        received_on=day.date,
    )
    if day.status == ReceptionDay.Status.PLANNED and day.date <= timezone.localdate():
        # Visitors were received: the day was held (saves the office a second click).
        updated = ReceptionDay.objects.filter(pk=day.pk, status=ReceptionDay.Status.PLANNED).update(
            status=ReceptionDay.Status.HELD
        )
        if updated:
            day.status = ReceptionDay.Status.HELD
            audit(actor=actor, action=AuditAction.RECEPTION_DAY_HOLD, township=day.station.township, obj=day)
    return opinion


@transaction.atomic
def voter_message_submit(
    *, station: Station, content: str, voter_name: str = "", voter_phone: str = ""
) -> VoterOpinion:
    """A voter's message left through a station's QR code (no login)."""
    if not station.is_active:
        raise ValidationError(_("该联络站暂停接收留言。"))
    opinion = _register(
        VoterOpinion.Source.QR, station.township_id, content, voter_name, voter_phone, station=station
    )
    _notify_new_message(opinion)
    return opinion


@transaction.atomic
def voter_opinion_act(
    *,
    opinion: VoterOpinion,
    action: str,
    actor,
    expected_status: str,
    comment: str = "",
    unit: HandlingUnit | None = None,
    category: str = "",
    title: str = "",
    lead_deputy: Deputy | None = None,
) -> VoterOpinion:
    """Move a voter opinion along its workflow: forward to a unit, close, turn into a suggestion, or
    (for the unit it was forwarded to) reply, which closes it. A suggestion made from an opinion is
    carried by a deputy: ``lead_deputy`` (a serving deputy of the township, usually one of the
    station's) is required for "convert"."""
    locked = VoterOpinion.objects.select_for_update(of=("self",)).get(pk=opinion.pk)
    if action == "reply":
        if not (getattr(actor, "unit_id", None) and actor.unit_id == locked.unit_id):
            raise PermissionDenied(_("只有被转办的单位可以答复。"))
    elif action in DEPUTY_OPINION_ACTIONS:
        if not (
            locked.deputy_id
            and getattr(actor, "pk", None)
            and Deputy.objects.filter(pk=locked.deputy_id, user_id=actor.pk).exists()
        ):
            raise PermissionDenied(_("只有留言对象代表本人可以答复或转交。"))
        if locked.responded_at is not None and locked.status == VoterOpinion.Status.OPEN:
            raise ValidationError(_("这条留言已转交人大办处理。"))
    else:
        _require_editor(actor, locked.township_id)
    if locked.status != expected_status:
        raise ValidationError(STALE_MESSAGE)
    target = OPINION_TRANSITIONS.step(
        locked.status,
        action,
        refused=_("选民意见当前状态为“%(s)s”，不能执行该操作。") % {"s": locked.get_status_display()},
    ).to
    comment = (comment or "").strip()
    extra = {}
    if action == "forward":
        if unit is None or unit.township_id != locked.township_id or not unit.is_active:
            raise ValidationError(_("请选择本乡镇的承办单位。"))
        locked.unit = unit
        extra["unit"] = unit.name
    elif action in ("close", "reply", "answer"):
        if not comment:
            raise ValidationError(_("请填写处理结果。") if action != "answer" else _("请填写给选民的答复。"))
        locked.result = comment
    elif action == "convert":
        if lead_deputy is None:
            raise ValidationError(_("转为建议须指定领衔代表（由哪位代表提出这条建议）。"))
        if lead_deputy.township_id != locked.township_id or not lead_deputy.is_serving:
            raise ValidationError(_("领衔代表须为本乡镇在任代表。"))
        title = (title or "").strip() or locked.content.strip().splitlines()[0][:40]
        suggestion = suggestion_create_from_source(
            source=locked,
            township=locked.township,
            title=title,
            content=locked.content,
            actor=actor,
            category=category,
            lead_deputy=lead_deputy,
        )
        extra["suggestion_id"] = suggestion.pk
        extra["lead_deputy"] = lead_deputy.name
    if action in DEPUTY_OPINION_ACTIONS and locked.responded_at is None:
        locked.responded_at = timezone.now()
    from_status = locked.status
    locked.status = target
    locked.save()
    events.opinion_transition(
        opinion=locked, actor=actor, action=action, from_status=from_status, comment=comment, **extra
    )
    if action == "forward":
        _notify_unit(locked)
    elif action == "hand_over":
        _notify_handed_over(locked)
    return locked


def deputy_code_token(*, deputy: Deputy) -> str:
    """The deputy's 代表码 token, created on first use (rows from bulk imports have none yet)."""
    import secrets

    if not deputy.public_token:
        token = secrets.token_urlsafe(12)
        Deputy.objects.filter(pk=deputy.pk, public_token__isnull=True).update(public_token=token)
        deputy.public_token = Deputy.objects.filter(pk=deputy.pk).values_list("public_token", flat=True).get()
    return deputy.public_token


@transaction.atomic
def deputy_message_submit(
    *, deputy: Deputy, content: str, voter_name: str = "", voter_phone: str = ""
) -> VoterOpinion:
    """A voter's message left through a deputy's personal code (no login). Registered like a
    station message (a voter opinion), addressed to the deputy, who is told at once."""
    if deputy.status != Deputy.Status.SERVING:
        raise ValidationError(_("这位代表目前不在任，暂不接收留言。"))
    source = VoterOpinion.Source.DEPUTY_CODE
    opinion = _register(source, deputy.township_id, content, voter_name, voter_phone, deputy=deputy)
    _notify_deputy_message(opinion)
    return opinion


def _tell(opinion, verb: str, recipients, title, *, channels=None):
    """Once the change is committed, tell ``recipients()`` about the opinion: ``title()``, its text and
    a link to it, at most once per opinion for ``verb`` (``channels=[]``: in the inbox only)."""

    def send():
        notify(
            recipients=recipients(),
            verb=verb,
            title=title(),
            body=opinion.content[:200],
            obj=opinion,
            url=reverse("deputies:opinion_detail", kwargs={"pk": opinion.pk}),
            channels=channels,
            dedupe_key=f"{verb}:{opinion.pk}",
        )

    transaction.on_commit(send)


def _notify_new_message(opinion):
    """The station's deputies and the township's presidium staff see a voter's QR message in their
    inbox (in-app only: a public form must not trigger SMS at will)."""
    _tell(
        opinion,
        "voter_opinion.new",
        lambda: list(
            User.objects.filter(is_active=True)
            .filter(
                Q(role=Role.STAFF, township_id=opinion.township_id)
                | Q(
                    role=Role.DEPUTY,
                    deputy__stations=opinion.station_id,
                    deputy__status=Deputy.Status.SERVING,
                )
            )
            .distinct()
        ),
        lambda: _("%(s)s收到选民留言") % {"s": opinion.station},
        channels=[],
    )


def _notify_deputy_message(opinion):
    """The addressed deputy sees the message in their inbox at once (in-app only, as for station
    messages: a public form must not trigger SMS at will)."""
    _tell(
        opinion,
        "voter_opinion.deputy_code",
        lambda: list(User.objects.filter(is_active=True, deputy=opinion.deputy_id)),
        lambda: _("选民通过代表码给您留言，请答复或转交人大办"),
        channels=[],
    )


def _notify_handed_over(opinion):
    """The township's staff take over a message a deputy handed to the office."""
    _tell(
        opinion,
        "voter_opinion.hand_over",
        lambda: list(User.objects.filter(is_active=True, role=Role.STAFF, township_id=opinion.township_id)),
        lambda: _("%(name)s代表转交了一条选民留言，请处理") % {"name": opinion.deputy.name},
    )


def _notify_unit(opinion):
    """Tell the unit's officers (in-app) once the forward is committed."""
    _tell(
        opinion,
        "voter_opinion.forwarded",
        lambda: list(User.objects.filter(unit_id=opinion.unit_id, role=Role.UNIT, is_active=True)),
        lambda: _("收到转办的选民意见"),
    )
