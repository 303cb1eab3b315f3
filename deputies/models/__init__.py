"""Deputies: terms, electoral districts and the roster (花名册). Groups, stations, the three
systems, trainings and the performance archive build on these.

One module per concern; every name is re-exported here, so ``deputies.models.X`` keeps working."""

from .duties import Activity, DutyReport, Training
from .opinions import OPINION_ACTION_LABELS, VoterOpinion, VoterOpinionEvent
from .roster import (
    ROSTER_FIELDS,
    Deputy,
    DeputyGroup,
    DeputyQuerySet,
    DeputyStatusChange,
    ImportValueMapping,
    name_to_pinyin,
    serving_on_q,
)
from .stations import ReceptionDay, Station, VoterContact, reception_announce_min_days
from .terms import ElectoralDistrict, Term, natural_sort_key

__all__ = [
    "OPINION_ACTION_LABELS",
    "ROSTER_FIELDS",
    "Activity",
    "Deputy",
    "DeputyGroup",
    "DeputyQuerySet",
    "DeputyStatusChange",
    "DutyReport",
    "ElectoralDistrict",
    "ImportValueMapping",
    "ReceptionDay",
    "Station",
    "Term",
    "Training",
    "VoterContact",
    "VoterOpinion",
    "VoterOpinionEvent",
    "name_to_pinyin",
    "natural_sort_key",
    "reception_announce_min_days",
    "serving_on_q",
]
