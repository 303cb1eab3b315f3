"""The API's filter backend: django-filter, strict and honest about types.

- A value a filter cannot understand is a 400 with the reason, never silently ignored
  (``?is_active=maybe`` used to return every row).
- Identifier and other integer filters take whole numbers only (``?year=0.5`` is a 400) and are
  documented as integers; an id that matches nothing gives an empty list, not an error, so a
  client cannot tell another township's id from a missing one.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django_filters import filters
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend, FilterSet
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}


# Identifiers and years: whole numbers the database can hold (the edge middleware refuses longer ones).
INTEGER_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}


class IntegerField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", INTEGER_SCHEMA["minimum"])
        kwargs.setdefault("max_value", INTEGER_SCHEMA["maximum"])
        super().__init__(*args, **kwargs)


@extend_schema_field(INTEGER_SCHEMA)
class IntegerFilter(filters.NumberFilter):
    field_class = IntegerField


INTEGER_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)


class StrictFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        **{field: {"filter_class": IntegerFilter} for field in INTEGER_FIELDS},
        # A foreign key filters by the id as a plain integer (no "not a valid choice" for unknown ids).
        models.ForeignKey: {"filter_class": IntegerFilter},
        models.OneToOneField: {"filter_class": IntegerFilter},
    }


class StrictDjangoFilterBackend(DjangoFilterBackend):
    filterset_base = StrictFilterSet

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors = {}
        for name, flt in filterset.filters.items():
            value = request.query_params.get(name)
            if value is None:
                continue
            if isinstance(flt, filters.BooleanFilter) and value not in BOOLEAN_VALUES:
                errors[name] = [_("须为 true 或 false。")]
            elif isinstance(flt, filters.ChoiceFilter | filters.NumberFilter) and value == "":
                # An empty choice or number is not "no filter": the schema allows none.
                errors[name] = [_("不能为空；不筛选时请省略该参数。")]
        if errors:
            raise ValidationError(errors)
        return filterset
