"""``import_roster FILE --township 代码 --term 10``: the roster import of the upload page, from the
command line (a county importing all its townships' files at once). Prints the valid rows, the
ignored columns, warnings and errors (row, column, message); exits non-zero when anything stops
the import. Nothing is written with ``--dry-run`` or when anything is wrong."""

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from deputies import importing
from deputies.models import Term
from presidium.models import Township


def _where(row) -> str:
    return f"第 {row} 行 " if row else ""


class Command(BaseCommand):
    help = "导入代表花名册（.xlsx/.xls/.csv），与页面导入同一流程。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="花名册文件路径")
        parser.add_argument("--township", required=True, help="乡镇代码、名称或 id")
        parser.add_argument("--term", required=True, type=int, help="届次（如 10）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--mode", choices=("add", "update"), default="add", help="新增或更新已有代表")
        parser.add_argument(
            "--start-date", help="新增代表任职开始日期 YYYY-MM-DD（默认：首次导入为本届开始日期，否则今天）"
        )
        parser.add_argument("--by-election-ref", default="", help="选区超出名额时的补选依据文件")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="列=文件中的值:对应值",
            help="对应无法识别的值，如 文化程度=中央党校大学:本科 或 选区=东岭选区:第3选区",
        )
        parser.add_argument(
            "--accept-inferred",
            action="store_true",
            help="确认所有“待确认”的推断值（已在 --dry-run 输出中核对）",
        )

    def handle(self, *args, **options):
        township = self._township(options["township"])
        term = Term.objects.filter(township=township, number=options["term"]).first()
        if term is None:
            raise CommandError(f"{township.name}没有第{options['term']}届。")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            start = dt.date.fromisoformat(options["start_date"]) if options["start_date"] else None
        except ValueError as exc:
            raise CommandError("--start-date 应为 YYYY-MM-DD") from exc
        try:
            sheet = importing.read_upload(name=path.name, data=path.read_bytes())
            outcome = importing.roster_import(
                township=township,
                term=term,
                sheet=sheet,
                actor=None,
                commit=not options["dry_run"],
                mode=options["mode"],
                start_date=start,
                mappings=self._mappings(options["map"]),
                accept_inferred=options["accept_inferred"],
                by_election_ref=options["by_election_ref"],
            )
        except ValidationError as exc:
            message = "；".join(exc.messages)
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {"errors": [{"row": None, "column": "", "message": message}]}, ensure_ascii=False
                    )
                )
                raise SystemExit(1) from exc
            raise CommandError(message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(outcome.as_dict(), ensure_ascii=False, indent=1))
        else:
            self._print(outcome, dry_run=options["dry_run"])
        failed = bool(outcome.errors or outcome.unknown or outcome.unfilled)
        if failed or (not options["dry_run"] and not outcome.ok):
            raise SystemExit(1)

    def _township(self, value):
        query = Q(code=value) | Q(name=value)
        if value.isdigit():
            query |= Q(pk=int(value))
        matches = list(Township.objects.filter(query)[:2])
        if len(matches) != 1:
            raise CommandError(f"找不到唯一的乡镇：{value}")
        return matches[0]

    def _mappings(self, items):
        labels = {label: key for key, label in importing.FIELD_LABELS.items()}
        out = {}
        for item in items:
            column, _sep, rest = item.partition("=")
            source, _sep2, target = rest.rpartition(":")
            key = labels.get(column.strip(), column.strip())
            if key not in importing.MAPPABLE or not source or not target:
                raise CommandError(
                    f"--map 格式应为 列=文件中的值:对应值（列：{'、'.join(importing.FIELD_LABELS[k] for k in importing.MAPPABLE)}）"
                )
            choices = importing.MAPPING_CHOICES.get(key)
            if choices:
                by_label = {str(label): code for code, label in choices}
                target = by_label.get(target.strip(), target.strip())
            out[(key, source.strip())] = target.strip() if isinstance(target, str) else target
        return out

    def _print(self, outcome, *, dry_run):
        w = self.stdout.write
        w(
            f"表头：第 {outcome.header_row} 行；代表 {outcome.total} 名（新增 {outcome.new_count}，更新 {outcome.update_count}，无变化 {outcome.same_count}）"
        )
        if outcome.ignored_columns:
            w("忽略的列：" + "、".join(outcome.ignored_columns))
        for row, reason in outcome.skipped:
            w(f"跳过 第 {row} 行：{reason}")
        for row in outcome.rows:
            values = "，".join(
                f"{importing.FIELD_LABELS[k]}={row.display(k)}"
                for k in row.values
                if k in importing.FIELD_LABELS and k != "remarks" and row.display(k)
            )
            marks = (
                f"  [待确认：{'、'.join(importing.FIELD_LABELS[k] for k in row.pending)}]"
                if row.pending
                else ""
            )
            w(f"第 {row.excel_row} 行 {row.action}：{values}{marks}")
        for row, column, message in outcome.warnings:
            w(self.style.WARNING(f"警告 {_where(row)}{column}：{message}"))
        for (key, source), rows in outcome.unknown.items():
            w(
                self.style.ERROR(
                    f"错误 第 {'、'.join(map(str, rows))} 行 {importing.FIELD_LABELS[key]}：无法识别“{source}”，请用 --map {importing.FIELD_LABELS[key]}={source}:对应值"
                )
            )
        for row, column, message in [*outcome.errors, *outcome.unfilled]:
            w(self.style.ERROR(f"错误 {_where(row)}{column}：{message}"))
        for blocker in outcome.blockers:
            w(self.style.WARNING(str(blocker)))
        if outcome.created or outcome.updated:
            w(self.style.SUCCESS(f"已导入：新增 {outcome.created} 名，更新 {outcome.updated} 名。"))
        elif dry_run:
            w("（--dry-run：未写入任何数据）")
        else:
            w(self.style.ERROR("未导入任何数据。"))
