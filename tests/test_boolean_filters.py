"""Yes/no filters refuse what is neither (``?closed=abc`` listed every row, as if no filter had been given), on every
API list: each is ``core.filters.BooleanFilter``, and one list shows the refusal end to end."""

import django_filters
import pytest

from config.api_urls import router
from core.filters import BooleanFilter
from returns.tests.factories import ReturnPeriodFactory


def boolean_filters():
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, found in filterset.base_filters.items() if filterset else ():
            if isinstance(found, django_filters.BooleanFilter):
                yield f"{prefix}?{name}", found


def test_every_yes_no_filter_of_the_api_refuses_other_texts():
    found = dict(boolean_filters())
    assert (
        "return-periods?closed" in found
        and "index-editions?uses_demo_data" in found
        and "protection-centres?remote_hearing" in found
    )
    lenient = [where for where, instance in found.items() if not isinstance(instance, BooleanFilter)]
    assert lenient == []


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["abc", "%", "2"])
def test_a_text_that_is_neither_is_refused_with_the_parameters_name(admin_client, text):
    response = admin_client.get("/api/v1/return-periods/", {"closed": text}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "closed" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("text, expected", [("true", [2031]), ("TRUE", [2031]), ("1", [2031]), ("no", [2030])])
def test_the_usual_spellings_filter(admin_client, text, expected):
    ReturnPeriodFactory(year=2030)
    ReturnPeriodFactory(year=2031, closed=True)
    response = admin_client.get("/api/v1/return-periods/", {"closed": text}, HTTP_ACCEPT="application/json")
    years = [row["year"] for row in response.json()["results"] if row["year"] >= 2030]
    assert response.status_code == 200 and years == expected
