"""Every write of supervision and letters and visits.

Two workflows, each with ONE transition table read at a glance:
``RECTIFICATION_TRANSITIONS`` (整改) and ``PETITION_TRANSITIONS`` (信访). A transition locks the
row (``select_for_update(of=("self",))``), checks the version the actor saw, writes an event row
and bumps the version, so the loser of a race gets ``presidium.workflow.STALE_MESSAGE`` and
nothing changes.
"""

from ._common import (  # noqa: F401
    ALLOWED_UPLOAD_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    validate_upload,
)
from .activities import (  # noqa: F401
    ACTIVITY_FIELDS,
    activity_add_participants,
    activity_create,
    activity_remove_participant,
    activity_update,
    attachment_add,
    commitment_add,
    commitment_check,
    finding_add,
    finding_delete,
    finding_forward,
)
from .appraisal import (  # noqa: F401
    CHOICES,
    appraisal_cast,
    appraisal_close,
    appraisal_create,
    appraisal_enter_paper,
    appraisal_target_report,
    entitled_voters,
)
from .petitions import PETITION_TRANSITIONS, petition_register, petition_transition  # noqa: F401
from .rectification import (  # noqa: F401
    RECTIFICATION_TRANSITIONS,
    compute_deadline,
    rectification_actions_for,
    rectification_create,
    rectification_transition,
)
