"""Loading the national figures creates what is missing and keeps what people changed, unless forced."""

from decimal import Decimal

import pytest

from statistics.fixture_loading import FixtureLoad
from statistics.models.national import NationalFigure, NationalSeries
from statistics.national_loading import load_national_figures

pytestmark = pytest.mark.django_db


def satisfaction_2024():
    return NationalFigure.objects.get(series__name_zh="知识产权保护社会满意度", year=2024)


def test_loading_again_changes_nothing():
    load = FixtureLoad()
    load_national_figures(load)
    assert (load.created, load.updated, load.kept) == (0, 0, [])


def test_a_changed_figure_is_kept_and_listed_unless_forced():
    figure = satisfaction_2024()
    figure.value = Decimal("82.40")
    figure.save()
    load = FixtureLoad()
    load_national_figures(load)
    assert satisfaction_2024().value == Decimal("82.40")
    assert any("82.36" in str(difference) for difference in load.kept)
    forced = FixtureLoad(force=True)
    load_national_figures(forced)
    assert satisfaction_2024().value == Decimal("82.36")
    assert forced.replaced


def test_a_deleted_figure_is_created_again():
    satisfaction_2024().delete()
    load = FixtureLoad()
    load_national_figures(load)
    assert load.created == 1
    assert satisfaction_2024().value == Decimal("82.36")


def test_a_changed_series_link_is_kept():
    series = NationalSeries.objects.get(name_zh="知识产权保护社会满意度")
    series.note = "checked again by headquarters"
    series.save()
    load_national_figures(FixtureLoad())
    series.refresh_from_db()
    assert series.note == "checked again by headquarters"
