"""Word (.docx) files offices edit in Word or WPS before the session: the annual work report (same
content as the PDF, with real "标题 1"/"标题 2" heading styles, body style, page numbers, appendix
tables and chart images) and the suggestion handling briefing. Built with python-docx; the charts
are the report's own pygal SVGs drawn to PNG by cairosvg."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from . import fonts

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINE = 22.7  # points: 8 mm, about 28 lines on the 225 mm text block (as the PDF)


def _east_asian(style_or_run, name: str):
    """Set a font for Latin and East Asian text (Word keeps them apart; Chinese needs eastAsia)."""
    from docx.oxml.ns import qn

    style_or_run.font.name = name
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    # A theme font attribute (the heading styles carry "majorEastAsia") wins over the explicit name.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _style(doc, name, *, font, size, bold=False, indent=True, align=None, space_before=0, space_after=0):
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    style = doc.styles[name]
    _east_asian(style, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(LINE, size * 1.3))
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if align is not None:
        fmt.alignment = align
    return style


def _page_number(paragraph):
    """ "— PAGE —" as a field, so Word/WPS number the pages themselves."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" —")


def new_document(*, landscape: bool = False):
    """A document with the official page and the report's styles (Normal 仿宋 三号, Title 小标宋,
    Heading 1 黑体, Heading 2 楷体), page numbers "— n —" on the outer side."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    names = fonts.word_names()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(18)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    _style(doc, "Normal", font=names["body"], size=16)
    _style(
        doc,
        "Title",
        font=names["title"],
        size=22,
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=12,
    )
    _style(
        doc,
        "Subtitle",
        font=names["kai"],
        size=16,
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=12,
    )
    _style(doc, "Heading 1", font=names["heading"], size=16)
    _style(doc, "Heading 2", font=names["kai"], size=16)
    caption = _style(
        doc, "Caption", font=names["heading"], size=12, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    caption.paragraph_format.space_before = Pt(6)
    # Title's default bottom border and theme colour: plain black text as documents print.
    title_ppr = doc.styles["Title"].element.pPr
    if title_ppr is not None:
        for border in title_ppr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"):
            title_ppr.remove(border)
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _page_number(even)
    for p in (odd, even):
        for run in p.runs:
            run.font.size = Pt(14)
    return doc


def _table(doc, table, *, font_size=10.5):
    from docx.shared import Pt

    doc.add_paragraph(_("表%(n)s　%(c)s") % {"n": table.number, "c": table.caption}, style="Caption")
    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = str(header)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = "" if value is None else str(value)
    for row in grid.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.line_spacing = 1.0
                for run in p.runs:
                    run.font.size = Pt(font_size)
    for cell in grid.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    return grid


def annual_report_docx(context: dict) -> bytes:
    """The annual work report (context from ``build_annual_report``) as a .docx file."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm

    doc = new_document()
    doc.core_properties.title = str(context["title"])
    doc.core_properties.author = str(context["issuer"])
    doc.add_paragraph(str(context["title"]), style="Title")
    doc.add_paragraph(_("——在%(s)s上") % {"s": context["session_name"]}, style="Subtitle")
    first = doc.add_paragraph(_("各位代表："))
    first.paragraph_format.first_line_indent = 0
    doc.add_paragraph(str(context["opening"]))
    for chapter in context["chapters"]:
        doc.add_paragraph(f"{chapter.number}、{chapter.title}", style="Heading 1")
        if chapter.pending:
            doc.add_paragraph(str(chapter.pending))
        if chapter.opening:
            doc.add_paragraph("".join(chapter.opening))
        for block in chapter.blocks:
            doc.add_paragraph(block["text"], style="Heading 2" if block["heading"] else None)
    appendix = context.get("appendix") or []
    if appendix:
        p = doc.add_paragraph(_("附件：%(a)s") % {"a": context["appendix_title"]})
        p.paragraph_format.space_before = Mm(6)
    sign = doc.add_paragraph(f"{context['issuer']}\n{context['report_date']:%Y年%-m月%-d日}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if appendix:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        label = doc.add_paragraph(_("附件"))
        label.paragraph_format.first_line_indent = 0
        _east_asian(label.runs[0], fonts.word_names()["heading"])
        doc.add_paragraph(str(context["appendix_title"]), style="Title")
        for entry in appendix:
            item = entry["item"]
            if entry["kind"] == "table":
                _table(doc, item)
            else:
                pic = doc.add_paragraph()
                pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
                pic.paragraph_format.first_line_indent = 0
                pic.paragraph_format.line_spacing = 1.0
                pic.add_run().add_picture(io.BytesIO(item.png()), width=Mm(150))
                doc.add_paragraph(
                    _("图%(n)s　%(c)s") % {"n": item.number, "c": item.caption}, style="Caption"
                )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def briefing_docx(*, township, today, sections) -> bytes:
    """The suggestion handling briefing for the presidium meeting (overdue first, then open items)."""
    from docx.shared import Pt

    from .content import Table

    doc = new_document(landscape=True)
    doc.add_paragraph(_("%(t)s代表建议办理情况通报") % {"t": township.name}, style="Title")
    doc.add_paragraph(
        _("截至%(d)s。逾期事项在前，其后为重点督办及其他在办事项。") % {"d": f"{today:%Y年%-m月%-d日}"}
    )
    for number, (caption, rows, _late) in enumerate(sections, start=1):
        table = Table(
            f"{caption}（{len(rows)}）",
            [_("编号"), _("建议标题"), _("领衔代表"), _("主办单位"), _("期限"), _("状态")],
            [
                [
                    s.number or "—",
                    s.title,
                    s.lead_deputy.name if s.lead_deputy_id else "",
                    s.lead_unit.name if s.lead_unit_id else "",
                    f"{s.due_date:%Y-%m-%d}" if s.due_date else "",
                    s.get_status_display() + (_("·重点督办") if s.is_key else ""),
                ]
                for s in rows
            ],
            number=number,
        )
        _table(doc, table, font_size=11)
    for p in doc.paragraphs:
        if p.style.name == "Normal":
            p.paragraph_format.line_spacing = Pt(24)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
