"""What every deputies service leans on: the stale-form message and the township guards."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from presidium.selectors import can_edit_township


def _require_editor(actor, township_id):
    if not can_edit_township(actor, township_id):
        raise PermissionDenied(_("您无权修改该乡镇的数据。"))


def _same_township(objs, township_id, message):
    for obj in objs:
        if obj is not None and obj.township_id != township_id:
            raise ValidationError(message)
