"""The office's intake: numbering (立案), not accepting, merging duplicates."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import Township

from .. import events
from ..models import (
    CoSigner,
    Status,
    Suggestion,
    SuggestionCounter,
)
from .base import _check_category, _close, _transition


def next_number(township: Township, year: int) -> tuple[int, str]:
    """Take the next number for (township, year) from a locked counter row."""
    try:
        with transaction.atomic():
            SuggestionCounter.objects.get_or_create(township=township, year=year)
    except IntegrityError:
        pass  # created concurrently by someone else: the row exists now
    counter = SuggestionCounter.objects.select_for_update().get(township=township, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:03d}"


@transaction.atomic
def suggestion_accept(
    *, suggestion, actor, category: str = "", level: str = "", expected_version=None
) -> Suggestion:
    """立案: number it (2024-017), file its category and level."""
    from ..models import Level

    if level and level not in Level.values:
        raise ValidationError(_("请选择办理层级。"))

    def apply(s):
        cat = _check_category(s.township, category or s.category)
        if not cat:
            raise ValidationError(_("请选择建议分类。"))
        s.category = cat
        if level:
            s.level = level
        # The number and the year it counts in follow the date it was received (a paper suggestion
        # of a January session entered in December still belongs to January's year).
        received = timezone.localtime(s.submitted_at) if s.submitted_at else timezone.localtime()
        year = received.year
        s.year, s.number = year, ""
        s.seq, s.number = next_number(s.township, year)
        s.accepted_at = timezone.now()
        return {"number": s.number, "category": s.category, "level": s.level}

    return _transition(
        suggestion=suggestion, action="accept", actor=actor, expected_version=expected_version, apply=apply
    )


@transaction.atomic
def suggestion_not_accept(
    *, suggestion, actor, reason: str, note: str = "", expected_version=None
) -> Suggestion:
    """不予立案 with one of the county's reasons; the deputy sees it."""
    rules = suggestion.township.rules
    if reason not in rules.not_accepted_reasons:
        raise ValidationError(_("请从列表中选择不予立案的理由。"))

    def apply(s):
        s.not_accepted_reason = reason
        _close(s)
        return {"reason": reason}

    return _transition(
        suggestion=suggestion,
        action="not_accept",
        actor=actor,
        expected_version=expected_version,
        comment=note,
        apply=apply,
    )


@transaction.atomic
def suggestion_merge(*, suggestion, into: Suggestion, actor, expected_version=None) -> Suggestion:
    """并案: a duplicate is merged into another item of the same township; its deputies become co-signers."""
    if into.pk == suggestion.pk or into.township_id != suggestion.township_id:
        raise ValidationError(_("只能并入本乡镇的另一条建议。"))
    if into.status in (Status.DRAFT, Status.MERGED, Status.WITHDRAWN, Status.NOT_ACCEPTED):
        raise ValidationError(_("目标建议当前状态不能接收并案。"))

    def apply(s):
        s.merged_into = into
        _close(s)
        deputies = [
            d
            for d in [s.lead_deputy, *[c.deputy for c in s.cosigners.select_related("deputy")]]
            if d is not None and d.pk != into.lead_deputy_id
        ]
        known = set(into.cosigners.values_list("deputy_id", flat=True))
        CoSigner.objects.bulk_create(
            [
                CoSigner(
                    suggestion=into, deputy=d, state=CoSigner.State.CONFIRMED, responded_at=timezone.now()
                )
                for d in {d.pk: d for d in deputies}.values()
                if d.pk not in known
            ]
        )
        events.merged_in(into=into, merged=s, actor=actor)
        return {"into": into.pk}

    return _transition(
        suggestion=suggestion, action="merge", actor=actor, expected_version=expected_version, apply=apply
    )
