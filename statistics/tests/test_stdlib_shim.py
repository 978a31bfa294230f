"""The ``statistics`` app shadows the standard-library module; the shim keeps the standard library's names working."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import StdDev, Variance

from statistics import models as app_models


def test_import_statistics_gives_the_standard_library_functions():
    """``import statistics; statistics.mean([1, 2, 3]) == 2`` still works with the app on ``sys.path``."""
    import statistics

    assert statistics.mean([1, 2, 3]) == 2
    assert statistics.median([5, 1, 3]) == 3
    assert statistics.pstdev([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0


def test_from_statistics_import_standard_library_names():
    """``from statistics import stdev`` (as Django's SQLite backend does) finds the real function."""
    from statistics import StatisticsError, stdev, variance

    assert stdev([1, 2, 3]) == 1.0
    assert variance([1, 2, 3]) == 1.0
    with pytest.raises(StatisticsError):
        stdev([1])


def test_statistics_models_is_our_app():
    """``statistics.models`` is the app's module, inside the project, not anything of the standard library."""
    import statistics

    module = importlib.import_module("statistics.models")
    assert module is app_models
    assert Path(statistics.__file__).resolve().parent == Path(settings.BASE_DIR) / "statistics"
    assert hasattr(module, "RegionPatentFigure")


def test_unknown_names_still_raise_attribute_error():
    """Names neither the app nor the standard library define raise AttributeError, as for any module."""
    import statistics

    with pytest.raises(AttributeError):
        statistics.no_such_function  # noqa: B018
    with pytest.raises(AttributeError):
        statistics.__no_such_dunder__  # noqa: B018


@pytest.mark.django_db
def test_database_standard_deviation_aggregates_work():
    """StdDev and Variance aggregates run (on SQLite they call the standard library through the shim)."""
    import statistics

    values = list(app_models.RegionTrademarkFigure.objects.filter(year=2025).values_list("applications", flat=True))
    result = app_models.RegionTrademarkFigure.objects.filter(year=2025).aggregate(
        deviation=StdDev("applications"), variance=Variance("applications", sample=True)
    )
    assert result["deviation"] == pytest.approx(statistics.pstdev(values))
    assert result["variance"] == pytest.approx(statistics.variance(values))
