"""Cross-cutting core: organisation (county → township → handling units), users and roles,
per-county rules (the *(config)* numbers of DOMAIN.md), API keys and the audit log.

One module per concern; every name is re-exported here, so ``presidium.models.X`` (imports and the
callables old migrations reference, e.g. ``presidium.models.default_categories``) keeps working."""

from django.core.validators import MinValueValidator

from .audit import AuditAction, AuditEntry
from .events import StatusEvent
from .holidays import HolidayDay, HolidayYear
from .places import County, HandlingUnit, Township
from .rules import (
    CountyRules,
    default_archive_weights,
    default_categories,
    default_not_accepted_reasons,
    default_outcome_classes,
    default_reminder_rules,
    default_six_ones,
)
from .users import ApiKey, PresidiumUserManager, Role, StaffTitle, User, phone_validator

__all__ = [
    "ApiKey",
    "AuditAction",
    "AuditEntry",
    "County",
    "CountyRules",
    "HandlingUnit",
    "HolidayDay",
    "HolidayYear",
    "MinValueValidator",
    "PresidiumUserManager",
    "Role",
    "StaffTitle",
    "StatusEvent",
    "Township",
    "User",
    "default_archive_weights",
    "default_categories",
    "default_not_accepted_reasons",
    "default_outcome_classes",
    "default_reminder_rules",
    "default_six_ones",
    "phone_validator",
]
