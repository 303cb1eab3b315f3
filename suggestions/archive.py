"""Performance-archive source: suggestions each deputy made (led or co-signed), how many were
accepted and how many resolved. A fixed number of grouped queries whatever the number of deputies.

Metrics (labels in deputies.selectors.METRIC_LABELS where known):
- suggestion: suggestions led plus suggestions co-signed (confirmed), received in the period;
- suggestion_joint: of those, co-signed;
- suggestion_accepted: led suggestions accepted (立案);
- suggestion_resolved: led suggestions replied with a "resolved" outcome (A).
"""

from collections import defaultdict

from django.db.models import Count, Q

from deputies.models import Deputy
from presidium.registry import register_archive_source

from .models import CoSigner, Suggestion
from .selectors import _outcome_qs, received_in


def suggestions_made(deputy_ids, start, end):
    out = defaultdict(dict)
    if not deputy_ids:
        return out
    township_ids = set(Deputy.objects.filter(pk__in=deputy_ids).values_list("township_id", flat=True))
    resolved_q, _planned_q = _outcome_qs(list(township_ids))
    led = (
        Suggestion.objects.filter(received_in(start, end), lead_deputy_id__in=deputy_ids)
        .exclude(status="merged")
        .values("lead_deputy_id")
        .annotate(
            n=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            resolved=Count("pk", filter=Q(replied_at__isnull=False) & resolved_q),
        )
        .order_by()
    )
    for row in led:
        out[row["lead_deputy_id"]].update(
            suggestion=row["n"], suggestion_accepted=row["accepted"], suggestion_resolved=row["resolved"]
        )
    joint = (
        CoSigner.objects.filter(
            deputy_id__in=deputy_ids,
            state=CoSigner.State.CONFIRMED,
            suggestion__in=Suggestion.objects.filter(received_in(start, end)),
        )
        .values("deputy_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in joint:
        metrics = out[row["deputy_id"]]
        metrics["suggestion"] = metrics.get("suggestion", 0) + row["n"]
        metrics["suggestion_joint"] = row["n"]
    return out


register_archive_source("suggestions.made", suggestions_made)
