"""The status-event base model every workflow's event table subclasses."""

from collections.abc import Mapping

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatusEvent(models.Model):
    """Abstract event row of a workflow: one per transition (who, what, from, to, when, comment,
    details). Every workflow's event table subclasses it and adds only its foreign key (and, where
    the workflow needs them, its own extra columns).

    A concrete table names its subject foreign key in ``subject_field`` (for ``record``), its status
    enum in ``status_enum`` (for ``from_label``/``to_label``) and its action labels in
    ``action_labels`` (for ``action_label``). Rows are written by ``record``, called only from the
    app's ``events`` module, never directly by services."""

    subject_field: str = ""
    status_enum: type[models.TextChoices] | None = None
    action_labels: Mapping[str, str] = {}

    actor = models.ForeignKey(
        "presidium.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=24, blank=True)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    comment = models.TextField(_("说明"), blank=True)
    extra = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        head = f"{self.action}: " if self.action else ""
        return f"{head}{self.from_status} → {self.to_status}"

    @classmethod
    def record(
        cls,
        subject,
        *,
        actor,
        to_status: str,
        from_status: str = "",
        action: str = "",
        comment: str = "",
        created_at=None,
        columns: Mapping | None = None,
        **extra,
    ):
        """Write one event row of ``subject`` (the instance, or its primary key) and return it.
        An actor without a primary key (a voter, the worker's anonymous principal) is recorded as
        none; ``created_at`` defaults to now; ``columns``: the table's own extra columns; the other
        keywords are the row's details (``extra``)."""
        key = cls.subject_field if isinstance(subject, models.Model) else f"{cls.subject_field}_id"
        return cls.objects.create(
            **{key: subject},
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            from_status=from_status,
            to_status=to_status,
            comment=comment or "",
            extra=extra,
            created_at=created_at or timezone.now(),
            **(columns or {}),
        )

    def _label(self, value):
        enum = self.status_enum
        return enum(value).label if enum is not None and value in enum.values else ""

    @property
    def from_label(self):
        return self._label(self.from_status)

    @property
    def to_label(self):
        return self._label(self.to_status)

    @property
    def action_label(self):
        """The action in words (the raw code when the table has no label for it)."""
        return self.action_labels.get(self.action, self.action)
