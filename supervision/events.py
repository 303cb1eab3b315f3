"""The event rows of the supervision workflows (rectification items, letters and visits), in the
manner of Saleor's ``order/events.py``: services and imports call these functions; nothing else
creates the rows."""

from .models import Petition, PetitionEvent, Rectification, RectificationEvent


def rectification_transition(
    *,
    rectification: Rectification,
    actor,
    action: str,
    from_status: str,
    to_status: str,
    comment: str = "",
    **extra,
) -> RectificationEvent:
    return RectificationEvent.objects.create(
        rectification=rectification,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
    )


def rectification_assigned(*, rectification: Rectification, actor) -> RectificationEvent:
    return rectification_transition(
        rectification=rectification,
        actor=actor,
        action="assign",
        from_status="",
        to_status=rectification.status,
        deadline=rectification.deadline.isoformat(),
    )


def petition_transition(
    *, petition: Petition, actor, action: str, from_status: str, to_status: str, comment: str = "", **extra
) -> PetitionEvent:
    return PetitionEvent.objects.create(
        petition=petition,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        extra=extra,
    )


def petition_registered(*, petition: Petition, actor) -> PetitionEvent:
    return petition_transition(
        petition=petition, actor=actor, action="register", from_status="", to_status=petition.status
    )
