"""The event rows of the supervision workflows (rectification items, letters and visits), in the
manner of Saleor's ``order/events.py``: services and imports call these functions; nothing else
creates the rows. The ``*_transition`` functions take ``StatusEvent.record``'s keywords."""

from .models import Petition, PetitionEvent, Rectification, RectificationEvent


def rectification_transition(*, rectification: Rectification, **fields) -> RectificationEvent:
    return RectificationEvent.record(rectification, **fields)


def rectification_assigned(*, rectification: Rectification, actor) -> RectificationEvent:
    return RectificationEvent.record(
        rectification,
        actor=actor,
        action="assign",
        to_status=rectification.status,
        deadline=rectification.deadline.isoformat(),
    )


def petition_transition(*, petition: Petition, **fields) -> PetitionEvent:
    return PetitionEvent.record(petition, **fields)


def petition_registered(*, petition: Petition, actor) -> PetitionEvent:
    return PetitionEvent.record(petition, actor=actor, action="register", to_status=petition.status)
