"""Factories of every reviewed kind, for the contract tests: a record in any state, in a region of its own, without
the report (regions come from ``RegionFactory``), so that a case costs a few inserts."""

import factory
from django.contrib.auth.models import Group

from evaluation.models import Edition
from localwork.models import WorkSummary
from protection.models import RegistryChange
from returns.models import AnnualReturn
from review.models import RegionAssignment
from review.roles import GROUP_NAMES
from statistics.models.national import NationalReturn
from statistics.tests.factories import RegionFactory, UserFactory


class AnnualReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReturn

    region = factory.SubFactory(RegionFactory)
    year = factory.Sequence(lambda n: 2040 + n % 50)


class WorkSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkSummary

    region = factory.SubFactory(RegionFactory)
    year = factory.Sequence(lambda n: 2040 + n % 50)
    narrative = "推进专利转化运用。"


class RegistryChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistryChange

    region = factory.SubFactory(RegionFactory)
    target_type = RegistryChange.Target.CENTRE
    explanation = "新设保护中心"


class NationalReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalReturn

    year = factory.Sequence(lambda n: 2040 + n)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    year = factory.Sequence(lambda n: 2040 + n)


def person(role=None, region=None, **kwargs):
    """A staff user in ``role``'s group (none: a signed-in user without a role), assigned to ``region`` if given."""
    user = UserFactory(is_staff=role is not None, **kwargs)
    if role is not None:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if region is not None:
        RegionAssignment.objects.create(user=user, region=region)
    return user


def step(record, action, user, comment=""):
    """One workflow transition of ``record`` at its current version, as ``user``; the fresh record."""
    from review import services as review

    return review.transition(record, action, user, comment, expected_version=record.version).target
