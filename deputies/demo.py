"""Demo deputies (foundation level; the deputies app extends this)."""

import datetime as dt

from presidium.models import Role, User

from .models import Deputy, ElectoralDistrict, Term

ORDER = 10
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["建华", "秀兰", "志明", "桂英", "海涛", "丽华", "国强", "春梅", "永红", "金凤", "德胜", "小军", "玉兰", "文斌",
         "红霞", "立新", "建平", "淑芬", "家乐", "晓燕"]


def seed(ctx):
    rng = ctx["rng"]
    for t_index, township in enumerate(ctx["townships"], start=1):
        term = Term.objects.create(township=township, number=10, start_date=dt.date(2021, 12, 28))
        districts = [ElectoralDistrict.objects.create(township=township, name=f"第{i}选区", seats=3)
                     for i in range(1, 13)]
        deputies = []
        for i in range(1, 49):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            deputies.append(Deputy(
                township=township, term=term, name=name, gender=rng.choice("MMF"),
                birth_date=dt.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28)),
                party=rng.choice(["cpc", "cpc", "masses", "democratic"]),
                occupation=rng.choice([c for c, _ in Deputy.Occupation.choices]),
                district=districts[(i - 1) % len(districts)], certificate_no=f"{township.code}-{i:03d}",
                phone=f"13{t_index}{i:08d}"[:11], workplace="",
            ))
        for d in deputies:
            d.save()
        # The first deputy of each township has a login (phone number as username).
        first = deputies[0]
        user = User(username=f"deputy{t_index}", role=Role.DEPUTY, full_name=first.name, phone=first.phone,
                    township=township)
        user.set_password(ctx["password"])
        user.save()
        first.user = user
        first.save(update_fields=["user"])
        ctx["users"][user.username] = user
