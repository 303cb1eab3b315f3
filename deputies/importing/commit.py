"""Writing an accepted file: all or nothing."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from presidium.models import AuditAction
from presidium.services import audit

from ..models import Deputy, DeputyStatusChange, ImportValueMapping
from .columns import UPDATABLE


@transaction.atomic
def _commit(outcome, *, township, term, actor, ctx, mappings, start_date, by_election_ref) -> None:
    new_rows = [r for r in outcome.rows if r.action == "new"]
    deputies = []
    for row in new_rows:
        fields = {k: v for k, v in row.values.items() if k in UPDATABLE and v is not None}
        deputy = Deputy(
            township=township,
            term=term,
            status=Deputy.Status.SERVING,
            status_since=start_date,
            **fields,
        )
        deputy.fill_pinyin()
        deputies.append(deputy)
    max_pk_before = Deputy.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Deputy.objects.bulk_create(deputies, batch_size=500)
    if any(d.pk is None for d in deputies):  # a database without RETURNING on bulk insert
        created = {
            (d.name, d.certificate_no, d.phone): d
            for d in Deputy.objects.filter(term=term, pk__gt=max_pk_before)
        }
        for d in deputies:
            d.pk = created[(d.name, d.certificate_no, d.phone)].pk
    ref = by_election_ref.strip()[:120]
    DeputyStatusChange.objects.bulk_create(
        [
            DeputyStatusChange(
                township=township,
                deputy=deputy,
                from_status="",
                to_status=Deputy.Status.SERVING,
                is_by_election=row.by_election,
                effective_date=start_date,
                document_ref=ref if row.by_election else _("花名册导入"),
                actor=actor if getattr(actor, "pk", None) else None,
            )
            for row, deputy in zip(new_rows, deputies, strict=True)
        ],
        batch_size=500,
    )
    changed = defaultdict(list)
    for row in outcome.rows:
        if row.action != "update":
            continue
        deputy = row.existing
        for key in UPDATABLE:
            value = row.values.get(key)
            if key not in row.values or value is None or (value == "" and key != "education"):
                continue
            if getattr(deputy, key) != value:
                setattr(deputy, key, value)
                changed[key].append(deputy)
        if "name" in row.values:
            deputy.fill_pinyin()
    updated = {d.pk: d for ds in changed.values() for d in ds}
    if updated:
        fields = sorted({*changed, "name_pinyin", "name_initials"})
        Deputy.objects.bulk_update(list(updated.values()), fields, batch_size=500)
    for (key, source), target in mappings.items():
        ImportValueMapping.objects.update_or_create(
            township=township,
            field=key,
            source=source[:100],
            defaults={
                "target": str(target)[:100],
                "created_by": actor if getattr(actor, "pk", None) else None,
            },
        )
    outcome.created, outcome.updated = len(deputies), len(updated)
    audit(
        actor=actor,
        action=AuditAction.DEPUTY_IMPORT,
        township=township,
        obj=_("导入代表：新增 %(c)s 名，更新 %(u)s 名") % {"c": outcome.created, "u": outcome.updated},
        rows=outcome.created,
        updated=outcome.updated,
        term=term.number,
        start_date=start_date.isoformat(),
        by_election_ref=by_election_ref.strip(),
    )
