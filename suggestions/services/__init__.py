"""Every write of the suggestion loop, keyword-only, atomic, with the acting user, split by area:
``base`` (the one gate :func:`_transition`: lock, transition table in suggestions.workflow, guard,
version, SuggestionEvent, notices), ``notices`` (who is told), ``submission`` (a deputy's drafts,
submission, withdrawal, co-signing), ``sources`` (from another record, paper forms), ``intake``
(numbering, not accepting, merging), ``assignment`` (交办 and the units' first steps), ``handling``
(contact, extension, reply, planned work) and ``rating`` (evaluation, re-handling).
Import from ``suggestions.services``."""

from .assignment import (
    suggestion_assign,
    suggestion_assign_batch,
    suggestion_co_input,
    suggestion_return,
    suggestion_set_key,
    suggestion_sign,
)
from .base import _add_files, _transition
from .handling import (
    suggestion_decide_extension,
    suggestion_planned_done,
    suggestion_record_contact,
    suggestion_reply,
    suggestion_request_extension,
)
from .intake import next_number, suggestion_accept, suggestion_merge, suggestion_not_accept
from .notices import IN_HANDLING_OR_DONE, NOTIFY, _notify, _notify_recorded
from .rating import suggestion_evaluate
from .sources import (
    SOURCE_KINDS,
    check_paper_intake,
    received_moment,
    suggestion_create_from_source,
    suggestion_create_paper,
    suggestion_create_paper_batch,
)
from .submission import (
    cosigner_respond,
    suggestion_create_by_deputy,
    suggestion_submit,
    suggestion_update_draft,
    suggestion_withdraw,
)

__all__ = [
    "IN_HANDLING_OR_DONE",
    "NOTIFY",
    "SOURCE_KINDS",
    "_add_files",
    "_notify",
    "_notify_recorded",
    "_transition",
    "check_paper_intake",
    "cosigner_respond",
    "next_number",
    "received_moment",
    "suggestion_accept",
    "suggestion_assign",
    "suggestion_assign_batch",
    "suggestion_co_input",
    "suggestion_create_by_deputy",
    "suggestion_create_from_source",
    "suggestion_create_paper",
    "suggestion_create_paper_batch",
    "suggestion_decide_extension",
    "suggestion_evaluate",
    "suggestion_merge",
    "suggestion_not_accept",
    "suggestion_planned_done",
    "suggestion_record_contact",
    "suggestion_reply",
    "suggestion_request_extension",
    "suggestion_return",
    "suggestion_set_key",
    "suggestion_sign",
    "suggestion_submit",
    "suggestion_update_draft",
    "suggestion_withdraw",
]
