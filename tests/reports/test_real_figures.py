"""A hand-built year in township A, entered through the owning apps' own services and factories:
the annual report prints exactly what each app's ``township_stats`` says, plus the chapter tables
from the apps' list selectors; township B's records never appear."""

import datetime as dt

import pytest
import time_machine

from congress.models import AgendaItem, PresidiumMeeting, Session
from presidium.pdf import render_pdf_document
from reports.content import build_annual_report, fmt
from reports.selectors import township_figures
from suggestions.models import Status
from supervision.models import ActivityKind
from tests.congress import factories as cf
from tests.deputies import factories as df
from tests.suggestions.helpers import make as make_suggestion
from tests.supervision import factories as sf

from .conftest import pdf_text, save_png_artifacts

YEAR = 2025


@pytest.fixture
def year_a(cast):
    """Two sessions, three presidium meetings, supervision, petitions, a training and suggestions."""
    with time_machine.travel(dt.datetime(YEAR, 12, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield _build(cast)


def _build(cast):
    t = cast.township_a
    s1 = cf.session(t, status=Session.Status.CLOSED, start_date=dt.date(YEAR, 1, 12), place="镇政府大会议室")
    cf.agenda_item(s1, kind=AgendaItem.Kind.GOVERNMENT_REPORT, title="甲镇人民政府工作报告")
    cf.agenda_item(s1, kind=AgendaItem.Kind.BUDGET_REPORT, title="甲镇财政预算执行情况报告")
    cf.session(t, status=Session.Status.CLOSED, start_date=dt.date(YEAR, 1, 2) + dt.timedelta(days=100))
    for month in (2, 5, 8):
        cf.meeting(t, date=dt.date(YEAR, month, 10), status=PresidiumMeeting.Status.HELD)
    sf.activity(t, topic="农村公路建设视察", start_date=dt.date(YEAR, 1, 20))
    sf.activity(
        t, kind=ActivityKind.LAW_ENFORCEMENT, topic="土地管理法执法检查", start_date=dt.date(YEAR, 1, 25)
    )
    sf.activity(t, kind=ActivityKind.RESEARCH, topic="集镇污水处理调研", start_date=dt.date(YEAR, 1, 28))
    for subject in ("反映村道破损", "反映饮水困难", "反映低保评定", "反映噪音扰民"):
        sf.petition(t, subject=subject, received_on=dt.date(YEAR, 1, 5))
    df.training(t, topic="代表法学习", date=dt.date(YEAR, 1, 15), attendees=[cast.deputy_a, cast.deputy_a2])
    make_suggestion(cast, Status.CLOSED, title="修复村口道路")
    make_suggestion(cast, Status.REPLIED, title="整治集镇排水", category="水利设施", outcome="B")
    make_suggestion(cast, Status.ASSIGNED, title="增设路灯")
    make_suggestion(cast, Status.SUBMITTED, title="乙镇不该看到", side="b")
    sf.petition(cast.township_b, subject="乙镇信访不应出现", received_on=dt.date(YEAR, 1, 5))
    return t


@pytest.mark.django_db
def test_every_figure_in_the_pdf_equals_the_owning_apps_township_stats(cast, year_a):
    assert dt.date.today().year == YEAR
    figures = township_figures(year_a, YEAR)
    assert set(figures) >= {"congress", "deputies", "suggestions", "supervision"}
    context = build_annual_report(year_a, YEAR, user=cast.staff_a)
    text = pdf_text(render_pdf_document("reports/pdf/annual_report.html", context).content)
    flat = text.replace(" ", "").replace("\n", "")
    checked = 0
    for chapter in context["chapters"]:
        for f in chapter.figures:
            app_values = figures[chapter.app]["values"]
            assert f.value == app_values[f.key]
            assert f"{f.label}{fmt(f.key, app_values[f.key])}".replace(" ", "") in flat, (
                chapter.section,
                f.key,
            )
            checked += 1
    assert checked >= 60
    # The hand-built year really shows up (not a report of zeros).
    assert figures["congress"]["values"]["sessions_held"] == 2
    assert figures["congress"]["values"]["presidium_meetings_held"] == 3
    assert figures["supervision"]["values"]["petitions_received"] == 4
    assert figures["suggestions"]["values"]["received"] == 3
    assert "召开主席团会议次数3" in flat and "受理信访4" in flat and "收到建议3" in flat


@pytest.mark.django_db
def test_chapter_tables_come_from_the_apps_list_selectors_and_exclude_other_townships(cast, year_a):
    context = build_annual_report(year_a, YEAR, user=cast.staff_a)
    content = render_pdf_document("reports/pdf/annual_report.html", context).content
    save_png_artifacts(content, "annual-report-fixture-year", 1, 20)
    text = pdf_text(content)
    flat = text.replace(" ", "").replace("\n", "")
    for expected in (
        "甲镇人民政府工作报告",
        "土地管理法执法检查",
        "集镇污水处理调研",
        "代表建议分类办理情况",
        "水利设施",
        "代表结构",
    ):
        assert expected in flat, expected
    assert "乙镇不该看到" not in flat and "乙镇信访不应出现" not in flat


@pytest.mark.django_db
def test_suggestion_and_petition_registers_print_this_townships_records_only(cast, year_a):
    from reports.books import BOOKS, book_context

    for kind, must, must_not in (
        ("suggestions_register", "整治集镇排水", "乙镇不该看到"),
        ("petitions_register", "反映饮水困难", "乙镇信访不应出现"),
    ):
        book = BOOKS[kind]
        register = book.build(year_a, YEAR, cast.staff_a, {})
        flat = pdf_text(
            render_pdf_document(book.template, book_context(book, register, year_a, YEAR)).content
        )
        flat = flat.replace(" ", "").replace("\n", "")
        assert must in flat and must_not not in flat
    replies = BOOKS["suggestions_register"].build(year_a, YEAR, cast.staff_a, {})
    assert any("已安排资金修复道路" in row[6] for row in replies.rows)
