"""Every Excel export goes through the safe writer: text typed by users never becomes a formula,
and a control character already stored never turns an export into a 500."""

import datetime as dt
from io import BytesIO

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from congress.models import Observer
from deputies.models import Deputy, DeputyGroup
from presidium.spreadsheets import SafeWorkbook, safe_value, workbook_bytes
from suggestions.models import Status
from tests.congress import factories as cf
from tests.isolation import discover_routes
from tests.suggestions.helpers import make
from tests.supervision import factories as sf

# What an outside probe typed: a DDE command, a live link, and a stray control character.
FORMULAS = ("=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","y")', "+1+1", "-2+3", "@SUM(1)")


def poison(pk, field):
    text = f"{FORMULAS[pk % len(FORMULAS)]}\x01{pk}\x0b"
    return text[: field.max_length] if field.max_length else text


def test_safe_value_neutralises_formulas_and_strips_control_characters():
    assert safe_value("=1+1") == "'=1+1"
    assert safe_value("@SUM(A1)") == "'@SUM(A1)"
    assert safe_value("\t=1") == "'\t=1"
    assert safe_value("路灯损坏\x01\x00") == "路灯损坏"
    assert safe_value("正常标题") == "正常标题"
    assert safe_value(-3) == -3 and safe_value(None) is None
    assert safe_value(dt.date(2024, 1, 2)) == dt.date(2024, 1, 2)


def test_safe_workbook_writes_text_never_formulas_whatever_the_write_path():
    wb = SafeWorkbook()
    wb.active.append(["=1+1", "a\x02b"])
    wb.active["C1"] = "=HYPERLINK(1)"
    wb.active.cell(row=1, column=4, value="+1")
    wb.create_sheet("二").append(["-1+1"])
    book = load_workbook(BytesIO(workbook_bytes(wb)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert [c.data_type for c in cells] == ["s"] * 5
    assert [c.value for c in cells] == ["'=1+1", "ab", "'=HYPERLINK(1)", "'+1", "'-1+1"]


def _poison_every_text_field():
    """Overwrite every free-text column of every stored row (as if typed through any screen or
    an older import) with formula-like text and control characters."""
    for model in apps.get_models():
        if model._meta.app_label not in {"presidium", "deputies", "congress", "suggestions", "supervision"}:
            continue
        text_fields = [
            fld
            for fld in model._meta.concrete_fields
            if isinstance(fld, models.CharField | models.TextField)
            and not fld.choices
            and not fld.primary_key
            and (fld.max_length or 100) >= 12
            and fld.name not in {"password", "username", "name_pinyin", "code", "token", "key_hash", "prefix"}
        ]
        if not text_fields:
            continue
        for obj in model.objects.all():
            model.objects.filter(pk=obj.pk).update(**{fld.name: poison(obj.pk, fld) for fld in text_fields})


def _seed(cast):
    township = cast.township_a
    group = DeputyGroup.objects.create(township=township, name="第一代表小组")
    Deputy.objects.filter(township=township).update(group=group)
    make(cast, Status.CLOSED, title="村口道路坑洼需修复")
    make(cast, Status.NOT_ACCEPTED, title="路灯损坏")
    sess = cf.session(township)
    Observer.objects.create(session=sess, name="列席人", affiliation="镇政府")
    sf.rectification(township, cast.unit_a, title="修复沉降路段")
    return sess


def _exports(cast, sess):
    """(user, url) of every Excel export of the project."""
    from reports.books import BOOKS

    year = dt.date.today().year
    staff, county = cast.staff_a, cast.county_staff_a
    urls = [
        (staff, reverse("suggestions:export_register") + f"?year={year}"),
        (staff, reverse("suggestions:export_summary") + f"?year={year}"),
        (county, reverse("suggestions:export_summary") + f"?year={year}"),
        (staff, reverse("deputies:export_roster")),
        (staff, reverse("deputies:export_grouping")),
        (staff, reverse("deputies:archive_export") + f"?year={year}"),
        (staff, reverse("deputies:import_template")),
        (staff, reverse("congress:attendance_xlsx", kwargs={"pk": sess.pk})),
        (staff, reverse("supervision:rectification_export")),
        (cast.unit_officer_a, reverse("supervision:rectification_export")),
        (county, reverse("dashboards:county_export")),
    ]
    for kind, book in BOOKS.items():
        if book.excel is None:
            urls.append(
                (
                    staff,
                    reverse("reports:export_xlsx", kwargs={"township_id": cast.township_a.pk, "kind": kind}),
                )
            )
    return urls


EXPORT_ROUTE_NAMES = {
    "suggestions:export_register",
    "suggestions:export_summary",
    "deputies:export_roster",
    "deputies:export_grouping",
    "deputies:archive_export",
    "deputies:import_template",
    "congress:attendance_xlsx",
    "supervision:rectification_export",
    "dashboards:county_export",
    "reports:export_xlsx",
}


def test_the_scan_below_covers_every_excel_route_of_the_project():
    excel_routes = {
        key for key, route in discover_routes().items() if ".xlsx" in route or key.endswith("_export")
    }
    assert excel_routes - EXPORT_ROUTE_NAMES == set()


@pytest.mark.django_db
def test_no_excel_export_contains_a_formula_or_fails_on_control_characters(cast):
    sess = _seed(cast)
    _poison_every_text_field()
    scanned = 0
    for user, url in _exports(cast, sess):
        response = cast.client_for(user).get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(BytesIO(response.content))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        formulas = [(url, c.coordinate, c.value) for c in cells if c.data_type == "f"]
        assert formulas == []
        assert not any(isinstance(c.value, str) and c.value.startswith(("=", "+", "@")) for c in cells)
        scanned += 1
    assert scanned >= len(EXPORT_ROUTE_NAMES)


@pytest.mark.django_db
def test_the_poisoned_text_is_really_exported_so_the_scan_can_fail(cast):
    sess = _seed(cast)
    _poison_every_text_field()
    response = cast.client_for(cast.staff_a).get(reverse("suggestions:export_register"))
    values = [
        c.value
        for ws in load_workbook(BytesIO(response.content)).worksheets
        for r in ws.iter_rows()
        for c in r
    ]
    assert any(isinstance(v, str) and v.startswith("'=") for v in values)
    grouping = cast.client_for(cast.staff_a).get(reverse("deputies:export_grouping"))
    text = [c.value for r in load_workbook(BytesIO(grouping.content)).active.iter_rows() for c in r]
    assert any(isinstance(v, str) and v.startswith(("'=", "'+", "'-", "'@")) for v in text)
    assert sess.pk
