"""The fast list representation (tuples, no model instances) is the serializer's, key for key and value for value.

Lists of figures and countries are built by ``serializers.Rows`` / ``CountryViewSet.list``; details and the schema
come from the serializers. These tests compare the two on the report's data, so that a field added to one and not
the other fails here.
"""

import pytest
from rest_framework.test import APIClient

from statistics import models
from statistics.api import serializers

API = "/api/v1"

LISTS = {
    "region-patent-figures": (models.RegionPatentFigure, serializers.RegionPatentFigureSerializer),
    "country-patent-figures": (models.CountryPatentFigure, serializers.CountryPatentFigureSerializer),
    "region-trademark-figures": (models.RegionTrademarkFigure, serializers.RegionTrademarkFigureSerializer),
    "country-trademark-figures": (models.CountryTrademarkFigure, serializers.CountryTrademarkFigureSerializer),
    "region-count-figures": (models.RegionCountFigure, serializers.RegionCountFigureSerializer),
    "country-count-figures": (models.CountryCountFigure, serializers.CountryCountFigureSerializer),
}


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", LISTS)
def test_a_list_row_is_the_serialized_record(prefix):
    model, serializer_class = LISTS[prefix]
    listed = APIClient().get(f"{API}/{prefix}/", {"page_size": 1000}).json()["results"]
    assert listed, "the report's data should be loaded"
    instances = model.objects.in_bulk([row["id"] for row in listed])
    assert listed == [serializer_class(instances[row["id"]]).data for row in listed]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", LISTS)
def test_a_list_row_is_the_detail_view(prefix):
    client = APIClient()
    row = client.get(f"{API}/{prefix}/", {"year": 2025}).json()["results"][-1]
    assert client.get(f"{API}/{prefix}/{row['id']}/").json() == row


@pytest.mark.django_db
def test_a_country_list_row_is_the_serialized_country():
    listed = APIClient().get(f"{API}/countries/", {"page_size": 1000}).json()["results"]
    countries = models.Country.objects.prefetch_related("members").in_bulk(
        [row["code"] for row in listed], field_name="code"
    )
    assert listed == [serializers.CountrySerializer(countries[row["code"]]).data for row in listed]
    assert any(row["members"] for row in listed)
