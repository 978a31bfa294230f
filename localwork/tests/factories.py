"""Factories for summaries and cases that do not come from the report (other years, so they never collide)."""

import factory

from statistics.models import Region

from ..models import TypicalCase, WorkSummary


class WorkSummaryFactory(factory.django.DjangoModelFactory):
    """A draft summary of 北京 for 2026 unless told otherwise."""

    class Meta:
        model = WorkSummary

    region = factory.LazyFunction(lambda: Region.objects.lookup("北京"))
    year = 2026
    narrative = "推进专利转化运用，开展海外维权援助。"
    key_measures = "专利转化\n海外维权"


class TypicalCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TypicalCase

    year = 2026
    batch = 5
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"测试典型案例{n}")
    region = factory.LazyFunction(lambda: Region.objects.lookup("北京"))
