"""Writes to the records, seen once, with the township each belongs to.

Two things are kept from the records and must be renewed when a township's records change: the
figures summary table (``dashboards.freshness``, on commit) and the rendered copies of the annual
report (``reports.snapshots``, at once). Both learn of a write here: Django's model signals (save,
delete, many-to-many changes) are connected once, the township of the row is worked out once, and
every subscriber is called with ``(sender, instance, ref, using)``. Each subscriber decides which
models matter to it and what to do.

``ref`` is a township id, a ``(model, pk)`` pair naming the row a foreign key leads to (for rows
that carry no township themselves, e.g. an agenda item of a session; :func:`resolve` turns these
into ids with one query per model), or None when the row belongs to no township.

``QuerySet.update()`` and ``bulk_create`` send no signal: services that use them for a change
that matters also save an event row or an audit entry of the same township, which is seen here.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

_SUBSCRIBERS: list = []
_PLANS: dict[type, tuple] = {}


def subscribe(receiver) -> None:
    """Call ``receiver(sender, instance, ref, using)`` after every save, delete and many-to-many
    change of any model (connected once, whoever subscribes first)."""
    if receiver not in _SUBSCRIBERS:
        _SUBSCRIBERS.append(receiver)
    post_save.connect(_written, dispatch_uid="presidium.changes.save")
    post_delete.connect(_written, dispatch_uid="presidium.changes.delete")
    m2m_changed.connect(_written, dispatch_uid="presidium.changes.m2m")


def _written(sender, instance=None, using=None, action=None, **kwargs):
    if action is not None and action not in ("post_add", "post_remove", "post_clear"):
        return
    if instance is None:
        return
    ref = township_ref(instance)
    for receiver in _SUBSCRIBERS:
        receiver(sender, instance, ref, using or "default")


# --- where a row belongs ---------------------------------------------------------------------------


def _has_township(model) -> bool:
    try:
        field = model._meta.get_field("township")
    except Exception:
        return False
    return field.many_to_one


def _plan(model) -> tuple:
    """("township",) for the township itself, ("self",) when the row has a township, ("fk", field)
    when a foreign key leads to a row that has one, () otherwise. Computed once per model."""
    plan = _PLANS.get(model)
    if plan is None:
        from presidium.models import Township

        plan = ()
        if issubclass(model, Township):
            plan = ("township",)
        elif _has_township(model):
            plan = ("self",)
        else:
            for f in model._meta.concrete_fields:
                if f.many_to_one and f.related_model is not None and _has_township(f.related_model):
                    plan = ("fk", f)
                    break
        _PLANS[model] = plan
    return plan


def township_ref(instance):
    """A township id, a (model, pk) to resolve later, or None."""
    plan = _plan(type(instance))
    if not plan:
        return None
    if plan[0] == "township":
        return instance.pk
    if plan[0] == "self":
        return instance.township_id
    field = plan[1]
    related = field.get_cached_value(instance, None)
    if related is not None:
        return related.township_id
    pk = getattr(instance, field.attname, None)
    return (field.related_model, pk) if pk is not None else None


def resolve(refs) -> set[int]:
    """The township ids of these refs (one query per model for the ``(model, pk)`` ones)."""
    ids = {r for r in refs if isinstance(r, int)}
    lookups: dict[type, set] = {}
    for r in refs:
        if isinstance(r, tuple):
            lookups.setdefault(r[0], set()).add(r[1])
    for model, pks in lookups.items():
        ids.update(model._base_manager.filter(pk__in=pks).values_list("township_id", flat=True))
    ids.discard(None)
    return ids
