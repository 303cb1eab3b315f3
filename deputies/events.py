"""The event rows of the voter-opinion workflow (Saleor's ``order/events.py`` manner): services call
these functions; nothing else creates the rows. (A deputy's status changes have their own history
table, ``DeputyStatusChange``, which is data of the roster rather than a workflow timeline.)"""

from .models import VoterOpinion, VoterOpinionEvent


def opinion_transition(
    *, opinion: VoterOpinion, actor, action: str, from_status: str, comment: str = "", **extra
) -> VoterOpinionEvent:
    """The opinion has already moved: ``to_status`` is its current status. A voter leaving a message
    (anonymous) is recorded without an actor."""
    return VoterOpinionEvent.objects.create(
        opinion=opinion,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=opinion.status,
        comment=comment,
        extra=extra,
    )


def opinion_registered(*, opinion: VoterOpinion, actor=None) -> VoterOpinionEvent:
    return opinion_transition(opinion=opinion, actor=actor, action="register", from_status="")
