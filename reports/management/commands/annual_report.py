"""Write a township's annual work report to a file:

    manage.py annual_report --township 城关镇 --year 2026 --format docx -o 报告.docx

The report is read as the township's first staff account would read it (or a superuser's view if
the township has no staff account)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

FORMATS = ("pdf", "docx", "html")


class Command(BaseCommand):
    help = "生成乡镇人大主席团年度工作报告（PDF、Word 或 HTML）。"

    def add_arguments(self, parser):
        parser.add_argument("--township", required=True, help="乡镇名称或编码")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("-o", "--output", required=True, help="输出文件路径")

    def handle(self, *args, township, year, format, output, **options):
        from django.db.models import Q
        from django.template.loader import render_to_string

        from presidium.models import Role, Township, User
        from reports.content import build_annual_report
        from reports.selectors import valid_year

        found = list(Township.objects.filter(Q(name=township) | Q(code=township))[:2])
        if len(found) != 1:
            raise CommandError(f"乡镇“{township}”不存在或不唯一。")
        town = found[0]
        if not valid_year(year):
            raise CommandError(f"年度 {year} 超出范围。")
        reader = (
            User.objects.filter(role=Role.STAFF, township=town, is_active=True).order_by("pk").first()
            or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if reader is None:
            raise CommandError("没有可用于读取该乡镇数据的账号（本乡镇工作人员或超级管理员）。")
        context = build_annual_report(town, year, user=reader)
        if format == "pdf":
            from presidium.pdf import render_pdf_document

            rendered = render_pdf_document("reports/pdf/annual_report.html", context)
            content, detail = rendered.content, f"{rendered.pages} 页"
        elif format == "docx":
            from reports.word import annual_report_docx

            content, detail = annual_report_docx(context), "Word"
        else:
            content, detail = render_to_string("reports/pdf/annual_report.html", context).encode(), "HTML"
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.stdout.write(f"{town.name}{year}年工作报告（{detail}，{len(content)} 字节）→ {path}")
