"""Writes of the deputies app, by concern: ``roster`` (deputies and their status), ``terms``,
``organisation`` (districts, groups, stations), ``reception`` (reception days), ``opinions`` (voter
opinions and messages) and ``records`` (contacts, duty reports, trainings, activities). Keyword-only,
atomic, with the acting user; workflow steps write an event row (DeputyStatusChange,
VoterOpinionEvent) and other writes an audit entry. Every public name is re-exported here, so
``from deputies.services import x`` and ``deputies.services.x`` reach the same function."""

from .opinions import (
    DEPUTY_OPINION_ACTIONS,
    OPINION_ACTION_LABELS,
    OPINION_TRANSITIONS,
    deputy_code_token,
    deputy_message_submit,
    visitor_register,
    voter_message_submit,
    voter_opinion_act,
)
from .organisation import district_save, group_save, station_save
from .reception import (
    RECEPTION_TRANSITIONS,
    reception_day_notice_warning,
    reception_day_plan,
    reception_day_transition,
)
from .records import activity_record, duty_report_record, record_delete, training_record, voter_contact_record
from .roster import (
    ROSTER_FIELDS,
    STATUS_TRANSITIONS,
    deputy_change_status,
    deputy_create,
    deputy_update,
    district_vacancies,
)
from .terms import previous_term, term_change, term_close, term_create

__all__ = [
    "DEPUTY_OPINION_ACTIONS",
    "OPINION_ACTION_LABELS",
    "OPINION_TRANSITIONS",
    "RECEPTION_TRANSITIONS",
    "ROSTER_FIELDS",
    "STATUS_TRANSITIONS",
    "activity_record",
    "deputy_change_status",
    "deputy_code_token",
    "deputy_create",
    "deputy_message_submit",
    "deputy_update",
    "district_save",
    "district_vacancies",
    "duty_report_record",
    "group_save",
    "previous_term",
    "reception_day_notice_warning",
    "reception_day_plan",
    "reception_day_transition",
    "record_delete",
    "station_save",
    "term_change",
    "term_close",
    "term_create",
    "training_record",
    "visitor_register",
    "voter_contact_record",
    "voter_message_submit",
    "voter_opinion_act",
]
