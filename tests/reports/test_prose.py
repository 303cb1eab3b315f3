"""The report speaks in sentences generated from the records: a hand-built year in township A
(entered through the apps' own services), read back from the PDF and the Word file."""

import datetime as dt
import io
import re

import pytest
import time_machine

from congress import services as congress_services
from congress.models import Attendance, PresidiumMeeting, Session
from presidium.pdf import render_pdf_document
from reports import prose
from reports.content import build_annual_report
from reports.models import ReportNarrative, Section
from reports.selectors import app_selectors
from reports.word import annual_report_docx
from suggestions.models import Status
from supervision import services as supervision_services
from supervision.models import ActivityKind
from tests import factories as f
from tests.congress import factories as cf
from tests.suggestions.helpers import make as make_suggestion
from tests.supervision import factories as sf

from .conftest import pdf_text

YEAR = 2025


def _flat(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


@pytest.fixture
def hand_built_year(cast):
    """Two sessions (a by-election at the first), five presidium meetings (one each quarter and a
    second in the fourth), three special reports, two law-enforcement inspections, three
    inspections, two research trips, an appraisal of three units on paper ballots, two deputy
    groups, three suggestions and two petitions."""
    with time_machine.travel(dt.datetime(YEAR, 12, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        t = cast.township_a
        deputies = cf.deputies(t, 10)
        first = cf.session(t, status=Session.Status.IN_SESSION, start_date=dt.date(YEAR, 3, 10))
        Attendance.objects.bulk_create(
            [Attendance(session=first, deputy=d, status="present") for d in deputies]
        )
        election = congress_services.election_create(
            session=first,
            position="deputy_town_head",
            kind="by_election",
            seats=1,
            candidates=[("吴志刚", None)],
            actor=cast.staff_a,
        )
        congress_services.election_record(
            election=election,
            votes={election.candidates.get().pk: 9},
            ballots={"issued": 10, "returned": 10, "valid": 10, "invalid": 0},
            actor=cast.staff_a,
        )
        cf.session(t, status=Session.Status.CLOSED, start_date=dt.date(YEAR, 8, 20))
        for month, day in ((2, 10), (5, 12), (8, 8), (10, 9), (12, 1)):
            meeting = cf.meeting(t, date=dt.date(YEAR, month, day), status=PresidiumMeeting.Status.HELD)
            meeting.topics.create(title=f"{month}月议题")
        cf.meeting(t, date=dt.date(YEAR, 12, 20))  # planned, not held: not counted
        for i, topic in enumerate(("镇政府财政预算执行情况", "农村饮水安全工作", "义务教育工作")):
            sf.activity(t, kind=ActivityKind.SPECIAL_REPORT, topic=topic, start_date=dt.date(YEAR, 4, 1 + i))
        for i, topic in enumerate(("土地管理法执法检查", "食品安全法执法检查")):
            sf.activity(t, kind=ActivityKind.LAW_ENFORCEMENT, topic=topic, start_date=dt.date(YEAR, 5, 1 + i))
        for i in range(3):
            sf.activity(t, topic=f"农村公路建设视察{i}", start_date=dt.date(YEAR, 6, 1 + i))
        for i in range(2):
            sf.activity(
                t, kind=ActivityKind.RESEARCH, topic=f"集镇污水调研{i}", start_date=dt.date(YEAR, 7, 1 + i)
            )
        units = [f.HandlingUnitFactory(township=t, name=n) for n in ("镇财政所", "镇农业站", "镇派出所")]
        appraisal = sf.appraisal(t, units)
        appraisal.activity.start_date = dt.date(YEAR, 9, 1)
        appraisal.activity.save(update_fields=["start_date"])
        targets = {x.unit.name: x.pk for x in appraisal.targets.select_related("unit")}
        supervision_services.appraisal_enter_paper(
            appraisal=appraisal,
            counts={
                targets["镇财政所"]: (10, 2, 0),  # 100%
                targets["镇农业站"]: (8, 2, 2),  # 83.3%
                targets["镇派出所"]: (6, 3, 3),  # 75% (12 deputies serve: each unit gets 12 ballots)
            },
            actor=cast.staff_a,
        )
        from deputies.models import DeputyGroup

        DeputyGroup.objects.create(township=t, name="第一代表小组", leader=deputies[0])
        DeputyGroup.objects.create(township=t, name="第二代表小组", leader=deputies[1])
        DeputyGroup.objects.create(township=cast.township_b, name="乙镇代表小组")
        make_suggestion(cast, Status.CLOSED, title="修复村口道路")
        make_suggestion(cast, Status.REPLIED, title="整治集镇排水", outcome="B")
        make_suggestion(cast, Status.ASSIGNED, title="增设路灯")
        sf.petition(t, subject="反映村道破损", received_on=dt.date(YEAR, 3, 5))
        sf.petition(t, subject="反映饮水困难", received_on=dt.date(YEAR, 4, 5), channel="visit")
        yield t


@pytest.fixture
def context(cast, hand_built_year):
    with time_machine.travel(dt.datetime(YEAR, 12, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        return build_annual_report(hand_built_year, YEAR, user=cast.staff_a)


@pytest.fixture
def report(context):
    text = _flat(pdf_text(render_pdf_document("reports/pdf/annual_report.html", context).content))
    body, _sep, appendix = text.partition("附件：")
    return {"context": context, "body": body, "appendix": appendix}


# A figure printed as "label+number" (the old machine sentence) rather than with its measure word.
FRAGMENT = r"\d+(\.\d+)?(?![\d.%次项件人名个条场票])"


@pytest.mark.django_db
def test_every_generated_sentence_states_the_records_in_the_pdf(report):
    body = report["body"]
    # The overview in the customary form; zero figures (no motions, no special oversight) left out.
    assert (
        "一年来，共召开人民代表大会会议2次，召开主席团会议5次，听取和审议专项工作报告3项，"
        "开展执法检查2次、视察3次、调研2次、评议1次。"
    ) in body
    assert "全年收到代表建议3件" in body and "受理群众来信来访2件" in body
    assert "一年来，共收到代表建议3件，其中闭会期间提出3件。" in body
    assert "按提出人分" not in body  # no suggestion by a county deputy: the split would repeat the total
    # Sessions in Chinese numerals; the opening names the session the report is read to.
    assert "各位代表：" in body
    assert "现在，我受甲镇第十届人民代表大会第三次会议主席团的委托，向大会报告工作，请予审议。" in body
    assert "分别为第十届人民代表大会第一次会议、第二次会议。" in body
    assert "第10届" not in body and "第1次会议" not in body
    # Named facts: the by-election, the appraisal's best and worst, meetings, groups, key items.
    assert "第十届人民代表大会第一次会议依法补选吴志刚（得9票）为副镇长" in body
    assert "组织代表对3个单位进行测评，总体满意率86.1%" in body
    assert "其中镇财政所满意率最高，为100%；镇派出所满意率最低，为75%。" in body
    assert "主席团共召开会议5次，研究议题5项。" in body
    assert "做到每季度至少召开一次主席团会议" in body
    assert "全镇代表编为2个代表小组" in body
    assert (
        "重点围绕“镇政府财政预算执行情况”“农村饮水安全工作”“义务教育工作”“土地管理法执法检查”等开展监督"
        in body
    )
    assert "其中来信1件、来访1件。" in body
    assert re.search(r"办结率\d+(\.\d)?%", body)
    assert "0次" not in body and "0项" not in body and "0件" not in body and "None" not in body


@pytest.mark.django_db
def test_the_body_has_no_label_plus_number_fragments(report):
    body = report["body"]
    for app, mod in app_selectors().items():
        for key, label in getattr(mod, "STATS_LABELS", {}).items():
            assert not re.search(re.escape(str(label)) + FRAGMENT, body), (app, key, str(label))


@pytest.mark.django_db
def test_charts_and_tables_are_in_the_appendix_numbered_through_the_document(report):
    appendix = report["appendix"]
    assert "主要工作数据图表" in appendix
    figures = [int(n) for n in re.findall(r"图(\d+)　", appendix)]
    tables = [int(n) for n in re.findall(r"表(\d+)　", appendix)]
    assert figures and tables
    assert figures == list(range(1, len(figures) + 1)), figures
    assert tables == list(range(1, len(tables) + 1)), tables
    assert not re.search(r"[图表]\d+　", report["body"])


@pytest.mark.django_db
def test_the_word_file_opens_with_heading_styles_and_the_same_sentences(context):
    import docx

    document = docx.Document(io.BytesIO(annual_report_docx(context)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["一、年度工作概况", "二、依法召开人民代表大会"]
    assert headings[-1] == "九、2026年工作安排"
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == ["甲镇人民代表大会主席团工作报告", "2025年主要工作数据图表"]
    text = "".join(p.text for p in document.paragraphs)
    assert "一年来，共召开人民代表大会会议2次，召开主席团会议5次" in text
    assert "其中镇财政所满意率最高，为100%；镇派出所满意率最低，为75%。" in text
    assert "现在，我受甲镇第十届人民代表大会第三次会议主席团的委托" in text
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0].startswith("表1") and any(c.startswith("图1") for c in captions)
    assert len(document.tables) >= 3 and len(document.inline_shapes) >= 1
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style, face in (
        ("Normal", "仿宋"),
        ("Heading 1", "黑体"),
        ("Heading 2", "楷体"),
        ("Title", "小标宋"),
    ):
        fonts = document.styles[style].element.rPr.rFonts
        assert face in fonts.get(f"{w}eastAsia"), style
        # No theme font that Word would use instead of the named one.
        assert fonts.get(f"{w}eastAsiaTheme") is None and fonts.get(f"{w}asciiTheme") is None, style


@pytest.mark.django_db
def test_a_saved_figure_that_no_longer_matches_the_records_is_listed(cast, hand_built_year, staff_client):
    ReportNarrative.objects.create(
        township=hand_built_year,
        year=YEAR,
        section=Section.PRESIDIUM_MEETINGS,
        text="主席团全年召开主席团会议4次，听取和审议专项工作报告3项。",
    )
    context = build_annual_report(hand_built_year, YEAR, user=cast.staff_a, charts_wanted=False)
    stale = context["stale"]
    assert [(s.typed, s.record_value) for s in stale] == [("召开主席团会议4次", "5")]
    page = staff_client.get(f"/reports/t/{hand_built_year.pk}/{YEAR}/").content.decode()
    assert "正文写“召开主席团会议4次”，记录为 5" in page
    # The saved prose is kept as written.
    assert "主席团全年召开主席团会议4次" in page


@pytest.mark.django_db
def test_a_year_without_saved_text_still_says_something_in_every_chapter(cast, hand_built_year):
    assert not ReportNarrative.objects.exists()
    context = build_annual_report(hand_built_year, YEAR, user=cast.staff_a, charts_wanted=False)
    for chapter in context["chapters"]:
        assert chapter.opening, chapter.section
    next_year = next(c for c in context["chapters"] if c.section == "next_year")
    assert "列入计划逐步解决的代表建议1件" in "".join(next_year.opening)


def test_phrases_leave_out_zeros_join_shared_verbs_and_format_rates():
    values = {"supervision": {"law_enforcement_inspections": 2, "inspections": 0, "research": 2}}
    clause = prose.SENTENCES["overview"][0].parts[3]
    assert clause.render(values) == "开展执法检查2次、调研2次"
    assert prose.rate(95.5) == "95.5%" and prose.rate(100.0) == "100%" and prose.rate(0) == "0%"
    assert (
        prose.SENTENCES["sessions"][0].render({"congress": {"sessions_held": 0}})
        == "本年度未召开人民代表大会会议。"
    )
    assert prose.session_name(10, 2) == "第十届人民代表大会第二次会议"
    assert prose.session_name(12, 11) == "第十二届人民代表大会第十一次会议"


def test_every_phrase_states_a_figure_its_app_offers():
    import importlib

    planned = {  # figures the report counts itself (topics of the held presidium meetings)
        ("congress", "presidium_topics"),
    }
    for phrase in prose.all_phrases():
        app = "supervision" if phrase.app == "petitions" else phrase.app
        labels = importlib.import_module(f"{app}.selectors").STATS_LABELS
        assert phrase.key in labels or (phrase.app, phrase.key) in planned, phrase
        assert "{n}" in str(phrase.text)
