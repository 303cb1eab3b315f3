"""Deputy and unit pickers: labels that tell two deputies of the same name apart, and the marks the
searchable widget (tom-select, enhanced in static/js/app.js) looks for."""

from django.utils.translation import gettext as _


def deputy_label(deputy) -> str:
    """ "邓淑芬（第三选区 · 东片小组 · 1968年生）": district, group and birth year, when known."""
    parts = []
    if deputy.level != deputy.Level.TOWNSHIP:
        parts.append(deputy.get_level_display())
    if deputy.district_id:
        parts.append(deputy.district.name)
    if deputy.group_id:
        parts.append(deputy.group.name)
    if deputy.birth_date:
        parts.append(_("%(year)s年生") % {"year": deputy.birth_date.year})
    return f"{deputy.name}（{' · '.join(parts)}）" if parts else deputy.name


def deputy_picker(field):
    """Make a (multiple) choice field over deputies searchable, with telling labels. The queryset
    loads district and group in the same query (no query per option)."""
    qs = field.queryset
    if qs is not None:
        field.queryset = qs.defer(None).select_related("district", "group")
    field.label_from_instance = deputy_label
    field.widget.attrs["data-picker"] = "deputy"
    return field


def unit_picker(field):
    """A searchable unit picker; a single choice starts empty, so nobody sends to the first unit by default."""
    field.widget.attrs["data-picker"] = "unit"
    if hasattr(field, "empty_label") and field.empty_label is None:
        field.empty_label = _("请选择")
    return field
