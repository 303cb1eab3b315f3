"""The event rows of the voter-opinion workflow (Saleor's ``order/events.py`` manner): services call
these functions; nothing else creates the rows. (A deputy's status changes have their own history
table, ``DeputyStatusChange``, which is data of the roster rather than a workflow timeline.)"""

from .models import VoterOpinion, VoterOpinionEvent


def opinion_transition(*, opinion: VoterOpinion, **fields) -> VoterOpinionEvent:
    """The opinion has already moved: ``to_status`` is its current status (the other keywords are
    ``StatusEvent.record``'s). A voter leaving a message (anonymous) is recorded without an actor."""
    return VoterOpinionEvent.record(opinion, to_status=opinion.status, **fields)


def opinion_registered(*, opinion: VoterOpinion, actor=None) -> VoterOpinionEvent:
    return VoterOpinionEvent.record(opinion, actor=actor, action="register", to_status=opinion.status)
