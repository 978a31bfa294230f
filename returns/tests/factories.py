import factory

from returns.models import AnnualReturn, ReturnPeriod
from statistics.tests.factories import RegionFactory


class AnnualReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReturn

    region = factory.SubFactory(RegionFactory)
    year = 2025


class ReturnPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnPeriod
        django_get_or_create = ("year",)

    year = 2025
    deadline = factory.Faker("future_date")
