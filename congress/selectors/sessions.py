"""Sessions: who counts as a current deputy, the quorum and majority arithmetic (the one majority
check), the live quorum and roll of a session, election rounds, and the latest session of a term."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from deputies.models import Deputy, serving_on_q

from ..models import (
    Attendance,
    Election,
    Session,
)


def current_deputies(term, on_date: dt.date) -> QuerySet[Deputy]:
    """All current deputies of the township congress for ``term`` on ``on_date`` — the base of quorum
    and majority. County/city deputies organised in the township are not members of its congress.

    The deputies' status history (``DeputyStatusChange``) decides when it exists: the last change in
    effect on that day must be "serving" (or, before the first recorded change, that change must start
    from "serving"). Deputies without any history fall back to ``status``/``status_since``."""
    from deputies.models import DeputyStatusChange

    changes = DeputyStatusChange.objects.filter(deputy=OuterRef("pk"))
    last = (
        changes.filter(effective_date__lte=on_date).order_by("-effective_date", "-pk").values("to_status")[:1]
    )
    following = (
        changes.filter(effective_date__gt=on_date).order_by("effective_date", "pk").values("from_status")[:1]
    )
    serving = Deputy.Status.SERVING
    qs = Deputy.objects.filter(term=term, level=Deputy.Level.TOWNSHIP).annotate(
        history=Exists(changes), status_then=Subquery(last), status_before_next=Subquery(following)
    )
    return qs.filter(
        (Q(history=False) & serving_on_q(on_date))
        | Q(history=True, status_then=serving)
        | Q(history=True, status_then__isnull=True, status_before_next=serving)
    )


def session_deputies(session: Session) -> QuerySet[Deputy]:
    return current_deputies(session.term, session.start_date)


# Which CountyRules fractions apply: a congress session or a presidium meeting.
FRACTIONS = {
    "session": ("session_quorum", "resolution_majority"),
    "presidium": ("presidium_quorum", "presidium_majority"),
}


def _fraction(rules, name: str) -> tuple[int, int]:
    return getattr(rules, f"{name}_num"), getattr(rules, f"{name}_den")


def has_quorum(present: int, total: int, rules, kind: str = "session") -> bool:
    """At least num/den of all current deputies (or presidium members) present (≥ 2/3 by default)."""
    if total <= 0:
        return False
    num, den = _fraction(rules, FRACTIONS[kind][0])
    return present * den >= total * num


def quorum_needed(total: int, rules, kind: str = "session") -> int:
    """The smallest head count that makes the quorum."""
    num, den = _fraction(rules, FRACTIONS[kind][0])
    return -(-total * num // den)


def _majority_fraction(rules, kind: str) -> tuple[int, int]:
    return _fraction(rules, FRACTIONS[kind][1]) if rules is not None else (1, 2)


def passes_majority(votes_for: int, total: int, rules=None, kind: str = "session") -> bool:
    """MORE than num/den of **all** current deputies or presidium members (not of those present) —
    地方组织法 art. 18. num/den come from the county's rules for this kind of meeting (1/2 without
    rules). The one majority check: votes, elections, presidium decisions and the livelihood ballot
    all call it."""
    num, den = _majority_fraction(rules, kind)
    return total > 0 and votes_for * den > total * num


def majority_needed(total: int, num: int = 1, den: int = 2) -> int:
    """The smallest number of votes that is MORE than num/den of ``total``."""
    return total * num // den + 1


def majority_for(total: int, rules, kind: str = "session") -> int:
    """Votes needed to pass (shown before a vote), from the county's rules for this kind of meeting:
    the smallest count for which :func:`passes_majority` holds."""
    return majority_needed(total, *_majority_fraction(rules, kind))


def session_quorum(session: Session) -> dict:
    """Live quorum figures for a session: totals counted in the database, never per row in Python."""
    rules = session.township.rules
    deputies = session_deputies(session)
    total = deputies.count()
    counts = dict(
        Attendance.objects.filter(session=session, deputy__in=deputies)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    present = counts.get(Attendance.Status.PRESENT, 0)
    leave = counts.get(Attendance.Status.LEAVE, 0)
    absent = counts.get(Attendance.Status.ABSENT, 0)
    return {
        "total": total,
        "present": present,
        "leave": leave,
        "absent": absent,
        "unmarked": max(total - present - leave - absent, 0),
        "needed": quorum_needed(total, rules),
        "majority": majority_for(total, rules, "session"),
        "has_quorum": has_quorum(present, total, rules),
    }


def roll_call_rows(session: Session, *, q: str = "") -> QuerySet[Deputy]:
    """The roll: every current deputy with their mark (one query)."""
    qs = (
        session_deputies(session)
        .select_related("district")
        .prefetch_related(
            Prefetch(
                "session_attendances", queryset=Attendance.objects.filter(session=session), to_attr="marks"
            )
        )
    )
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(name_pinyin__icontains=q.lower()) | Q(name_initials__icontains=q.lower())
        )
    return qs.order_by("name_pinyin", "pk")


def election_rounds(election: Election) -> list[Election]:
    """Every round of one election (the first and each 另行选举/重新投票), in order, with candidates."""
    root = election.first_round_id or election.pk
    return list(
        Election.objects.filter(Q(pk=root) | Q(first_round_id=root))
        .prefetch_related("candidates")
        .order_by("round", "pk")
    )


def latest_session(term) -> Session | None:
    """The term's most recent session (where the presidium members are elected)."""
    if term is None:
        return None
    return Session.objects.filter(term=term).order_by("-start_date").first()
