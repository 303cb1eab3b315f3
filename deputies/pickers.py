"""Searchable deputy and unit pick lists: labels that tell two deputies of the same name apart
(``Deputy.choice_label``: level, district, group, birth year) and the marks the widget (tom-select,
enhanced in static/js/app.js) looks for."""

from django.utils.translation import gettext as _


def deputy_label(deputy) -> str:
    return deputy.choice_label


def deputy_select(field):
    """Make a (multiple) choice field over deputies searchable, with telling labels. The queryset
    loads district and group in the same query (no query per option)."""
    qs = field.queryset
    if qs is not None:
        field.queryset = qs.defer(None).select_related("district", "group")
    field.label_from_instance = deputy_label
    field.widget.attrs["data-picker"] = "deputy"
    return field


def unit_select(field):
    """A searchable unit picker; a single choice starts empty, so nobody sends to the first unit by default."""
    field.widget.attrs["data-picker"] = "unit"
    if hasattr(field, "empty_label") and field.empty_label is None:
        field.empty_label = _("请选择")
    return field
