"""The API's filter backend: django-filter, strict. A value a filter cannot understand is a 400 with
the reason, never silently ignored (``?is_active=maybe`` used to return every row)."""

from django.utils.translation import gettext as _
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors = {}
        for name, flt in filterset.filters.items():
            value = request.query_params.get(name)
            if isinstance(flt, filters.BooleanFilter) and value is not None and value not in BOOLEAN_VALUES:
                errors[name] = [_("须为 true 或 false。")]
        if errors:
            raise ValidationError(errors)
        return filterset
