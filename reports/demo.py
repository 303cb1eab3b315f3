"""Demo narrative for the presidium's annual work report (last year and this year) of every demo
township, in the register of the seed reports. Figures are never typed here: the report prints
them from the apps' selectors."""

from .models import ReportNarrative, Section

ORDER = 60

TEXT = {
    Section.OVERVIEW: [
        "一年来，{t}人大主席团在县人大常委会的精心指导和镇党委的坚强领导下，以习近平新时代中国特色社会主义思想为指导，"
        "认真贯彻中央人大工作会议精神，切实履行宪法和法律赋予乡镇人大的各项职责，积极探索推进全过程人民民主，"
        "在助力全镇经济社会各项事业发展中发挥了人大应有的作用。",
        "主席团坚持重大事项定期向党委报告，在召开重要会议、组织重大活动、决定重要事项前及时请示汇报，"
        "确保人大工作始终在党委的领导下依法有序开展。",
    ],
    Section.SESSIONS: [
        "经过认真筹备，我镇依法召开了镇人民代表大会会议。会前落实“五落实”要求，提前将政府工作报告、"
        "主席团工作报告和财政预决算报告送达代表，组织代表开展会前视察，广泛征求选民意见。",
        "大会听取和审议了政府工作报告、人大主席团工作报告及财政收支情况报告，全体代表认真行使职权，"
        "依法作出决议，依法补选了镇人民政府领导人员。",
    ],
    Section.PRESIDIUM_MEETINGS: [
        "主席团坚持每季度召开一次主席团会议，听取政府专项工作情况汇报，研究确定监督计划，"
        "通报代表建议办理进展，确定下次人代会召开时间。每次会议均有完整记录，议定事项按期落实。",
    ],
    Section.SUPERVISION: [
        "主席团坚持正确监督、有效监督、依法监督，聚焦重点，精准发力。围绕乡村振兴、民生实事和生态环境保护，"
        "组织代表开展集中视察和专题调研，深入田间地头、项目现场和村（社区）了解实情。",
        "围绕《中华人民共和国土地管理法》《食品安全法》等法律法规的贯彻实施，组织开展执法检查，"
        "对检查中发现的问题形成整改清单，明确责任单位和整改时限，跟踪督办直至销号。",
        "组织代表对镇直站所开展工作评议和民主测评，测评结果向被评议单位反馈，督促整改提升。",
    ],
    Section.SUGGESTIONS: [
        "主席团坚持并完善“代表发现问题——代表提交建议——人大督办建议——结果反馈代表”的闭环机制，"
        "做到件件有着落、事事有回音，让“代表提了不白提”。",
        "对群众反映强烈、涉及面广的建议列为重点督办件，由主席团成员领衔督办，召开督办会和当面答复会，"
        "推动一批道路建设、水利设施、农村人居环境等方面的问题得到解决。",
    ],
    Section.DEPUTIES: [
        "主席团把全镇代表划分为若干代表小组，依托代表之家和村级代表联络站开展活动，"
        "落实代表联系选民、接待选民日和向选民述职“三项制度”。",
        "组织代表参加履职学习培训，邀请县人大常委会同志授课，提升代表依法履职能力。"
        "开展“六个一”履职活动，建立代表履职档案，对履职突出的代表予以表扬。",
    ],
    Section.PETITIONS: [
        "认真做好人民群众来信来访工作，坚持登记、转办、督办、反馈全程留痕，"
        "对涉及群众切身利益的问题及时转交有关部门调查处理，做到来信有回复、来访有结果。",
    ],
    Section.NEXT_YEAR: [
        "新的一年，镇人大主席团将在镇党委的坚强领导下，坚持党的领导、人民当家作主、依法治国有机统一，"
        "进一步把牢人大工作政治方向。",
        "一是坚持突出重点，进一步增强监督实效，围绕全镇中心工作开展视察、调研和执法检查。",
        "二是坚持代表主体地位，进一步提升代表履职能力，推进家站点规范化建设。",
        "三是坚持闭环管理，进一步提高代表建议办理质量，确保按期办结、群众满意。",
        "四是坚持自身建设，进一步完善工作制度，以更高标准做好新时代乡镇人大工作。",
    ],
}


def seed(ctx):
    staff = ctx["users"]
    rows = []
    for index, township in enumerate(ctx["townships"], start=1):
        author = staff.get(f"staff{index}")
        for year in (ctx["year"] - 1, ctx["year"]):
            for section, paragraphs in TEXT.items():
                rows.append(
                    ReportNarrative(
                        township=township,
                        year=year,
                        section=section,
                        text="\n".join(p.format(t=township.name) for p in paragraphs),
                        updated_by=author,
                    )
                )
    ReportNarrative.objects.bulk_create(rows, ignore_conflicts=True)
