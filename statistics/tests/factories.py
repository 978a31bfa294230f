"""Factories for every piece of data that does not come from the report.

Figures default to a fresh entity each, so that rows never collide with the report's data or with one another,
and to small non-negative values that satisfy every rule.
"""

from itertools import product
from string import ascii_uppercase

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from statistics import models


def unused_code(length: int, *fields: str) -> str:
    """The first code of ``length`` capital letters that no country uses in any of ``fields``."""
    taken = set()
    for field in fields:
        taken |= set(models.Country.objects.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True))
    for letters in product(ascii_uppercase[::-1], repeat=length):  # from ZZ… down, away from the common codes
        code = "".join(letters)
        if code not in taken:
            return code
    raise RuntimeError(f"no unused code of length {length} left")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # Tests log in with force_login; an unusable password spares the deliberately slow password hashing.
    password = factory.LazyFunction(lambda: make_password(None))
    is_staff = False
    is_superuser = False


class RegionFactory(factory.django.DjangoModelFactory):
    """A province-level division that the report does not know."""

    class Meta:
        model = models.Region

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name_zh = factory.Sequence(lambda n: f"测试省{n}")
    full_name_zh = factory.LazyAttribute(lambda region: f"{region.name_zh}全称")
    name_en = factory.Sequence(lambda n: f"Test Province {n}")
    level = models.Region.Level.PROVINCE
    parent = None
    display_order = factory.Sequence(lambda n: 1000 + n)


class CityFactory(RegionFactory):
    """A sub-provincial city: an "of which" row of its province."""

    name_zh = factory.Sequence(lambda n: f"测试市{n}")
    name_en = factory.Sequence(lambda n: f"Test City {n}")
    level = models.Region.Level.CITY
    parent = factory.SubFactory(RegionFactory)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Country

    alpha2 = factory.LazyFunction(lambda: unused_code(2, "alpha2", "code"))
    alpha3 = factory.LazyFunction(lambda: unused_code(3, "alpha3"))
    code = factory.LazyAttribute(lambda country: country.alpha2)
    name_zh = factory.Sequence(lambda n: f"测试国{n}")
    name_en = factory.Sequence(lambda n: f"Testland {n}")
    kind = models.Country.Kind.COUNTRY


class RegionPatentFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RegionPatentFigure

    region = factory.SubFactory(RegionFactory)
    year = 2030
    measure = models.PatentMeasure.FILED
    invention = 30
    utility_model = 20
    design = 10


class CountryPatentFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CountryPatentFigure

    country = factory.SubFactory(CountryFactory)
    year = 2030
    measure = models.PatentMeasure.FILED
    invention = 3
    utility_model = 2
    design = 1


class RegionTrademarkFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RegionTrademarkFigure

    region = factory.SubFactory(RegionFactory)
    year = 2030
    applications = 300
    registrations = 200
    in_force = 1000


class CountryTrademarkFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CountryTrademarkFigure

    country = factory.SubFactory(CountryFactory)
    year = 2030
    applications = 30
    registrations = 20
    in_force = 100


class RegionCountFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RegionCountFigure

    region = factory.SubFactory(RegionFactory)
    year = 2030
    measure = models.CountMeasure.GI_PRODUCTS
    value = 7


class CountryCountFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CountryCountFigure

    country = factory.SubFactory(CountryFactory)
    year = 2030
    measure = models.CountMeasure.GI_PRODUCTS
    value = 2


FIGURE_FACTORIES = {
    factory_class._meta.model: factory_class
    for factory_class in (
        RegionPatentFigureFactory,
        CountryPatentFigureFactory,
        RegionTrademarkFigureFactory,
        CountryTrademarkFigureFactory,
        RegionCountFigureFactory,
        CountryCountFigureFactory,
    )
}
