"""Channel preferences: the role defaults, a user's outbound channels, and storing their choice."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presidium.models import AuditAction, Role

from ..models import OUTBOUND_CHANNELS, Channel


def default_channels(role: str) -> list[str]:
    """Deputies default to SMS (+ in-app); everyone else to e-mail (+ in-app)."""
    return [Channel.SMS] if role == Role.DEPUTY else [Channel.EMAIL]


def effective_channels(role: str, chosen) -> list[str]:
    """The outbound channels of a user: their choice (``User.notify_channels``) or the role default.
    A choice of only "inapp" means no outbound channel."""
    if isinstance(chosen, list) and chosen:
        return [c for c in OUTBOUND_CHANNELS if c in chosen]
    return default_channels(role)


@transaction.atomic
def notification_preferences_update(*, user, channels, actor) -> list[str]:
    """Store the outbound channels a user chose (in-app is always on)."""
    from presidium.services import audit

    if actor.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的通知设置。"))
    chosen = [c for c in OUTBOUND_CHANNELS if c in set(channels or ())]
    unknown = set(channels or ()) - set(OUTBOUND_CHANNELS) - {Channel.INAPP}
    if unknown:
        raise ValidationError(_("未知的通知渠道：%(c)s") % {"c": "、".join(sorted(unknown))})
    if Channel.SMS in chosen and not user.phone:
        raise ValidationError(_("选择短信提醒前请先填写手机号码。"))
    if Channel.EMAIL in chosen and not user.email:
        raise ValidationError(_("选择邮件提醒前请先填写邮箱地址。"))
    user.notify_channels = chosen or [Channel.INAPP]
    user.save(update_fields=["notify_channels"])
    audit(
        actor=actor,
        action=AuditAction.NOTIFICATION_PREFERENCES,
        township=user.township,
        obj=user,
        channels=chosen,
    )
    return chosen
