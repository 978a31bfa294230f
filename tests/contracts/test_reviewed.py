"""Every reviewed kind inherits the whole role × region × state × action matrix (``reviewed.py``)."""

from .factories import (
    AnnualReturnFactory,
    EditionFactory,
    NationalReturnFactory,
    RegistryChangeFactory,
    WorkSummaryFactory,
)
from .reviewed import HeadquartersOwnedContract, RegionOwnedContract


class TestAnnualReturn(RegionOwnedContract):
    factory = AnnualReturnFactory
    api_basename = "annual-return"


class TestWorkSummary(RegionOwnedContract):
    factory = WorkSummaryFactory
    api_basename = "work-summary"


class TestRegistryChange(RegionOwnedContract):
    factory = RegistryChangeFactory
    api_basename = "protection-change"


class TestNationalReturn(HeadquartersOwnedContract):
    factory = NationalReturnFactory
    api_basename = "national-return"


class TestEdition(HeadquartersOwnedContract):
    factory = EditionFactory
    api_basename = "index-edition"
    api_transitions = False  # published from the admin and the commands; the API only reads editions


def test_every_reviewed_kind_has_a_contract():
    """A new ``Reviewable`` kind fails here until it declares its contract class above."""
    from django.apps import apps

    from review.models import Reviewable

    declared = {
        contract.factory._meta.model
        for contract in (TestAnnualReturn, TestWorkSummary, TestRegistryChange, TestNationalReturn, TestEdition)
    }
    reviewed = {model for model in apps.get_models() if issubclass(model, Reviewable)}
    assert reviewed == declared
