"""The event rows of the suggestion workflow: the item's timeline (Saleor's ``order/events.py``
manner). Services call these functions; nothing else creates the rows."""

from .models import Suggestion, SuggestionEvent


def transition(*, suggestion: Suggestion, on_behalf=None, **fields) -> SuggestionEvent:
    """The suggestion has already moved: ``to_status`` is its current status (the other keywords are
    ``StatusEvent.record``'s). ``on_behalf``: the deputy or unit a staff member recorded the step for
    (代录, a ``workflow.OnBehalf``)."""
    return SuggestionEvent.record(
        suggestion,
        to_status=suggestion.status,
        columns=on_behalf.event_fields() if on_behalf is not None else None,
        **fields,
    )


def merged_in(*, into: Suggestion, merged: Suggestion, actor) -> SuggestionEvent:
    """The surviving suggestion's timeline notes the duplicate merged into it."""
    return transition(
        suggestion=into, actor=actor, action="merged_in", from_status=into.status, merged=merged.pk
    )


def cosign_answered(*, suggestion: Suggestion, deputy_id: int, confirmed: bool, actor, on_behalf=None):
    return transition(
        suggestion=suggestion,
        actor=actor,
        action="cosign" if confirmed else "cosign_decline",
        from_status=suggestion.status,
        on_behalf=on_behalf,
        deputy=deputy_id,
    )
