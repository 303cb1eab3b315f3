"""Spreadsheets out: the import template, the roster and the grouping book."""

from django.http import Http404

from presidium.models import Role
from presidium.permissions import role_required
from presidium.spreadsheets import xlsx_response
from presidium.viewkit import chosen_township

from .. import exports, selectors
from .common import READERS


@role_required(Role.STAFF)
def import_template(request):
    return xlsx_response(exports.import_template_workbook(), "代表花名册导入模板.xlsx")


def _export_queryset(request):
    township, _visible = chosen_township(request)
    if township is None:
        raise Http404
    qs = (
        selectors.deputies_visible_to(request.user)
        .filter(township=township)
        .serving()
        .select_related("district", "group")
    )
    return township, qs


@role_required(*READERS)
def export_roster(request):
    township, qs = _export_queryset(request)
    workbook = exports.roster_workbook(qs.order_by("name_pinyin"))
    return xlsx_response(workbook, f"{township.name}代表花名册.xlsx")


@role_required(*READERS)
def export_grouping(request):
    """代表分组及花名册: the printed book's layout, one block per group."""
    township, qs = _export_queryset(request)
    deputies = list(qs.order_by("group__name", "name_pinyin"))
    leaders = selectors.group_leader_ids(request.user, township=township)
    workbook = exports.grouping_workbook(township, deputies, leaders)
    return xlsx_response(workbook, f"{township.name}代表分组及花名册.xlsx")
