"""The annual work report: chapters, figures read from each app's township_stats, narrative, and the
typesetting (CJK font embedded, table of contents, charts)."""

import pytest

from presidium.pdf import render_pdf_document
from reports.content import build_annual_report
from reports.models import ReportNarrative, Section

from .conftest import fake_selectors, pdf_fonts, pdf_pages, pdf_text, save_png_artifacts

YEAR = 2025

CONGRESS = fake_selectors(
    {"sessions_held": 2, "presidium_meetings_held": 5, "resolutions_made": 3},
    {
        "sessions_held": "召开人代会次数",
        "presidium_meetings_held": "召开主席团会议次数",
        "resolutions_made": "作出决议项数",
    },
)
SUPERVISION = fake_selectors(
    {"inspections": 7, "appraisals": 2, "petitions_received": 36, "petitions_forwarded": 20},
    {
        "inspections": "视察调研次数",
        "appraisals": "评议次数",
        "petitions_received": "受理来信来访件数",
        "petitions_forwarded": "转办件数",
    },
)


def _render(township, year=YEAR):
    return render_pdf_document(
        "reports/pdf/annual_report.html", build_annual_report(township, year, user=None, extras=[])
    )


@pytest.mark.django_db
def test_every_chapter_is_in_the_pdf_in_order(cast, only_apps):
    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    text = pdf_text(_render(cast.township_a).content)
    from reports.content import CN_NUMERALS

    flat = text.replace(" ", "").replace("\n", "")
    positions = [
        flat.find(f"{CN_NUMERALS[i]}、{section.label}")
        for i, section in enumerate(Section)
        if section != Section.NEXT_YEAR
    ]
    assert all(p >= 0 for p in positions), positions
    assert "2026年工作安排" in text
    assert sorted(positions) == positions


@pytest.mark.django_db
def test_figures_in_the_pdf_equal_the_apps_township_stats(cast, only_apps):
    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    text = pdf_text(_render(cast.township_a).content).replace(" ", "")
    assert "召开主席团会议次数5" in text
    assert "召开人代会次数2" in text
    assert "受理来信来访件数36" in text
    assert "视察调研次数7" in text


@pytest.mark.django_db
def test_petition_figures_form_their_own_chapter_and_presidium_meetings_theirs(cast, only_apps):
    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    chapters = {
        c.section: c
        for c in build_annual_report(cast.township_a, YEAR, user=cast.staff_a, extras=[])["chapters"]
    }
    assert [f.key for f in chapters["petitions"].figures] == ["petitions_received", "petitions_forwarded"]
    assert [f.key for f in chapters["supervision"].figures] == ["inspections", "appraisals"]
    assert [f.key for f in chapters["presidium_meetings"].figures] == ["presidium_meetings_held"]
    assert [f.key for f in chapters["sessions"].figures] == ["sessions_held", "resolutions_made"]


@pytest.mark.django_db
def test_a_chapter_whose_app_has_no_statistics_says_so_explicitly(cast, only_apps):
    only_apps(congress=CONGRESS)
    chapters = {
        c.section: c
        for c in build_annual_report(cast.township_a, YEAR, user=cast.staff_a, extras=[])["chapters"]
    }
    assert "本节数据尚未接入" in chapters["suggestions"].pending
    assert chapters["sessions"].pending == ""
    assert "本节数据尚未接入" in pdf_text(_render(cast.township_a).content).replace(" ", "")


@pytest.mark.django_db
def test_saved_narrative_is_printed_in_its_chapter(cast, only_apps):
    only_apps()
    ReportNarrative.objects.create(
        township=cast.township_a,
        year=YEAR,
        section=Section.NEXT_YEAR,
        text="坚持党的领导，进一步把牢人大工作政治方向。\n加强代表履职培训。",
    )
    ReportNarrative.objects.create(
        township=cast.township_b, year=YEAR, section=Section.NEXT_YEAR, text="乙镇的正文不应出现"
    )
    text = pdf_text(_render(cast.township_a).content).replace(" ", "").replace("\n", "")
    assert "进一步把牢人大工作政治方向" in text
    assert "加强代表履职培训" in text
    assert "乙镇的正文不应出现" not in text


@pytest.mark.django_db
def test_pdf_embeds_a_cjk_font_and_has_chinese_text(cast, only_apps):
    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    content = _render(cast.township_a).content
    fonts = pdf_fonts(content)
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts
    # "ABCDEF+" prefixes: the fonts are subset (HarfBuzz), not embedded whole.
    assert all("+" in f for f in fonts), fonts
    text = pdf_text(content)
    assert "人民代表大会主席团工作报告" in text.replace(" ", "").replace("\n", "")
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 200


@pytest.mark.django_db
def test_the_speech_runs_on_without_cover_or_contents_and_the_appendix_starts_a_new_page(cast, only_apps):
    """A 工作报告 is continuous prose: title, "各位代表：", chapters one after another; the data
    tables and charts follow on a new page as the appendix (附件)."""
    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(_render(cast.township_a).content))
    pages = [(p.extract_text() or "").replace(" ", "") for p in reader.pages]
    first = pages[0]
    assert first.startswith("甲镇人民代表大会主席团工作报告")
    assert "各位代表：" in first and "一、年度工作概况" in first and "二、依法召开人民代表大会" in first
    assert "目录" not in first
    appendix_page = next(i for i, p in enumerate(pages) if p.startswith("附件\n"))
    assert appendix_page >= 1 and "主要工作数据图表" in pages[appendix_page]
    assert "附件：" in "".join(pages[:appendix_page])


@pytest.mark.django_db
def test_charts_are_embedded_as_vector_graphics_and_pngs_are_saved(cast, only_apps):
    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    context = build_annual_report(cast.township_a, YEAR, user=cast.staff_a, extras=[])
    assert any(c.charts for c in context["chapters"])
    assert all(chart.svg.lstrip().startswith("<svg") for c in context["chapters"] for chart in c.charts)
    content = render_pdf_document("reports/pdf/annual_report.html", context).content
    assert pdf_pages(content) >= 3
    pngs = save_png_artifacts(content, "annual-report", 1, 3)
    assert len(pngs) == 3 and all(p.stat().st_size > 2000 for p in pngs)


@pytest.mark.django_db
def test_every_page_is_numbered_in_the_official_form_without_a_running_header(cast, only_apps):
    from io import BytesIO

    from pypdf import PdfReader

    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    reader = PdfReader(BytesIO(_render(cast.township_a).content))
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text().replace(" ", "")
        assert f"—{number}—" in text
        assert "·" not in text


@pytest.mark.django_db
def test_a_long_register_repeats_its_header_row_on_every_page(cast):
    from io import BytesIO

    from pypdf import PdfReader

    from reports.books import BOOKS, book_context
    from tests import factories as f

    for i in range(60):
        f.DeputyFactory(township=cast.township_a, workplace=f"第{i}村村民委员会")
    book = BOOKS["roster_book"]
    register = book.build(cast.township_a, YEAR, cast.staff_a, {})
    content = render_pdf_document(book.template, book_context(book, register, cast.township_a, YEAR)).content
    pages = PdfReader(BytesIO(content)).pages
    assert len(pages) >= 2
    assert all("代表证号" in p.extract_text().replace(" ", "") for p in pages)


@pytest.mark.django_db
def test_an_offices_own_fonts_from_the_font_folder_are_used_in_the_pdf(cast, only_apps, settings, tmp_path):
    """An office drops its 仿宋_GB2312 file into REPORT_FONT_DIR: the body is set in it (here a
    stand-in file under that name); without the folder the Debian fallback is used."""
    import shutil
    from pathlib import Path

    source = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Light.ttf"
    if not Path(source).exists():
        pytest.skip("fonts-lxgw-wenkai is not installed (scripts/setup.sh installs it)")
    shutil.copy(source, tmp_path / "仿宋_GB2312.ttf")
    only_apps(congress=CONGRESS, supervision=SUPERVISION)
    before = pdf_fonts(_render(cast.township_a).content)
    settings.REPORT_FONT_DIR = str(tmp_path)
    after = pdf_fonts(_render(cast.township_a).content)
    assert not any("Light" in f for f in before), before
    assert any("Light" in f for f in after), after
    assert any("Noto-Sans-CJK-SC" in f for f in after)  # 黑体 headings still fall back
