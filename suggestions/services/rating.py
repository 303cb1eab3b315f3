"""The lead deputy rates the reply; unsatisfied the first time sends it back for re-handling."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import workflow
from ..deadlines import set_due
from ..models import (
    ExtensionStatus,
    Rating,
    Suggestion,
    SuggestionEvaluation,
)
from .base import _check_text, _close, _today, _transition


@transaction.atomic
def suggestion_evaluate(
    *, suggestion, actor, rating: str, comment: str = "", expected_version=None, on_behalf=None
) -> Suggestion:
    """The lead deputy rates the reply. Unsatisfied the first time → re-handling with a new due date.
    With ``on_behalf`` the office records the deputy's rating and words from a call or the paper form."""
    if rating not in Rating.values:
        raise ValidationError(_("请选择满意度。"))
    if rating == Rating.UNSATISFIED:
        comment = _check_text(comment, _("不满意的理由"))
        action = "rate_unsatisfied" if suggestion.round == 1 else "rate_unsatisfied_final"
    else:
        action = workflow.RATING_ACTIONS[rating]

    def apply(s):
        SuggestionEvaluation.objects.create(
            suggestion=s, round=s.round, rating=rating, comment=comment.strip(), created_by=actor
        )
        s.rating = rating
        if s.round == 1:
            s.first_rating = rating
        if action == "rate_unsatisfied":
            s.round = 2
            set_due(s, "reply_due", rules=s.township.rules, stage="rehandle", start=_today())
            s.due_date = s.reply_due
            s.extension_status = ExtensionStatus.NONE
        else:
            _close(s)
        return {"rating": rating}

    return _transition(
        suggestion=suggestion,
        action=action,
        actor=actor,
        expected_version=expected_version,
        comment=comment,
        apply=apply,
        on_behalf=on_behalf,
    )
