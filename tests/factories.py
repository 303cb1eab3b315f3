"""factory_boy factories shared by every app's tests. Apps add their own in tests/<app>/factories.py."""

import datetime as dt
import itertools

import factory
from factory.django import DjangoModelFactory

from deputies.models import Deputy, ElectoralDistrict, Term
from presidium.models import County, HandlingUnit, Role, Township, User

_seq = itertools.count(1)


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County

    name = factory.Sequence(lambda n: f"测试县{n}")
    code = factory.Sequence(lambda n: f"C{n:05d}")
    province = "江西省"


class TownshipFactory(DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试镇{n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")


class HandlingUnitFactory(DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"财政所{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", "pass12345!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    township = factory.SubFactory(TownshipFactory)
    number = 10
    start_date = dt.date(2021, 12, 28)


class ElectoralDistrictFactory(DjangoModelFactory):
    class Meta:
        model = ElectoralDistrict

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"第{n}选区")


class DeputyFactory(DjangoModelFactory):
    class Meta:
        model = Deputy

    township = factory.SubFactory(TownshipFactory)
    term = factory.LazyAttribute(
        lambda o: (
            Term.objects.filter(township=o.township).order_by("-number").first()
            or TermFactory(township=o.township)
        )
    )
    district = factory.LazyAttribute(lambda o: ElectoralDistrictFactory(township=o.township))
    name = factory.Iterator(["王建华", "李秀兰", "张志明", "刘桂英", "陈海涛", "杨丽华"])
    gender = "M"
    occupation = Deputy.Occupation.FARMER
    certificate_no = factory.Sequence(lambda n: f"NO-{n:05d}")
    phone = factory.Sequence(lambda n: f"135{n:08d}")


def deputy_with_login(township, **kwargs) -> Deputy:
    deputy = DeputyFactory(township=township, **kwargs)
    user = UserFactory(role=Role.DEPUTY, township=township, full_name=deputy.name, phone=deputy.phone)
    deputy.user = user
    deputy.save(update_fields=["user"])
    return deputy
