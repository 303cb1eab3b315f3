"""Demo records for the books this app keeps: the documents register (各级文件登记簿) and the
deputies' exemplary deeds (代表先进事迹记录簿). No report text is seeded: the work report's
sentences are generated from the records, and staff write their own narrative."""

import datetime as dt

from .models import Document, ExemplaryDeed

ORDER = 60

DOCUMENTS = [
    (
        "incoming",
        "{county}人常〔{y}〕2号",
        "{county}人大常委会",
        1,
        8,
        "关于做好{y}年乡镇人民代表大会会议筹备工作的通知",
        "已传达至主席团成员，按要求筹备",
    ),
    (
        "incoming",
        "{county}人常办〔{y}〕11号",
        "{county}人大常委会办公室",
        3,
        15,
        "关于开展代表建议办理情况督查的通知",
        "已转各承办单位，督查情况已上报",
    ),
    (
        "outgoing",
        "{t}人〔{y}〕1号",
        "{t}人大主席团",
        2,
        20,
        "关于印发{y}年人大工作要点的通知",
        "已印发各代表小组",
    ),
    (
        "outgoing",
        "{t}人〔{y}〕5号",
        "{t}人大主席团",
        6,
        10,
        "关于开展代表“六个一”履职活动的通知",
        "已印发全体代表",
    ),
    (
        "incoming",
        "{county}人常〔{y}〕19号",
        "{county}人大常委会",
        9,
        5,
        "关于开展代表履职培训的通知",
        "已组织代表参加培训",
    ),
]
DEEDS = [
    (
        4,
        18,
        "连夜组织群众转移避险",
        "汛期暴雨，带领村民转移受威胁群众12户，无一人伤亡。",
        "voters",
        "村民联名反映",
    ),
    (7, 9, "牵头修通村组道路", "协调资金和群众投工投劳，修通1.2公里村组道路。", "unit", "镇交通站推荐"),
    (
        10,
        26,
        "调解山林权属纠纷",
        "多次上门调解，化解两个村民小组之间的山林权属纠纷。",
        "activity",
        "代表活动记录",
    ),
]


def seed(ctx):
    staff = ctx["users"]
    today = ctx["today"]
    docs, deeds = [], []
    for index, township in enumerate(ctx["townships"], start=1):
        author = staff.get(f"staff{index}")
        verifier = author.full_name if author else "人大办"
        for year in (ctx["year"] - 1, ctx["year"]):
            for direction, number, issuer, month, day, title, handling in DOCUMENTS:
                date = dt.date(year, month, day)
                if date > today:
                    continue
                fill = {"t": township.name, "county": township.county.name[:2], "y": year}
                docs.append(
                    Document(
                        township=township,
                        direction=direction,
                        number=number.format(**fill),
                        issuer=issuer.format(**fill),
                        date=date,
                        title=title.format(**fill),
                        handling=handling,
                        created_by=author,
                    )
                )
            serving = ctx.get("deputies", {}).get(township.pk, [])
            for (month, day, title, content, source, note), deputy in zip(DEEDS, serving[::7], strict=False):
                date = dt.date(year, month, day)
                if date > today:
                    continue
                deeds.append(
                    ExemplaryDeed(
                        township=township,
                        deputy=deputy,
                        date=date,
                        title=title,
                        content=content,
                        source=source,
                        source_note=note,
                        verified_by=verifier,
                        created_by=author,
                    )
                )
    Document.objects.bulk_create(docs)
    ExemplaryDeed.objects.bulk_create(deeds)
