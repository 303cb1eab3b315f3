"""HTML views: thin. Objects come through selectors (another township's object is a 404); writes go
through services, whose ValidationError is shown with messages.error and changes nothing."""

from .activities import (  # noqa: F401
    activity_create,
    activity_detail,
    activity_edit,
    activity_list,
    activity_pdf,
    attachment_add,
    attachment_download,
    commitment_add,
    commitment_check,
    finding_add,
    finding_delete,
    finding_forward,
    participant_remove,
    participants_add,
    rectification_create,
)
from .appraisal import (  # noqa: F401
    appraisal_close,
    appraisal_create,
    appraisal_detail,
    appraisal_paper,
    appraisal_record_ballot,
    appraisal_target_report,
    appraisal_vote,
    my,
)
from .petitions import (  # noqa: F401
    petition_act,
    petition_create,
    petition_detail,
    petition_list,
)
from .rectification import (  # noqa: F401
    evidence_download,
    rectification_act,
    rectification_detail,
    rectification_export,
    rectification_list,
)
