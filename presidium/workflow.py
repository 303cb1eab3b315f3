"""What every workflow shares: the one conflict message.

STALE_MESSAGE is what the loser of a race is told (someone else changed the row between the page
being shown and the form being sent, or while this request waited for the row lock); nothing is
changed."""

from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("已被他人修改，请刷新后重试。")
